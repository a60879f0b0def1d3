import type { DecimalString } from '../internal/args.js';
import { nonEmpty, oneOf } from '../internal/args.js';
import { divRound, formatDecimal, parseDecimal } from '../internal/decimal.js';

/** How premium samples are averaged: equal weights, or Aevo/Binance/Bybit time weights `1..n`. */
export type PremiumWeighting = 'equal' | 'linear';

/**
 * Average of premium-index samples (oldest first). `'equal'`: arithmetic mean (Hyperliquid hourly
 * average). `'linear'`: `Σ i·p_i / Σ i` with `i = 1..n` (Aevo, Binance, Bybit; samples every 5 s).
 * Exact, one half-even rounding at 18 decimals.
 *
 * @throws {InvalidParameterError} when `samples` is empty. `Math.InvalidDecimalError` on a bad sample.
 * @example averagePremium({ samples: ['0.0001', '0.0002', '0.0003'], weighting: 'linear' }) // '0.000233333333333333'
 */
export function averagePremium(params: {
  samples: readonly DecimalString[];
  weighting: PremiumWeighting;
}): DecimalString {
  return averageSamples(params.samples, params.weighting, 'samples');
}

/**
 * {@link averagePremium} of `samples`, named `parameter` in errors. Package-internal: shared with the
 * funding prediction and the Aevo mark (`basisSamples`).
 */
export function averageSamples(
  samples: readonly DecimalString[],
  weighting: PremiumWeighting,
  parameter: string,
): DecimalString {
  nonEmpty(parameter, samples);
  const linear = oneOf('weighting', weighting, ['equal', 'linear']) === 'linear';
  let sum = 0n;
  let weights = 0n;
  for (const [i, s] of samples.entries()) {
    const w = linear ? BigInt(i + 1) : 1n;
    sum += w * parseDecimal(s, `${parameter}[${i}]`);
    weights += w;
  }
  return formatDecimal(divRound(sum, weights, 'halfEven'));
}
