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
  type Side,
  solveLiquidationPrice,
} from './liquidationPrice.js';
export {
  type BinanceBracket,
  createMarginTable,
  type HyperliquidMarginTables,
  type HyperliquidMarginTier,
  hyperliquidMarginTable,
  hyperliquidMarginTiers,
  initialMargin,
  type MarginTable,
  type MarginTier,
  type MarginTierInput,
  maintenanceMargin,
  marginTableFromBinanceBrackets,
  marginTableFromHyperliquid,
} from './marginTable.js';
