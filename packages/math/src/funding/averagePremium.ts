import type { DecimalString } from '../internal/args.js';
import { nonEmpty, oneOf } from '../internal/args.js';
import { divRound, type Fixed, formatDecimal, parseDecimal } from '../internal/decimal.js';

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
  const values = params.samples.map((s, i) => parseDecimal(s, `samples[${i}]`));
  return formatDecimal(averagePremiumFixed(values, params.weighting));
}

/**
 * Pre-parsed form of {@link averagePremium} (WAD in/out).
 * @example averagePremiumFixed([parseDecimal('0.0001'), parseDecimal('0.0003')], 'equal') // 200_000_000_000_000n (0.0002)
 */
export function averagePremiumFixed(samples: readonly Fixed[], weighting: PremiumWeighting): Fixed {
  const n = samples.length;
  nonEmpty('samples', samples);
  const linear = oneOf('weighting', weighting, ['equal', 'linear']) === 'linear';
  let sum = 0n;
  for (let i = 0; i < n; i++) sum += linear ? BigInt(i + 1) * samples[i]! : samples[i]!;
  return divRound(sum, linear ? (BigInt(n) * BigInt(n + 1)) / 2n : BigInt(n), 'halfEven');
}
