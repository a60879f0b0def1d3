import { parseNonNegative } from '../internal/args.js';
import { toNumber } from '../internal/decimal.js';

/** Parameters of {@link takerDepthRatio}. Both amounts in the same unit (e.g. USDC notional). */
export type TakerDepthRatioParameters = {
  /** Taker (aggressor) volume over the observation window, decimal string ≥ 0. */
  readonly takerVolume: string;
  /** Resting depth within the band (e.g. `totalQuote` of `bookDepth` at ±3 %), decimal string ≥ 0. */
  readonly depth: string;
};

/**
 * Taker volume relative to resting depth (note 4's "taker/depth ratio"): how many times the
 * window's aggressive flow would consume the book within the band. High values mean the book is
 * thin for the flow it gets and a burst can move the mark.
 *
 * @returns The ratio as a float64, or `null` when `depth` is 0 (no book to consume).
 * @throws {InvalidDecimalError} an amount is not a decimal string.
 * @throws {InvalidParameterError} an amount is negative.
 * @example
 * takerDepthRatio({ takerVolume: '1500000', depth: '500000' }) // 3
 */
export function takerDepthRatio(params: TakerDepthRatioParameters): number | null {
  const volume = parseNonNegative(params.takerVolume, 'takerVolume');
  const depth = parseNonNegative(params.depth, 'depth');
  if (depth === 0n) return null;
  return toNumber(volume) / toNumber(depth);
}
