import { finiteNumber, positiveNumber } from '../internal/args.js';
import { ascending } from '../internal/median.js';
import { estimateFunding, type FundingEstimator } from './expectedFunding.js';
import {
  type FundingSample,
  type ParsedFundingSample,
  parseFundingSamples,
} from './fundingSample.js';

/** Parameters of {@link fundingSurface}. */
export type FundingSurfaceParameters = {
  /** Funding samples of any symbols, in any order. */
  readonly samples: readonly FundingSample[];
  /** Width of a time bucket, ms (e.g. `3_600_000` for hourly cells, `86_400_000` for daily). */
  readonly bucketMs: number;
  /** Bucket alignment, Unix ms: buckets start at `originMs + k·bucketMs`. Default `0` (UTC-aligned). */
  readonly originMs?: number;
  /**
   * Estimator for each cell's expected funding. For `regression` the line is read at the cell's
   * end (`bucketStartMs + bucketMs`), a forecast for the next bucket.
   */
  readonly estimator: FundingEstimator;
};

/** One time-bucket × symbol cell of the surface. Rates are fractions per hour. */
export type FundingCell = {
  readonly symbol: string;
  /** Start of the bucket, Unix ms (inclusive; the bucket ends before `bucketStartMs + bucketMs`). */
  readonly bucketStartMs: number;
  /** Number of samples that fall in the bucket (≥ 1: empty cells are not listed). */
  readonly sampleCount: number;
  /** Mean per-hour rate of the bucket's own samples (the realized surface). */
  readonly meanRatePerHour: number;
  /**
   * The estimator applied to the symbol's samples up to the end of this bucket — what one would
   * have expected for the next bucket, without look-ahead. `null` where the estimator has no value.
   */
  readonly expectedRatePerHour: number | null;
};

/**
 * Result of {@link fundingSurface}: the grid's non-empty cells. Its axes are the distinct
 * `bucketStartMs` and `symbol` of the cells (already in order:
 * `[...new Set(cells.map((c) => c.symbol))].sort()`).
 */
export type FundingSurface = {
  /** Non-empty cells, ordered by bucket then symbol. */
  readonly cells: readonly FundingCell[];
};

/**
 * Builds note 3's funding surface: a grid of time bucket × symbol with the realized mean funding
 * per cell and the expected funding per cell from the chosen estimator (SMA, EWMA,
 * volume-weighted, regression). Rates are normalized to per hour so venues with different
 * funding intervals share one surface.
 *
 * @throws {InvalidParameterError} `bucketMs` ≤ 0, a non-finite `originMs`, or a bad sample field.
 * @throws {InvalidDecimalError} a rate or volume is not a decimal string (a missing volume too, for
 *   `volumeWeighted`).
 * @example
 * const surface = fundingSurface({
 *   samples: [
 *     { symbol: 'BTC', timeMs: 0, rate: '0.00001', intervalHours: 1 },
 *     { symbol: 'BTC', timeMs: 3_600_000, rate: '0.00003', intervalHours: 1 },
 *     { symbol: 'ETH', timeMs: 3_600_000, rate: '0.0001', intervalHours: 8 },
 *   ],
 *   bucketMs: 3_600_000,
 *   estimator: { kind: 'sma' },
 * })
 * surface.cells[1] // { symbol: 'BTC', bucketStartMs: 3600000, sampleCount: 1,
 *                  //   meanRatePerHour: 0.00003, expectedRatePerHour: 0.00002 }
 */
export function fundingSurface(params: FundingSurfaceParameters): FundingSurface {
  const { bucketMs, estimator, originMs = 0 } = params;
  positiveNumber('bucketMs', bucketMs);
  finiteNumber('originMs', originMs);
  // By symbol, then time; the sort is stable, so equal times keep the input order.
  const all = parseFundingSamples(params.samples, estimator).sort(
    (a, b) => ascending(a.symbol, b.symbol) || a.timeMs - b.timeMs,
  );
  const cells: FundingCell[] = [];
  // `first`: where the current symbol's history starts; each cell estimates from it up to the
  // cell's last sample (no look-ahead).
  for (let i = 0, first = 0; i < all.length; ) {
    const { symbol, timeMs } = all[i] as ParsedFundingSample;
    if (symbol !== (all[first] as ParsedFundingSample).symbol) first = i;
    const start = originMs + Math.floor((timeMs - originMs) / bucketMs) * bucketMs;
    const end = start + bucketMs;
    let sum = 0;
    let j = i;
    while (all[j]?.symbol === symbol && (all[j] as ParsedFundingSample).timeMs < end)
      sum += (all[j++] as ParsedFundingSample).ratePerHour;
    cells.push({
      symbol,
      bucketStartMs: start,
      sampleCount: j - i,
      meanRatePerHour: sum / (j - i),
      expectedRatePerHour: estimateFunding(all.slice(first, j), estimator, end),
    });
    i = j;
  }
  cells.sort((a, b) => a.bucketStartMs - b.bucketStartMs || ascending(a.symbol, b.symbol));
  return { cells };
}
