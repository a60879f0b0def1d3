export {
  type AnnualizedReturnParameters,
  annualizedReturn,
  HOURS_PER_YEAR,
} from './annualizedReturn.js';
export {
  type BacktestMetrics,
  type BacktestMetricsParameters,
  backtestMetrics,
} from './backtestMetrics.js';
export {
  type BookDepth,
  type BookDepthParameters,
  bookDepth,
  type SideDepth,
} from './bookDepth.js';
export { type BookSpread, bookSpread } from './bookSpread.js';
export { type CalmarRatioParameters, calmarRatio } from './calmarRatio.js';
export {
  type ConcentratedImpermanentLossParameters,
  concentratedImpermanentLoss,
} from './concentratedImpermanentLoss.js';
export { constantProductPrice } from './constantProductPrice.js';
export {
  type ConstantProductSwap,
  type ConstantProductSwapParameters,
  constantProductSwap,
} from './constantProductSwap.js';
export {
  type DepthDrop,
  type DepthSnapshot,
  type DepthSwings,
  type DepthSwingsParameters,
  depthSwings,
} from './depthSwings.js';
export { EmptySeriesError, InvalidBookError, UnsortedSeriesError } from './errors.js';
export { hitRatio } from './hitRatio.js';
export { type ImpermanentLossParameters, impermanentLoss } from './impermanentLoss.js';
export type { L2Book, L2Level } from './l2Book.js';
export { maxDrawdown } from './maxDrawdown.js';
export { type SharpeRatioParameters, sharpeRatio } from './sharpeRatio.js';
export { simpleReturns } from './simpleReturns.js';
export { type TailLoss, type TailLossParameters, tailLoss } from './tailLoss.js';
export { type TakerDepthRatioParameters, takerDepthRatio } from './takerDepthRatio.js';
