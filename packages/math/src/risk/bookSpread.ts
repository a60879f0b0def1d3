import { divRound, formatDecimal, toNumber } from '../internal/decimal.js';
import { type L2Book, parseL2Book } from './l2Book.js';

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
 * @throws {InvalidBookError} unsorted levels, non-positive price or a crossed book.
 * @example
 * bookSpread({ levels: [[{ px: '64900.0', sz: '12.4', n: 34 }], [{ px: '64901.0', sz: '3.9', n: 21 }]] })
 * // { bestBid: '64900', bestAsk: '64901', mid: '64900.5', spread: '1', spreadBps: 0.15408… }
 */
export function bookSpread(book: L2Book): BookSpread | null {
  const { bids, asks } = parseL2Book(book);
  const bid = bids[0];
  const ask = asks[0];
  if (bid === undefined || ask === undefined) return null;
  // (b + a) / 2 rounds only if both prices use all 18 decimals; half-even keeps it unbiased.
  const mid = divRound(bid.px + ask.px, 2n, 'halfEven');
  const spread = ask.px - bid.px;
  return {
    bestBid: formatDecimal(bid.px),
    bestAsk: formatDecimal(ask.px),
    mid: formatDecimal(mid),
    spread: formatDecimal(spread),
    spreadBps: (toNumber(spread) / toNumber(mid)) * 10_000,
  };
}
