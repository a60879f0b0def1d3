export {
  accountValue,
  adlRank,
  crossMarginRatio,
  hyperliquidBackstop,
  unrealizedPnl,
} from './accountMetrics.js';
export { type AevoMarginBinding, aevoMarginHealth } from './aevoMarginHealth.js';
export {
  estimatePostTradeLiquidationPrice,
  type MarginMode,
  type PositionInput,
  type PostTradeParameters,
} from './estimatePostTradeLiquidationPrice.js';
export { liquidationDistance, realizedVolatility, type Volatility } from './liquidationDistance.js';
export {
  type LiquidationInputFixed,
  type LiquidationPriceParameters,
  liquidationPrice,
  parseLiquidationInput,
  type Side,
  solveLiquidationPrice,
} from './liquidationPrice.js';
export {
  type BinanceBracket,
  createMarginTable,
  describeMarginTable,
  type HyperliquidMarginTables,
  type HyperliquidMarginTier,
  hyperliquidMarginTable,
  initialMargin,
  type MarginTable,
  type MarginTier,
  type MarginTierInput,
  maintenanceMargin,
  maintenanceMarginFixed,
  marginTableFromBinanceBrackets,
  marginTableFromHyperliquid,
  singleTierMarginTable,
  tierIndexForNotional,
} from './marginTable.js';
