import { InvalidBookError } from '../errors.js';
import { parseNonNegative, parsePositive } from '../internal/args.js';
import { divRound, type Fixed } from '../internal/decimal.js';

/**
 * One price level of a Hyperliquid `l2Book` side: price, total size and number of orders.
 *
 * @example
 * const level: L2Level = { px: '64900.0', sz: '12.40866', n: 34 }
 */
export type L2Level = {
  /** Price, decimal string (quote per base, e.g. USDC per BTC). */
  readonly px: string;
  /** Total size at this price, decimal string in base units. */
  readonly sz: string;
  /** Number of resting orders (informational). */
  readonly n?: number;
};

/**
 * An order book as Hyperliquid's `l2Book` info request returns it: `levels[0]` are the bids
 * (best, i.e. highest, first), `levels[1]` the asks (lowest first). Extra fields (`coin`, `time`…)
 * are ignored.
 *
 * @example
 * const book: L2Book = { levels: [[{ px: '99', sz: '1', n: 1 }], [{ px: '101', sz: '2', n: 1 }]] }
 */
export type L2Book = {
  readonly levels: readonly [readonly L2Level[], readonly L2Level[]];
};

/** A parsed level (internal). */
export type ParsedLevel = { readonly px: Fixed; readonly sz: Fixed };

/**
 * Parses and validates both sides: prices > 0, sizes ≥ 0, bids strictly descending, asks strictly
 * ascending, not crossed. Returns `[bids, asks, mid]`, `mid` (half-even) `undefined` when a side is
 * empty. Internal to the risk module.
 */
export function parseL2Book(
  book: L2Book,
): [bids: ParsedLevel[], asks: ParsedLevel[], mid: Fixed | undefined] {
  const [bids, asks] = book.levels.map((levels, side) => {
    let prev = 0n;
    return levels.map((level, i): ParsedLevel => {
      const name = `book.levels[${side}][${i}].`;
      const px = parsePositive(level.px, `${name}px`);
      if (i && (side ? px <= prev : px >= prev))
        throw new InvalidBookError(`${name}px`, 'is not sorted best-first');
      prev = px;
      return { px, sz: parseNonNegative(level.sz, `${name}sz`) };
    });
  }) as [ParsedLevel[], ParsedLevel[]];
  const bid = bids[0]?.px;
  const ask = asks[0]?.px;
  // A comparison with a missing (undefined) side is false: a one-sided book is not crossed.
  if ((bid as Fixed) >= (ask as Fixed)) throw new InvalidBookError('book', 'is crossed');
  // (b + a) / 2 rounds only if both prices use all 18 decimals; half-even keeps it unbiased.
  return [bids, asks, bid && ask && divRound(bid + ask, 2n, 'halfEven')];
}
