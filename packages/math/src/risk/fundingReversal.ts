import { fail, positiveInteger } from '../internal/args.js';
import { mean } from '../internal/stats.js';
import {
  type FundingSample,
  type ParsedFundingSample,
  parseFundingSeries,
} from './fundingSample.js';

/** Parameters of {@link fundingReversal}. */
export type FundingReversalParameters = {
  /** One symbol's samples, `timeMs` non-decreasing; at least `slowWindow + 1`. */
  readonly samples: readonly FundingSample[];
  /** Samples in the fast moving average. Default 3. */
  readonly fastWindow?: number;
  /** Samples in the slow moving average (> `fastWindow`). Default 8. */
  readonly slowWindow?: number;
};

/** A moving-average cross: `up` = the fast average rose above the slow one (funding turning up). */
export type FundingCross = {
  /** Time of the sample at which the cross is first seen, Unix ms. */
  readonly timeMs: number;
  readonly direction: 'up' | 'down';
};

/** Result of {@link fundingReversal}. Averages are per-hour rates (fractions). */
export type FundingReversal = {
  /** Fast SMA at the last sample. */
  readonly fast: number;
  /** Slow SMA at the last sample. */
  readonly slow: number;
  /** Every cross, oldest first. */
  readonly crosses: readonly FundingCross[];
  /** The cross at the last sample, if there is one: the signal to act on now. */
  readonly signal: FundingCross | null;
};

/**
 * Funding-reversal detection by moving-average cross (note 3): a simple moving average of the
 * last `fastWindow` per-hour rates crossing the one of the last `slowWindow` rates. For a carry
 * that is short the perp (collecting positive funding), a `down` cross warns that funding is
 * fading; an `up` cross the opposite. A touch (equal averages) is not a cross; the cross is
 * reported when the averages are on the other side.
 *
 * @throws {EmptySeriesError} fewer than `slowWindow + 1` samples.
 * @throws {UnsortedSeriesError} samples go back in time.
 * @throws {InvalidParameterError} windows < 1 or `slowWindow` ≤ `fastWindow`, or a bad sample.
 * @throws {InvalidDecimalError} a rate is not a decimal string.
 * @example
 * const rates = ['0.00001', '0.00002', '0.00003', '0.00004', '0.00005', '0.00001', '-0.00002']
 * fundingReversal({
 *   samples: rates.map((rate, i) => ({ symbol: 'ETH', timeMs: i * 3_600_000, rate, intervalHours: 1 })),
 *   fastWindow: 2,
 *   slowWindow: 4,
 * })
 * // { fast: -0.000005, slow: 0.00002, crosses: [{ timeMs: 18000000, direction: 'down' }], signal: null }
 */
export function fundingReversal(params: FundingReversalParameters): FundingReversal {
  const fastWindow = positiveInteger('fastWindow', params.fastWindow ?? 3);
  const slowWindow = positiveInteger('slowWindow', params.slowWindow ?? 8);
  if (slowWindow <= fastWindow) fail('slowWindow', '> fastWindow', slowWindow);
  const parsed = parseFundingSeries(params.samples, slowWindow + 1);
  const rates = parsed.map((s) => s.ratePerHour);
  const crosses: FundingCross[] = [];
  let side = 0; // sign of fast − slow at the last point where they differed
  let signal: FundingCross | null = null;
  let fast = 0;
  let slow = 0;
  for (let i = slowWindow; i <= rates.length; i++) {
    const sma = (window: number) => mean(rates.slice(i - window, i));
    fast = sma(fastWindow);
    slow = sma(slowWindow);
    // Differences within float noise of the rates' magnitude count as a touch, not a side.
    const diff = fast - slow;
    const now =
      Math.abs(diff) > 1e-12 * Math.max(Math.abs(fast), Math.abs(slow)) ? Math.sign(diff) : 0;
    signal = null; // only a cross at the last sample is a signal
    if (now * side < 0) {
      signal = {
        timeMs: (parsed[i - 1] as ParsedFundingSample).timeMs,
        direction: now > 0 ? 'up' : 'down',
      };
      crosses.push(signal);
    }
    if (now) side = now;
  }
  return { fast, slow, crosses, signal };
}
