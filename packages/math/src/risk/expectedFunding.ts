import { fail, finiteNumber, positiveInteger } from '../internal/args.js';
import { mean } from '../internal/stats.js';
import {
  type FundingSample,
  type ParsedFundingSample,
  parseFundingSeries,
} from './fundingSample.js';

/**
 * How to turn a funding history into an expected rate (note 3):
 * - `sma`: mean of the last `window` per-hour rates (all when omitted);
 * - `ewma`: exponentially weighted mean, `s ← α·r + (1 − α)·s` seeded with the first rate;
 * - `volumeWeighted`: `Σ rᵢ·vᵢ / Σ vᵢ` over the last `window` samples (every sample needs `volume`);
 * - `regression`: least-squares line of rate on time over the last `window` samples, read at `atMs`
 *   (default: the last sample's time).
 *
 * @example
 * const estimator: FundingEstimator = { kind: 'ewma', alpha: 0.2 }
 */
export type FundingEstimator =
  | { readonly kind: 'sma'; readonly window?: number }
  | { readonly kind: 'ewma'; readonly alpha: number }
  | { readonly kind: 'volumeWeighted'; readonly window?: number }
  | { readonly kind: 'regression'; readonly window?: number; readonly atMs?: number };

/** Parameters of {@link expectedFunding}. */
export type ExpectedFundingParameters = {
  /** One symbol's samples, `timeMs` non-decreasing (intervals may differ between samples). */
  readonly samples: readonly FundingSample[];
  readonly estimator: FundingEstimator;
};

/**
 * Expected funding rate **per hour** of one symbol from its history, with the estimator of
 * choice. Each sample is first normalized to per hour (`rate / intervalHours`) so 8-hourly and
 * hourly venues mix correctly. Statistics in float64.
 *
 * @returns Expected rate per hour as a fraction (positive: longs pay), or `null` when it does not
 *   exist (zero total volume for `volumeWeighted`; a single timestamp for `regression`).
 * @throws {EmptySeriesError} no samples.
 * @throws {UnsortedSeriesError} samples go back in time.
 * @throws {InvalidDecimalError} a rate or volume is not a decimal string (a missing volume too, for
 *   `volumeWeighted`).
 * @throws {InvalidParameterError} a bad interval/window/alpha.
 * @example
 * expectedFunding({
 *   samples: [
 *     { symbol: 'ETH', timeMs: 0, rate: '0.0001', intervalHours: 8 },       // 0.0000125/h
 *     { symbol: 'ETH', timeMs: 3_600_000, rate: '0.0000375', intervalHours: 1 },
 *   ],
 *   estimator: { kind: 'sma' },
 * }) // 0.000025
 */
export function expectedFunding(params: ExpectedFundingParameters): number | null {
  const { estimator } = params;
  return estimateFunding(parseFundingSeries(params.samples, 1, estimator), estimator);
}

/**
 * Estimator over already-validated samples of one symbol, time-ordered (internal; shared with the
 * surface). `atMs` overrides where a regression line is read.
 */
export function estimateFunding(
  all: readonly ParsedFundingSample[],
  estimator: FundingEstimator,
  atMs?: number,
): number | null {
  const window = (estimator as { readonly window?: number }).window;
  const xs = window === undefined ? all : all.slice(-positiveInteger('estimator.window', window));
  const rates = xs.map((s) => s.ratePerHour);
  switch (estimator.kind) {
    case 'ewma': {
      const { alpha } = estimator;
      if (!(alpha > 0 && alpha <= 1)) fail('estimator.alpha', 'in (0, 1]', alpha);
      return rates.reduce((s, r) => alpha * r + (1 - alpha) * s);
    }
    case 'regression': {
      // Least squares of rate on time, `slope = Σ(t − t̄)(r − r̄) / Σ(t − t̄)²`, read at `at`:
      // `r̄ + slope·(at − t̄)`. Centred sums keep float64 accurate with Unix-ms times.
      const at = finiteNumber(
        'estimator.atMs',
        atMs ?? estimator.atMs ?? (xs[xs.length - 1] as ParsedFundingSample).timeMs,
      );
      const mt = mean(xs.map((s) => s.timeMs));
      const mr = mean(rates);
      let sxx = 0;
      let sxy = 0;
      xs.forEach((s, i) => {
        const dt = s.timeMs - mt;
        sxx += dt * dt;
        sxy += dt * ((rates[i] as number) - mr);
      });
      // One distinct time (e.g. a single sample): no line.
      return sxx ? mr + (sxy / sxx) * (at - mt) : null;
    }
    case 'sma':
    case 'volumeWeighted': {
      // SMA (every weight 1) or volume-weighted mean.
      let num = 0;
      let den = 0;
      xs.forEach((s, i) => {
        const v = estimator.kind === 'sma' ? 1 : s.volume;
        num += (rates[i] as number) * v;
        den += v;
      });
      return den ? num / den : null;
    }
  }
}
