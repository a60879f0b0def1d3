import { UnsortedSeriesError } from '../errors.js';
import { finiteNumber, minLength } from '../internal/args.js';

/**
 * Checks a time series (internal to the risk module): at least `min` points, every `timeMs` a
 * finite number, non-decreasing. Errors name `${parameter}[i].timeMs` / `${parameter}`.
 *
 * @throws {EmptySeriesError} fewer than `min` points.
 * @throws {InvalidParameterError} a non-finite `timeMs`.
 * @throws {UnsortedSeriesError} a point goes back in time.
 */
export function timeSeries<T extends { readonly timeMs: number }>(
  parameter: string,
  points: readonly T[],
  min: number,
): readonly T[] {
  minLength(parameter, points, min);
  points.forEach((p, i) => {
    finiteNumber(`${parameter}[${i}].timeMs`, p.timeMs);
    if (i && p.timeMs < (points[i - 1] as T).timeMs) throw new UnsortedSeriesError(parameter, i);
  });
  return points;
}
