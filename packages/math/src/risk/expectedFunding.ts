import { InvalidParameterError } from '../errors.js';
import { fail, finiteNumber, minLength, positiveInteger } from '../internal/args.js';
import { mean } from '../internal/stats.js';
import {
  type FundingSample,
  type ParsedFundingSample,
  parseFundingSamples,
} from './fundingSample.js';
import { linearRegression } from './linearRegression.js';

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
 * @throws {InvalidDecimalError} a rate or volume is not a decimal string.
 * @throws {InvalidParameterError} a bad interval/window/alpha, or a missing volume for `volumeWeighted`.
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
  minLength('samples', params.samples, 1);
  const all = parseFundingSamples('samples', params.samples);
  return estimateParsed(all, estimator);
}

/** Estimator over already-validated samples (internal; shared with the surface). */
export function estimateParsed(
  all: readonly ParsedFundingSample[],
  estimator: FundingEstimator,
): number | null {
  switch (estimator.kind) {
    case 'sma': {
      return mean(lastWindow(all, estimator.window).map((x) => x.ratePerHour));
    }
    case 'ewma': {
      const { alpha } = estimator;
      if (!(alpha > 0 && alpha <= 1)) fail('estimator.alpha', 'in (0, 1]', alpha);
      let s = (all[0] as ParsedFundingSample).ratePerHour;
      for (let i = 1; i < all.length; i++) {
        s = alpha * (all[i] as ParsedFundingSample).ratePerHour + (1 - alpha) * s;
      }
      return s;
    }
    case 'volumeWeighted': {
      const xs = lastWindow(all, estimator.window);
      let num = 0;
      let den = 0;
      xs.forEach((x, i) => {
        if (x.volume === null) {
          throw new InvalidParameterError(
            `samples[${all.length - xs.length + i}].volume`,
            'is required (volumeWeighted)',
          );
        }
        num += x.ratePerHour * x.volume;
        den += x.volume;
      });
      return den === 0 ? null : num / den;
    }
    case 'regression': {
      const xs = lastWindow(all, estimator.window);
      const last = xs[xs.length - 1] as ParsedFundingSample;
      const atMs = estimator.atMs ?? last.timeMs;
      finiteNumber('estimator.atMs', atMs);
      if (xs.length < 2) return null;
      // Hours relative to the last sample keep x small and well-conditioned.
      const fit = linearRegression({
        x: xs.map((s) => (s.timeMs - last.timeMs) / 3_600_000),
        y: xs.map((s) => s.ratePerHour),
      });
      return fit === null ? null : fit.intercept + (fit.slope * (atMs - last.timeMs)) / 3_600_000;
    }
  }
}

function lastWindow(
  all: readonly ParsedFundingSample[],
  window: number | undefined,
): readonly ParsedFundingSample[] {
  if (window === undefined) return all;
  positiveInteger('estimator.window', window);
  return all.slice(Math.max(0, all.length - window));
}
