import { finiteNumber, positiveNumber, returnsSeries } from '../internal/args.js';
import { isZeroDispersion, mean, sampleStd } from '../internal/stats.js';
import { HOURS_PER_YEAR } from './annualizedReturn.js';

/** Parameters of {@link sharpeRatio}. */
export type SharpeRatioParameters = {
  /** Simple returns per period (fractions), oldest first; at least 2. */
  readonly returns: readonly number[];
  /** Length of one period in hours (`24` for daily returns). */
  readonly periodHours: number;
  /** Risk-free rate per year as a fraction (`0.04` = 4 %/yr), spread evenly over periods. Default 0. */
  readonly riskFreeRatePerYear?: number | undefined;
};

/**
 * Annualized Sharpe ratio: `mean(r − r_f) / σ(r) × √(8760 / periodHours)` with the sample
 * standard deviation (n − 1).
 *
 * @returns `null` when the returns have zero dispersion (the ratio does not exist).
 * @throws {EmptySeriesError} fewer than 2 returns.
 * @throws {InvalidParameterError} `periodHours` ≤ 0, a non-finite rate, or a return < −1.
 * @example
 * sharpeRatio({ returns: [0.01, -0.01, 0.02, 0], periodHours: 24 }) // ≈ 7.40
 */
export function sharpeRatio(params: SharpeRatioParameters): number | null {
  const { returns, periodHours, riskFreeRatePerYear = 0 } = params;
  returnsSeries('returns', returns, 2);
  positiveNumber('periodHours', periodHours);
  finiteNumber('riskFreeRatePerYear', riskFreeRatePerYear);
  const std = sampleStd(returns);
  if (isZeroDispersion(std, returns)) return null;
  const rfPerPeriod = (riskFreeRatePerYear * periodHours) / HOURS_PER_YEAR;
  return ((mean(returns) - rfPerPeriod) / std) * Math.sqrt(HOURS_PER_YEAR / periodHours);
}
