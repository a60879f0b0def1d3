import { minLength, parsePositive } from '../internal/args.js';
import { toNumber } from '../internal/decimal.js';

/**
 * Period-by-period simple returns `eᵢ / eᵢ₋₁ − 1` of an equity curve.
 *
 * The equity values are money (decimal strings, any currency unit); the returns are statistics
 * (float64 fractions, `0.01` = +1 %). The curve's period length is whatever spacing the points
 * have — pass it as `periodHours` to the metrics that annualize.
 *
 * @param equity Equity after each period, oldest first, every value > 0 (a curve that hit 0 has no
 *   defined return afterwards).
 * @returns `equity.length − 1` simple returns.
 * @throws {EmptySeriesError} fewer than 2 points.
 * @throws {InvalidDecimalError} a value is not a decimal string.
 * @throws {InvalidParameterError} a value is ≤ 0.
 * @example
 * simpleReturns(['100', '110', '99']) // [0.1, -0.1]
 */
export function simpleReturns(equity: readonly string[]): number[] {
  minLength('equity', equity, 2);
  const values = equity.map((e, i) => parsePositive(e, `equity[${i}]`));
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const prev = values[i - 1] as bigint;
    const cur = values[i] as bigint;
    // Subtract exactly before converting so tiny returns on large balances keep their digits.
    out.push(toNumber(cur - prev) / toNumber(prev));
  }
  return out;
}
