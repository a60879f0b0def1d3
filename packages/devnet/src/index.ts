export type { ChainFault } from './chains/createRpcProxy.js';
export { DevnetChainError } from './chains/DevnetChainError.js';
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
