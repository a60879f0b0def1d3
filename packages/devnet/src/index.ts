export type {
  ChainAction,
  ChainScenario,
  ChainScenarioStep,
} from './chains/ChainScenario.js';
export { type ChainScenarioName, chainScenarios } from './chains/chainScenarios.js';
export type { ChainFault } from './chains/createRpcProxy.js';
export { DevnetChainError } from './chains/DevnetChainError.js';
export {
  applyChainAction,
  type PlayScenarioOptions,
  playScenario,
} from './chains/playScenario.js';
export { sequencerUptimeFeedArtifact } from './chains/SequencerUptimeFeed.artifact.js';
export {
  type DevnetChain,
  type DevnetChainSpec,
  startDevnet,
  startDevnetChain,
} from './chains/startDevnetChain.js';
export {
  type AnvilInstance,
  anvilBinaryPath,
  type StartAnvilParameters,
  startAnvil,
} from './startAnvil.js';
