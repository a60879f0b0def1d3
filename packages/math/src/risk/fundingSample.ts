import { UnsortedSeriesError } from '../errors.js';
import {
  decimalToNumber,
  finiteNumber,
  nonNegativeDecimalNumber,
  positiveNumber,
} from '../internal/args.js';

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
  readonly timeMs: number;
  /** `rate / intervalHours`. */
  readonly ratePerHour: number;
  /** `null` when the sample has no volume. */
  readonly volume: number | null;
};

/** Validates one sample and normalizes it to a per-hour rate; `name` prefixes error parameters. */
export function parseFundingSample(name: string, s: FundingSample): ParsedFundingSample {
  finiteNumber(`${name}.timeMs`, s.timeMs);
  positiveNumber(`${name}.intervalHours`, s.intervalHours);
  return {
    timeMs: s.timeMs,
    ratePerHour: decimalToNumber(`${name}.rate`, s.rate) / s.intervalHours,
    volume: s.volume === undefined ? null : nonNegativeDecimalNumber(`${name}.volume`, s.volume),
  };
}

/** Validates a time-ordered series of samples (non-decreasing `timeMs`) and normalizes them. */
export function parseFundingSamples(
  parameter: string,
  samples: readonly FundingSample[],
): ParsedFundingSample[] {
  const out: ParsedFundingSample[] = [];
  for (let i = 0; i < samples.length; i++) {
    const parsed = parseFundingSample(`${parameter}[${i}]`, samples[i] as FundingSample);
    if (i > 0 && parsed.timeMs < (out[i - 1] as ParsedFundingSample).timeMs) {
      throw new UnsortedSeriesError(parameter, i);
    }
    out.push(parsed);
  }
  return out;
}
