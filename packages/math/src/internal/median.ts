import { divRound, type Fixed } from './decimal.js';

/** Ascending order for `sort` on any values comparable with `<` (bigints, strings). */
export function ascending<T extends bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Median of WAD values; the mean of the two middle values (half-even) for an even count. Non-empty input. */
export function medianFixed(values: readonly Fixed[]): Fixed {
  const sorted = [...values].sort(ascending);
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid]!;
  return divRound(sorted[mid - 1]! + sorted[mid]!, 2n, 'halfEven');
}

/** Median of exactly three values, without allocating. */
export function median3(a: Fixed, b: Fixed, c: Fixed): Fixed {
  if (a > b) [a, b] = [b, a];
  if (b > c) b = c;
  return a > b ? a : b;
}
