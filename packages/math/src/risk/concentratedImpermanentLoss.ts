import { fail, positiveDecimalNumber } from '../internal/args.js';

/** Parameters of {@link concentratedImpermanentLoss}. Prices in quote per base, decimal strings > 0. */
export type ConcentratedImpermanentLossParameters = {
  /** Price when liquidity was added. */
  readonly entryPrice: string;
  /** Price now. */
  readonly exitPrice: string;
  /** Lower bound of the position's range `p_a`. */
  readonly lowerPrice: string;
  /** Upper bound of the position's range `p_b` (> `lowerPrice`). */
  readonly upperPrice: string;
};

/**
 * Impermanent loss of a concentrated-liquidity (Uniswap v3) position on `[p_a, p_b]` against
 * holding the tokens deposited at entry, before fees.
 *
 * Uses the v3 whitepaper's reserves for liquidity L (§6.2.1, eqs 6.29–6.30), with the price
 * clamped to the range: `x(P) = L(1/√P − 1/√p_b)`, `y(P) = L(√P − √p_a)`. LP value at exit is
 * `x(P₁)·P₁ + y(P₁)`, HODL value `x(P₀)·P₁ + y(P₀)`; L cancels. Entry outside the range (a
 * single-sided deposit) is allowed. Always ≤ 0; for a range that is `r` wide either side of the
 * entry in log terms and an exit inside it, it equals the full-range loss × `√r / (√r − 1)`.
 *
 * @returns `LP value / HODL value − 1` as a float64 fraction.
 * @throws {InvalidDecimalError} a price is not a decimal string.
 * @throws {InvalidParameterError} a price ≤ 0 or `upperPrice` ≤ `lowerPrice`.
 * @example
 * // Range [0.25, 4] around entry 1, price moves to 4: −40 % (full range would be −20 %)
 * concentratedImpermanentLoss({ entryPrice: '1', exitPrice: '4', lowerPrice: '0.25', upperPrice: '4' }) // −0.4
 */
export function concentratedImpermanentLoss(params: ConcentratedImpermanentLossParameters): number {
  const p0 = positiveDecimalNumber('entryPrice', params.entryPrice);
  const p1 = positiveDecimalNumber('exitPrice', params.exitPrice);
  const sa = Math.sqrt(positiveDecimalNumber('lowerPrice', params.lowerPrice));
  const sb = Math.sqrt(positiveDecimalNumber('upperPrice', params.upperPrice));
  // Compared as float64: bounds closer than float precision are an empty range too.
  if (sb <= sa) fail('upperPrice', '> lowerPrice', params.upperPrice);
  // Value at exit price P₁ of the reserves held at price P: x(P)·P₁ + y(P).
  const value = (p: number): number => {
    const s = Math.min(Math.max(Math.sqrt(p), sa), sb);
    return (1 / s - 1 / sb) * p1 + s - sa;
  };
  // LP ≤ HODL holds mathematically (the LP value is concave in P and tangent to HODL at P₀);
  // the min removes float noise of a few ulps above zero.
  return Math.min(0, value(p1) / value(p0) - 1);
}
