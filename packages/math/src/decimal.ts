/**
 * Public decimal helpers for the pre-parsed (`…Fixed`) hot-path functions: parse once with
 * {@link parseDecimal}, compute on WAD `bigint`s, format with {@link formatDecimal}.
 */
export type { DecimalString } from './internal/args.js';
export {
  divRound,
  type Fixed,
  type FormatOptions,
  formatDecimal,
  fromNumber,
  isDecimalString,
  parseDecimal,
  type Rounding,
  toNumber,
  WAD,
} from './internal/decimal.js';
