export { EmptySeriesError, InvalidBookError, UnsortedSeriesError } from '../errors.js';
export {
  type AllocateCapitalParameters,
  type Allocation,
  type AllocationCandidate,
  allocateCapital,
  type CapitalAllocation,
} from './allocateCapital.js';
export {
  annualizedReturn,
  type BacktestMetrics,
  type BacktestMetricsParameters,
  backtestMetrics,
  calmarRatio,
  hitRatio,
  sharpeRatio,
  type TailLoss,
} from './backtestMetrics.js';
export {
  type BookDepth,
  type BookDepthParameters,
  bookDepth,
  type SideDepth,
} from './bookDepth.js';
export { type BookSpread, bookSpread } from './bookSpread.js';
export {
  type ConcentratedImpermanentLossParameters,
  concentratedImpermanentLoss,
} from './concentratedImpermanentLoss.js';
export {
  type ConstantProductSwap,
  type ConstantProductSwapParameters,
  constantProductSwap,
} from './constantProductSwap.js';
export {
  type DailyLossLimit,
  type DailyLossLimitParameters,
  dailyLossLimit,
} from './dailyLossLimit.js';
export {
  type DepthSnapshot,
  type DepthSwings,
  type DepthSwingsParameters,
  depthSwings,
} from './depthSwings.js';
export {
  type EventRegimeSize,
  type EventRegimeSizeParameters,
  eventRegimeSize,
} from './eventRegimeSize.js';
export {
  type ExpectedFundingParameters,
  expectedFunding,
  type FundingEstimator,
} from './expectedFunding.js';
export {
  type FundingCellScore,
  type FundingCellScoreParameters,
  type FundingScoreWeights,
  fundingCellScore,
} from './fundingCellScore.js';
export {
  type FundingCross,
  type FundingReversal,
  type FundingReversalParameters,
  fundingReversal,
} from './fundingReversal.js';
export type { FundingSample } from './fundingSample.js';
export {
  type FundingCell,
  type FundingSurface,
  type FundingSurfaceParameters,
  fundingSurface,
} from './fundingSurface.js';
export {
  type Hip3StalenessTiers,
  hip3OracleFreshness,
  hip3OracleTiers,
} from './hip3OracleTiers.js';
export {
  type Hip3Action,
  type Hip3MarketAssessment,
  type Hip3MarketInput,
  type Hip3OracleHealth,
  type Hip3Reason,
  type Hip3StakeAssessment,
  type Hip3StakeAssessmentParameters,
  type Hip3StressResult,
  type Hip3StressScenario,
  hip3StakeAssessment,
  type MarketSession,
  type SlashingExposure,
  type SlashingTier,
} from './hip3StakeAssessment.js';
export { type ImpermanentLossParameters, impermanentLoss } from './impermanentLoss.js';
export type { L2Book, L2Level } from './l2Book.js';
export { maxDrawdown } from './maxDrawdown.js';
export type { RiskLevel } from './riskLevel.js';
export { type TakerDepthRatioParameters, takerDepthRatio } from './takerDepthRatio.js';
