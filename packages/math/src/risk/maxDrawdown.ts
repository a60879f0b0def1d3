import { returnsSeries } from '../internal/args.js';

/**
 * Maximum drawdown of a returns series: the largest peak-to-trough fall of the compounded equity
 * curve, as a fraction of the peak (`0.25` = −25 %).
 *
 * The curve starts at 1 before the first return, so a first-period loss counts as a drawdown.
 * Always in `[0, 1]`; `0` for a curve that never falls.
 *
 * @param returns Simple returns per period (fractions, each ≥ −1). For an equity curve, take
 *   `maxDrawdown` of `backtestMetrics({ equity, periodHours })`.
 * @throws {EmptySeriesError} `returns` is empty.
 * @throws {InvalidParameterError} a return is not finite or is < −1.
 * @example
 * maxDrawdown([0.1, -0.5, 0.2]) // 0.5 (1.1 → 0.55)
 */
export function maxDrawdown(returns: readonly number[]): number {
  returnsSeries('returns', returns, 1);
  let equity = 1;
  let peak = 1;
  let worst = 0;
  for (const r of returns) {
    equity *= 1 + r;
    if (equity > peak) peak = equity;
    const dd = 1 - equity / peak;
    if (dd > worst) worst = dd;
  }
  return Math.min(1, worst);
}
