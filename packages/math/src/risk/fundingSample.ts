import {
  decimalToNumber,
  finiteNumber,
  nonNegativeDecimalNumber,
  positiveNumber,
} from '../internal/args.js';
import type { FundingEstimator } from './expectedFunding.js';
import { timeSeries } from './timeSeries.js';

/**
 * One observed funding rate of one symbol, e.g. a row of Hyperliquid `fundingHistory` or an
 * hourly `predictedFundings` value. Every rate carries its interval (SPEC §2).
 *
 * @example
 * const s: FundingSample = { symbol: 'ETH', timeMs: 1_700_000_000_000, rate: '0.0000125', intervalHours: 1 }
 */
export type FundingSample = {
  /** Market, e.g. `'ETH'` or `'xyz:TSLA'`. */
  readonly symbol: string;
  /** Time of the rate (payment or observation), Unix ms. */
  readonly timeMs: number;
  /** Rate per interval as a fraction, decimal string (positive: longs pay shorts). */
  readonly rate: string;
  /** Hours the rate covers (1 on Hyperliquid/Aevo, 8/4/1 on Binance). */
  readonly intervalHours: number;
  /** Traded notional during the interval, decimal string ≥ 0 (needed for volume weighting). */
  readonly volume?: string;
};

/** A validated sample as float64 statistics (internal). */
export type ParsedFundingSample = {
  readonly symbol: string;
  readonly timeMs: number;
  /** `rate / intervalHours`. */
  readonly ratePerHour: number;
  /** Traded notional; `0` when the sample has none (only `volumeWeighted` reads it and requires it). */
  readonly volume: number;
};

/**
 * Validates samples in input order and normalizes each to a per-hour rate. With a
 * `volumeWeighted` estimator every sample needs a `volume` (a missing one fails as an invalid
 * decimal). Error parameters are `samples[i].…`.
 */
export function parseFundingSamples(
  samples: readonly FundingSample[],
  estimator?: FundingEstimator,
): ParsedFundingSample[] {
  return samples.map((s, i) => {
    const name = `samples[${i}]`;
    finiteNumber(`${name}.timeMs`, s.timeMs);
    return {
      symbol: s.symbol,
      timeMs: s.timeMs,
      ratePerHour:
        decimalToNumber(`${name}.rate`, s.rate) /
        positiveNumber(`${name}.intervalHours`, s.intervalHours),
      // volumeWeighted needs every volume: a missing one stays undefined and fails as invalid.
      volume: nonNegativeDecimalNumber(
        `${name}.volume`,
        (s.volume ?? (estimator?.kind === 'volumeWeighted' ? s.volume : '0')) as string,
      ),
    };
  });
}

/**
 * {@link parseFundingSamples} for one time-ordered series: at least `min` samples, `timeMs`
 * non-decreasing.
 */
export function parseFundingSeries(
  samples: readonly FundingSample[],
  min: number,
  estimator?: FundingEstimator,
): ParsedFundingSample[] {
  return parseFundingSamples(timeSeries('samples', samples, min), estimator);
}
