export { aevoIndexPrice, type IndexSource } from './aevoIndexPrice.js';
export { aevoFairPrice, aevoMarkPrice } from './aevoMarkPrice.js';
export {
  checkSetOracleUpdates,
  type DayOpenPrice,
  type SetOracleRule,
  type SetOracleUpdate,
  type SetOracleViolation,
} from './checkSetOracleUpdates.js';
export {
  ema150s,
  hip3MarkPrice,
  hyperliquidMarkPrice,
  type WeightedPrice,
} from './hyperliquidMarkPrice.js';
