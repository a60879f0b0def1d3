import { returnsSeries } from '../internal/args.js';

/**
 * Hit ratio: share of winning periods among the periods that moved, `wins / (wins + losses)`.
 * Flat periods (return exactly 0, e.g. no position) are ignored.
 *
 * @returns A fraction in `[0, 1]`, or `null` when no period moved.
 * @throws {EmptySeriesError} `returns` is empty.
 * @throws {InvalidParameterError} a return is not finite or < −1.
 * @example
 * hitRatio([0.01, -0.02, 0, 0.03]) // 0.6666… (2 wins, 1 loss)
 */
export function hitRatio(returns: readonly number[]): number | null {
  returnsSeries('returns', returns, 1);
  let wins = 0;
  let losses = 0;
  for (const r of returns) {
    if (r > 0) wins++;
    else if (r < 0) losses++;
  }
  return wins + losses === 0 ? null : wins / (wins + losses);
}
