import { openUnitNumber, returnsSeries } from '../internal/args.js';

/** Parameters of {@link tailLoss}. */
export type TailLossParameters = {
  /** Simple returns per period (fractions), any order. */
  readonly returns: readonly number[];
  /** Confidence level in (0, 1); the tail is the worst `1 − confidence` share. Default `0.95`. */
  readonly confidence?: number | undefined;
};

/** Result of {@link tailLoss}; losses are positive fractions (`0.03` = a 3 % loss per period). */
export type TailLoss = {
  /** Number of worst periods in the tail: `ceil(n × (1 − confidence))`, at least 1. */
  readonly tailCount: number;
  /** Historical value at risk: the loss of the best period inside the tail. */
  readonly valueAtRisk: number;
  /** Expected shortfall (CVaR): the mean loss over the tail periods; ≥ `valueAtRisk`. */
  readonly expectedShortfall: number;
};

/**
 * Historical tail loss of a returns series: value at risk and expected shortfall (CVaR) at a
 * confidence level, from the empirical distribution (no distributional assumption).
 *
 * The tail holds the `k = ceil(n·(1 − confidence))` worst returns; VaR is minus the k-th worst
 * return, ES minus their mean. A negative value means even the tail was a gain.
 *
 * @throws {EmptySeriesError} `returns` is empty.
 * @throws {InvalidParameterError} `confidence` outside (0, 1), or a return is not finite or < −1.
 * @example
 * tailLoss({ returns: [-0.05, -0.02, 0.01, 0.03, 0.00], confidence: 0.6 })
 * // { tailCount: 2, valueAtRisk: 0.02, expectedShortfall: 0.035 }
 */
export function tailLoss(params: TailLossParameters): TailLoss {
  const { returns, confidence = 0.95 } = params;
  returnsSeries('returns', returns, 1);
  openUnitNumber('confidence', confidence);
  const sorted = [...returns].sort((a, b) => a - b);
  // The 1e-9 guards against 20 × (1 − 0.95) = 1.0000000000000009 becoming a tail of 2.
  const tailCount = Math.max(1, Math.ceil(sorted.length * (1 - confidence) - 1e-9));
  let sum = 0;
  for (let i = 0; i < tailCount; i++) sum += sorted[i] as number;
  return {
    tailCount,
    valueAtRisk: -(sorted[tailCount - 1] as number),
    expectedShortfall: -sum / tailCount,
  };
}
