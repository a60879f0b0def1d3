export {
  BlockGapStats,
  BlockRef,
  ChainDetail,
  ChainFlags,
  ChainList,
  ChainObserver,
  ChainQuorum,
  ChainStatus,
  ChainSummary,
  HaltPhase,
  ProbeState,
  RpcHealth,
  RpcHealthStatus,
  RpcReasonCode,
  StatusTransition,
  TaggedHead,
  UptimeFeedState,
} from './chains.js';
export { Health } from './health.js';
export {
  DeviationTier,
  Hip3Deviation,
  Hip3Dex,
  Hip3DexList,
  Hip3Market,
  Hip3MarketDetail,
  Hip3MarketList,
  Hip3MarketMetrics,
  Hip3MarketStatus,
  Hip3OracleState,
  Hip3OracleUpdate,
  Hip3OracleUpdatePage,
  Hip3Reason,
  Hip3ReasonCode,
  OracleFreshness,
} from './hip3.js';
export { Incident, IncidentList, IncidentQuery } from './incidents.js';
export {
  GuardedAccount,
  GuardedAccountList,
  GuardedLiquidation,
  GuardedPosition,
  KnownPositionLevel,
  PositionLevel,
} from './positions.js';
export { Problem } from './problem.js';
export {
  ChainLivenessStatus,
  ChainPhase,
  RiskSummary,
  RiskSummaryChain,
  RiskSummaryMarket,
  RiskSummaryQuery,
} from './riskSummary.js';
export { IncidentSeverity, Severity } from './severity.js';
export {
  chainSeverity,
  isMarketVerdict,
  marketSeverity,
  positionLevelSeverity,
  severities,
  severityRank,
} from './severityScale.js';
export { ChainGapSeriesList } from './statusCharts.js';
export {
  ChainDependencyKind,
  chainDependency,
  VENUE_CHAIN_IMPACT,
  VENUE_IDS,
  VenueChainDependency,
  type VenueId,
} from './venueChainImpact.js';
export {
  Readiness,
  WatcherEvent,
  type WatcherEventOf,
  watcherEventSchemaId,
} from './watcherEvent.js';
export {
  ChainFlagsEventPayload,
  ChainReorgEventPayload,
  ChainStatusEventPayload,
  GuardedPositionSnapshot,
  Hip3StreamEventPayload,
  IncidentEventPayload,
  isWatcherEventKind,
  MarketListingEventPayload,
  MarketStatusEventPayload,
  PositionClosedEventPayload,
  PositionFreshnessEventPayload,
  PositionLevelEventPayload,
  PositionLiquidatedEventPayload,
  parseWatcherEvent,
  SubjectType,
  WatcherEventError,
  type WatcherEventKind,
  type WatcherEventPayload,
  watcherEventCatalogue,
  watcherEventKinds,
} from './watcherEventCatalogue.js';
