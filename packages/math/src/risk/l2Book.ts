import { InvalidBookError } from '../errors.js';
import { type Fixed, parseDecimal } from '../internal/decimal.js';

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
 * ascending, not crossed. Internal to the risk module.
 */
export function parseL2Book(book: L2Book): { bids: ParsedLevel[]; asks: ParsedLevel[] } {
  const bids = parseSide(book.levels[0], 'book.levels[0]', -1);
  const asks = parseSide(book.levels[1], 'book.levels[1]', 1);
  const bestBid = bids[0];
  const bestAsk = asks[0];
  if (bestBid !== undefined && bestAsk !== undefined && bestBid.px >= bestAsk.px) {
    throw new InvalidBookError('book', 'is crossed: best bid ≥ best ask');
  }
  return { bids, asks };
}

function parseSide(levels: readonly L2Level[], name: string, direction: 1 | -1): ParsedLevel[] {
  const out: ParsedLevel[] = [];
  let prev: Fixed | undefined;
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as L2Level;
    const px = parseDecimal(level.px, `${name}[${i}].px`);
    const sz = parseDecimal(level.sz, `${name}[${i}].sz`);
    if (px <= 0n) throw new InvalidBookError(`${name}[${i}].px`, `must be > 0, got "${level.px}"`);
    if (sz < 0n) throw new InvalidBookError(`${name}[${i}].sz`, `must be ≥ 0, got "${level.sz}"`);
    if (prev !== undefined && (direction === 1 ? px <= prev : px >= prev)) {
      throw new InvalidBookError(
        `${name}[${i}].px`,
        `is out of order: ${direction === 1 ? 'asks ascend' : 'bids descend'} best-first`,
      );
    }
    prev = px;
    out.push({ px, sz });
  }
  return out;
}
