import { parseNonNegative, parsePositive, unitFractionDecimal } from '../internal/args.js';
import { div, divRound, formatDecimal, toNumber, WAD } from '../internal/decimal.js';

/** Parameters of {@link constantProductSwap}. Amounts are decimal strings in token units. */
export type ConstantProductSwapParameters = {
  /** Pool reserve of the token sold into the pool, > 0. */
  readonly reserveIn: string;
  /** Pool reserve of the token bought from the pool, > 0. */
  readonly reserveOut: string;
  /** Amount sold into the pool, ≥ 0. */
  readonly amountIn: string;
  /** LP fee taken from the input as a fraction in [0, 1), e.g. `'0.003'` (Uniswap v2). Default `'0.003'`. */
  readonly feeFraction?: string;
};

/** Result of {@link constantProductSwap}. */
export type ConstantProductSwap = {
  /**
   * Tokens received, rounded down to 18 decimals (never more than the pool can give). The average
   * execution price is `amountOut / amountIn`.
   */
  readonly amountOut: string;
  /** Marginal price before the trade, `reserveOut / reserveIn` (out per in), 18 decimals half-even. */
  readonly spotPriceBefore: string;
  /** Marginal price after the trade (out per in), 18 decimals half-even. */
  readonly spotPriceAfter: string;
  /**
   * `(spotPriceBefore × amountIn − amountOut) / (spotPriceBefore × amountIn)` as in the Uniswap
   * SDK's `computePriceImpact`: the shortfall against the pre-trade price, fee included; in [0, 1).
   * `0` for a zero trade.
   */
  readonly priceImpact: number;
};

/**
 * Sells `amountIn` into a constant-product pool (x·y = k) and reports the output, the prices
 * before/after and the price impact (note 5). The pool price alone (`reserveOut / reserveIn`, the
 * marginal price of the input token in output tokens) is `spotPriceBefore` of a zero trade.
 *
 * `amountOut = reserveOut · a / (reserveIn + a)` with `a = amountIn · (1 − fee)`, rounded down —
 * the same result as Uniswap v2's `getAmountOut` (which uses 997/1000 for the 0.3 % fee).
 *
 * @throws {InvalidDecimalError} an amount or the fee is not a decimal string.
 * @throws {InvalidParameterError} a reserve ≤ 0, `amountIn` < 0, or fee outside [0, 1).
 * @example
 * // Uniswap v2-core test "getInputPrice:0": reserves 5 / 10, sell 1
 * constantProductSwap({ reserveIn: '5', reserveOut: '10', amountIn: '1' }).amountOut
 * // '1.662497915624478906'
 * constantProductSwap({ reserveIn: '5', reserveOut: '10', amountIn: '0' }).spotPriceBefore // '2'
 */
export function constantProductSwap(params: ConstantProductSwapParameters): ConstantProductSwap {
  const x = parsePositive(params.reserveIn, 'reserveIn');
  const y = parsePositive(params.reserveOut, 'reserveOut');
  const amountIn = parseNonNegative(params.amountIn, 'amountIn');
  const fee = unitFractionDecimal('feeFraction', params.feeFraction ?? '0.003', '[0, 1)');
  // a at WAD² scale keeps the fee multiplication exact; the one rounding is the final floor.
  const aWad2 = amountIn * (WAD - fee);
  const out = divRound(y * aWad2, x * WAD + aWad2, 'floor');
  // Prices: `div` is a / b at 18 decimals, half-even.
  return {
    amountOut: formatDecimal(out),
    spotPriceBefore: formatDecimal(div(y, x)),
    spotPriceAfter: formatDecimal(div(y - out, x + amountIn)),
    // (y·a_in/x − out) / (y·a_in/x) = 1 − out·x / (y·a_in), computed exactly then converted once.
    priceImpact: amountIn ? toNumber(WAD - div(out * x, y * amountIn)) : 0,
  };
}
