/**
 * @perpscope/math — exact, dependency-free perpetual-futures math. Sub-paths: `@perpscope/math/funding`,
 * `/prices`, `/margin`, `/hyperliquid`, `/decimal`; everything is also exported here (tree-shakable).
 */
export * from './decimal.js';
export {
  BaseError,
  EmptyTierTableError,
  InvalidDecimalError,
  InvalidLeverageError,
  InvalidParameterError,
  InvalidPayloadError,
  NegativeSizeError,
  UnknownMarginTableError,
  UnsortedTiersError,
} from './errors.js';
export * from './funding/index.js';
export * from './hyperliquid/index.js';
export { DivisionByZeroError } from './internal/decimal.js';
export * from './margin/index.js';
export * from './prices/index.js';
export * from './risk/index.js';
