import { parsePositive, unitFractionDecimal } from '../internal/args.js';
import { formatDecimal, max, mul, parseDecimal } from '../internal/decimal.js';

/** Parameters of {@link dailyLossLimit}. Money as decimal strings in one currency unit. */
export type DailyLossLimitParameters = {
  /** Equity at the start of the trading day, > 0. */
  readonly dayStartEquity: string;
  /** Equity now (realized + unrealized). */
  readonly equity: string;
  /** Largest tolerated daily loss as a positive fraction of start equity. Default `'0.008'` (−0.8 %, note 3). */
  readonly limitFraction?: string;
};

/** Result of {@link dailyLossLimit}. */
export type DailyLossLimit = {
  /** `equity − dayStartEquity`, exact. */
  readonly pnl: string;
  /** The loss that breaches the limit, `−dayStartEquity × limitFraction` (negative). */
  readonly limitPnl: string;
  /** Further loss allowed before the limit is hit, `max(0, pnl − limitPnl)`. */
  readonly remaining: string;
  /** `pnl ≤ limitPnl`: stop opening risk for the rest of the day. */
  readonly breached: boolean;
};

/**
 * Daily loss limit check of note 3 (e.g. stop at −0.8 % of the day's starting equity). Exact
 * decimal arithmetic; the limit counts as breached when the loss reaches it exactly.
 *
 * @throws {InvalidDecimalError} an amount is not a decimal string.
 * @throws {InvalidParameterError} `dayStartEquity` ≤ 0 or `limitFraction` outside (0, 1].
 * @example
 * dailyLossLimit({ dayStartEquity: '1000000', equity: '991500' })
 * // { pnl: '-8500', limitPnl: '-8000', remaining: '0', breached: true }
 */
export function dailyLossLimit(params: DailyLossLimitParameters): DailyLossLimit {
  const start = parsePositive(params.dayStartEquity, 'dayStartEquity');
  const equity = parseDecimal(params.equity, 'equity');
  const limit = unitFractionDecimal('limitFraction', params.limitFraction ?? '0.008', '(0, 1]');
  const pnl = equity - start;
  const limitPnl = -mul(start, limit, 'halfEven');
  return {
    pnl: formatDecimal(pnl),
    limitPnl: formatDecimal(limitPnl),
    remaining: formatDecimal(max(pnl - limitPnl, 0n)),
    breached: pnl <= limitPnl,
  };
}
