import { type AnnualizedReturnParameters, annualizedReturn } from './annualizedReturn.js';
import { maxDrawdown } from './maxDrawdown.js';

/** Parameters of {@link calmarRatio}. */
export type CalmarRatioParameters = AnnualizedReturnParameters;

/**
 * Calmar ratio: annualized return ({@link annualizedReturn}) divided by maximum drawdown
 * ({@link maxDrawdown}) over the same series.
 *
 * @returns `null` when the series never draws down (division by zero: the ratio does not exist).
 * @throws {EmptySeriesError} `returns` is empty.
 * @throws {InvalidParameterError} `periodHours` ≤ 0, or a return is not finite or < −1.
 * @example
 * calmarRatio({ returns: [0.1, -0.5, 0.2], periodHours: 8760 }) // ≈ −0.2587 (−12.93 %/yr over 3 years ÷ 50 % drawdown)
 */
export function calmarRatio(params: CalmarRatioParameters): number | null {
  const annual = annualizedReturn(params);
  const dd = maxDrawdown(params.returns);
  return dd === 0 ? null : annual / dd;
}
