export {
  BlockGapStats,
  BlockRef,
  ChainDetail,
  ChainFlags,
  ChainList,
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
export { IncidentSeverity, Severity, severities, severityRank } from './severity.js';
export {
  ChainDependencyKind,
  chainDependency,
  VENUE_CHAIN_IMPACT,
  VENUE_IDS,
  VenueChainDependency,
  type VenueId,
} from './venueChainImpact.js';
export { Readiness, WatcherEvent } from './watcherEvent.js';
