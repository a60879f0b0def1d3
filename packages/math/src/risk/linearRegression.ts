import { fail, finiteNumber, minLength } from '../internal/args.js';
import { mean } from '../internal/stats.js';

/** Parameters of {@link linearRegression}: paired observations of equal length. */
export type LinearRegressionParameters = {
  /** Explanatory values (e.g. time in hours). */
  readonly x: readonly number[];
  /** Observed values (e.g. funding rate per hour). */
  readonly y: readonly number[];
};

/** Fitted line `y = intercept + slope·x` of {@link linearRegression}. */
export type LinearFit = {
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination in [0, 1]; `1` when `y` is constant (the line fits exactly). */
  readonly rSquared: number;
};

/**
 * Simple (one-variable) ordinary least squares: `slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)²`,
 * `intercept = ȳ − slope·x̄`. Centred sums keep float64 accurate with large `x` such as Unix times.
 *
 * @returns `null` when all `x` are equal (the slope does not exist).
 * @throws {EmptySeriesError} fewer than 2 points.
 * @throws {InvalidParameterError} lengths differ or a value is not finite.
 * @example
 * linearRegression({ x: [0, 1, 2], y: [1, 3, 5] }) // { slope: 2, intercept: 1, rSquared: 1 }
 */
export function linearRegression(params: LinearRegressionParameters): LinearFit | null {
  const { x, y } = params;
  minLength('x', x, 2);
  if (y.length !== x.length) {
    fail('y', `as long as x (${x.length})`, y.length);
  }
  for (let i = 0; i < x.length; i++) {
    finiteNumber(`x[${i}]`, x[i] as number);
    finiteNumber(`y[${i}]`, y[i] as number);
  }
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return {
    slope,
    intercept: my - slope * mx,
    rSquared: syy === 0 ? 1 : Math.min(1, (sxy * sxy) / (sxx * syy)),
  };
}
