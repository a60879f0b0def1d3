import { formatDecimal, toNumber } from '../internal/decimal.js';
import { type L2Book, type ParsedLevel, parseL2Book } from './l2Book.js';

/** Result of {@link bookSpread}. Prices are decimal strings in quote units. */
export type BookSpread = {
  /** Highest bid price. */
  readonly bestBid: string;
  /** Lowest ask price. */
  readonly bestAsk: string;
  /** `(bestBid + bestAsk) / 2`, exact. */
  readonly mid: string;
  /** `bestAsk − bestBid`, exact. */
  readonly spread: string;
  /** Spread relative to mid in basis points (`spread / mid × 10,000`), float64. */
  readonly spreadBps: number;
};

/**
 * Top-of-book spread of an order book: best bid/ask, mid, absolute spread and spread in bps.
 *
 * @returns `null` when either side is empty (there is no spread).
 * @throws {InvalidDecimalError} a price or size is not a decimal string.
 * @throws {InvalidParameterError} a level price ≤ 0 or a negative size.
 * @throws {InvalidBookError} a side not sorted best-first, or a crossed book.
 * @example
 * bookSpread({ levels: [[{ px: '64900.0', sz: '12.4', n: 34 }], [{ px: '64901.0', sz: '3.9', n: 21 }]] })
 * // { bestBid: '64900', bestAsk: '64901', mid: '64900.5', spread: '1', spreadBps: 0.15408… }
 */
export function bookSpread(book: L2Book): BookSpread | null {
  const [[bid], [ask], mid] = parseL2Book(book);
  if (mid === undefined) return null;
  const { px: bestBid } = bid as ParsedLevel;
  const { px: bestAsk } = ask as ParsedLevel;
  const spread = bestAsk - bestBid;
  return {
    bestBid: formatDecimal(bestBid),
    bestAsk: formatDecimal(bestAsk),
    mid: formatDecimal(mid),
    spread: formatDecimal(spread),
    spreadBps: (toNumber(spread) / toNumber(mid)) * 10_000,
  };
}
