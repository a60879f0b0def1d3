export type {
  ChainAction,
  ChainScenario,
  ChainScenarioStep,
  ReplayStatus,
} from './chains/ChainScenario.js';
export {
  type ChainScenarioName,
  chainScenarios,
  stuckEndpointsAfterHalt,
} from './chains/chainScenarios.js';
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
  type AccountDiscoveryContext,
  answerAccountDiscovery,
  type ReplaySubAccount,
  type ReplayVaultEquity,
} from './hyperliquid/answerAccountDiscovery.js';
export {
  answerUserInfo,
  type ReplayAbstraction,
  type ReplaySpotBalance,
  type ReplayUser,
  type UserInfoContext,
} from './hyperliquid/answerUserInfo.js';
export {
  type BuildClearinghouseStateParameters,
  buildClearinghouseState,
  type ReplayAccount,
  type ReplayPosition,
} from './hyperliquid/clearinghouseState.js';
export {
  hyperliquidScenarios,
  type MalformedFrameKind,
  type MarketScenarioParameters,
  malformedFrameKinds,
  type ReplayAction,
  type ReplayScenario,
  type ReplayStep,
} from './hyperliquid/hyperliquidScenarios.js';
export type { InfoFault } from './hyperliquid/infoFaults.js';
export {
  defaultHyperliquidFixturesDir,
  loadReplayFixtures,
  type RawAssetCtx,
  type RawMeta,
  type RawPerpDex,
  type RawUniverseEntry,
  type ReplayFixtures,
} from './hyperliquid/loadReplayFixtures.js';
export {
  type MarkWalkDuringHaltParameters,
  type MarkWalkDuringHaltScenario,
  type MarkWalkParameters,
  positionScenarios,
} from './hyperliquid/positionScenarios.js';
export {
  type CreateReplayUsersParameters,
  createReplayUsers,
  type ReplayFill,
  type ReplayUsers,
} from './hyperliquid/replayUsers.js';
export {
  type CreateScaledClockParameters,
  createManualClock,
  createScaledClock,
  type ManualClock,
  type ReplayClock,
} from './hyperliquid/scaledClock.js';
export {
  type HyperliquidReplay,
  type ReplayRequestRecord,
  type StartHyperliquidReplayParameters,
  startHyperliquidReplay,
} from './hyperliquid/startHyperliquidReplay.js';
export { unifiedAccountPreset } from './hyperliquid/unifiedAccountPreset.js';
export {
  type AnvilInstance,
  anvilBinaryPath,
  type StartAnvilParameters,
  startAnvil,
} from './startAnvil.js';
