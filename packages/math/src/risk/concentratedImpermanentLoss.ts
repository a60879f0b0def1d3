import { fail, parsePositive, positiveDecimalNumber } from '../internal/args.js';
import { toNumber } from '../internal/decimal.js';

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
  const lower = parsePositive(params.lowerPrice, 'lowerPrice');
  const upper = parsePositive(params.upperPrice, 'upperPrice');
  if (upper <= lower) {
    fail('upperPrice', `> lowerPrice (${params.lowerPrice})`, params.upperPrice);
  }
  const sa = Math.sqrt(toNumber(lower));
  const sb = Math.sqrt(toNumber(upper));
  const reserves = (p: number): { x: number; y: number } => {
    const s = Math.min(Math.max(Math.sqrt(p), sa), sb);
    return { x: 1 / s - 1 / sb, y: s - sa };
  };
  const atEntry = reserves(p0);
  const atExit = reserves(p1);
  const hodl = atEntry.x * p1 + atEntry.y;
  const lp = atExit.x * p1 + atExit.y;
  // LP ≤ HODL holds mathematically (the LP value is concave in P and tangent to HODL at P₀);
  // the min removes float noise of a few ulps above zero.
  return Math.min(0, lp / hodl - 1);
}
