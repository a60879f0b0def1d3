import { positiveNumber, returnsSeries } from '../internal/args.js';

/**
 * Hours in the 365-day year used for every annualization in this package (same as funding APR).
 *
 * @example
 * const periodsPerYear = HOURS_PER_YEAR / 24 // 365 daily periods
 */
export const HOURS_PER_YEAR = 8760;

/** Parameters of {@link annualizedReturn}. */
export type AnnualizedReturnParameters = {
  /** Simple returns per period (fractions, each ≥ −1), oldest first. */
  readonly returns: readonly number[];
  /** Length of one period in hours (`24` for daily returns, `1` for hourly). */
  readonly periodHours: number;
};

/**
 * Compound annual growth rate of a returns series: `(Π(1 + rᵢ))^(8760 / (n·periodHours)) − 1`.
 *
 * A 365-day year of 8,760 h is used, as for funding APRs. A series that lost everything returns
 * `−1`.
 *
 * @throws {EmptySeriesError} `returns` is empty.
 * @throws {InvalidParameterError} `periodHours` ≤ 0, or a return is not finite or < −1.
 * @example
 * // +1 % per day for 365 days
 * annualizedReturn({ returns: Array(365).fill(0.01), periodHours: 24 }) // ≈ 36.78 (3,678 %)
 */
export function annualizedReturn(params: AnnualizedReturnParameters): number {
  const { returns, periodHours } = params;
  returnsSeries('returns', returns, 1);
  positiveNumber('periodHours', periodHours);
  // Sum of log growth instead of a running product avoids overflow/underflow on long series.
  let logGrowth = 0;
  for (const r of returns) {
    if (r === -1) return -1;
    logGrowth += Math.log1p(r);
  }
  const years = (returns.length * periodHours) / HOURS_PER_YEAR;
  return Math.expm1(logGrowth / years);
}
