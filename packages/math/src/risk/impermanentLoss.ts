import { positiveDecimalNumber } from '../internal/args.js';

/** Parameters of {@link impermanentLoss}. Prices of the base token in quote tokens, decimal strings > 0. */
export type ImpermanentLossParameters = {
  /** Price when liquidity was added. */
  readonly entryPrice: string;
  /** Price now. */
  readonly exitPrice: string;
};

/**
 * Impermanent loss of a full-range constant-product (x·y = k, Uniswap v2) position against holding
 * the deposited tokens, before fees: `2√k / (1 + k) − 1` with `k = exitPrice / entryPrice`.
 *
 * Always ≤ 0, zero at `k = 1`, and symmetric in log-price (`k` and `1/k` lose the same).
 *
 * @returns `LP value / HODL value − 1` as a float64 fraction (`−0.0572` = −5.72 %).
 * @throws {InvalidDecimalError} a price is not a decimal string.
 * @throws {InvalidParameterError} a price is ≤ 0.
 * @example
 * impermanentLoss({ entryPrice: '2000', exitPrice: '4000' }) // −0.0571909… (price doubles)
 */
export function impermanentLoss(params: ImpermanentLossParameters): number {
  const p0 = positiveDecimalNumber('entryPrice', params.entryPrice);
  const p1 = positiveDecimalNumber('exitPrice', params.exitPrice);
  const k = p1 / p0;
  // Written as −(1 − √k)² / (1 + k): same value, no cancellation near k = 1, and exactly ≤ 0.
  const s = Math.sqrt(k);
  return -((1 - s) * (1 - s)) / (1 + k);
}
