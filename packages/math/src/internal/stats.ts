/** Arithmetic mean of a non-empty array (callers validate length). */
export function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1 denominator) of an array with ≥ 2 items. */
export function sampleStd(xs: readonly number[]): number {
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return Math.sqrt(ss / (xs.length - 1));
}

/**
 * Whether a standard deviation is zero up to float64 rounding noise relative to the data's scale.
 * A constant series like `[0.01, 0.01, 0.01]` has a "σ" of ~1e-18 after rounding; treating that
 * as a real dispersion would turn Sharpe ratios into 1e16.
 */
export function isZeroDispersion(std: number, xs: readonly number[]): boolean {
  let scale = 0;
  for (const x of xs) scale = Math.max(scale, Math.abs(x));
  return std <= scale * 1e-12;
}
