import { finiteNumber, nonNegativeNumber, positiveNumber } from '../internal/args.js';

/**
 * Weights of the four terms of {@link fundingCellScore}; each defaults to 1.
 *
 * @example
 * const weights: FundingScoreWeights = { adlRisk: 2 } // penalize ADL risk twice
 */
export type FundingScoreWeights = {
  /** w1: weight of the expected funding income. */
  readonly funding?: number;
  /** w2: weight of the spread (entry + exit) cost `spreadCost`. */
  readonly spreadCost?: number;
  /** w3: weight of the hedge error. */
  readonly hedgeError?: number;
  /** w4: weight of the ADL / liquidation risk. */
  readonly adlRisk?: number;
};

/**
 * Parameters of {@link fundingCellScore}. Costs and risks are fractions of the position's
 * notional over the holding period (`0.0001` = 1 bp), the same unit as the funding term.
 */
export type FundingCellScoreParameters = {
  /** Expected funding rate per hour (e.g. from `expectedFunding`), fraction, signed. */
  readonly expectedRatePerHour: number;
  /** How long the delta-neutral position is held, hours (> 0). */
  readonly holdingHours: number;
  /** Round-trip spread + fee cost, fraction of notional (≥ 0). */
  readonly spreadCost: number;
  /** Expected hedge error (basis/tracking loss of the other leg), fraction of notional (≥ 0). */
  readonly hedgeError: number;
  /** Expected loss from ADL or liquidation of a leg, fraction of notional (≥ 0). */
  readonly adlRisk: number;
  readonly weights?: FundingScoreWeights;
};

/** Result of {@link fundingCellScore}. */
export type FundingCellScore = {
  /** `w1·E[funding] − w2·spreadCost − w3·hedgeError − w4·adlRisk`, fraction of notional. */
  readonly score: number;
  /** `|expectedRatePerHour| × holdingHours`: the funding the position expects to collect. */
  readonly expectedFunding: number;
  /**
   * Perp leg that collects the funding: `short` when the rate is positive (longs pay), `long`
   * when negative, `null` at exactly 0. The hedge leg takes the opposite side.
   */
  readonly perpSide: 'short' | 'long' | null;
};

/**
 * Note 3's score of a funding-surface cell for a delta-neutral carry:
 * `Score = w1·E[funding] − w2·spreadCost − w3·hedgeError − w4·ADL/liquidation risk`, where
 * `E[funding] = |expected rate per hour| × holding hours` (the perp side is chosen to receive it).
 * Float64 statistics; multiply by notional for money.
 *
 * @throws {InvalidParameterError} a non-finite input, `holdingHours` ≤ 0, a negative cost or weight.
 * @example
 * // Note 3's example per hour on 2,000,000 notional: 600 gross, 200 fees, 100 hedge error
 * fundingCellScore({ expectedRatePerHour: 0.0003, holdingHours: 1, spreadCost: 0.0001, hedgeError: 0.00005, adlRisk: 0 })
 * // { score: 0.00015 (= 300 / 2,000,000), expectedFunding: 0.0003, perpSide: 'short' }
 */
export function fundingCellScore(params: FundingCellScoreParameters): FundingCellScore {
  const rate = finiteNumber('expectedRatePerHour', params.expectedRatePerHour);
  const expected = Math.abs(rate) * positiveNumber('holdingHours', params.holdingHours);
  const weights = params.weights ?? {};
  let score = expected * nonNegativeNumber('weights.funding', weights.funding ?? 1);
  // w2·spreadCost, w3·hedgeError, w4·adlRisk, subtracted left to right as in the formula.
  for (const term of ['spreadCost', 'hedgeError', 'adlRisk'] as const) {
    score -=
      nonNegativeNumber(`weights.${term}`, weights[term] ?? 1) *
      nonNegativeNumber(term, params[term]);
  }
  return {
    score,
    expectedFunding: expected,
    perpSide: rate > 0 ? 'short' : rate < 0 ? 'long' : null,
  };
}
