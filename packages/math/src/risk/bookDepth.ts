import { parseOptional, parsePositive } from '../internal/args.js';
import { divRound, formatDecimal, WAD } from '../internal/decimal.js';
import { type L2Book, parseL2Book } from './l2Book.js';

/** Parameters of {@link bookDepth}. */
export type BookDepthParameters = {
  /** The order book (Hyperliquid `l2Book` shape). */
  readonly book: L2Book;
  /**
   * Half-width of the band around the reference price as a fraction, decimal string > 0:
   * `'0.02'` for Kaiko's ±2 % liquidity metric, `'0.03'` for the HIP-3 monitor's ±3 %.
   */
  readonly bandFraction: string;
  /**
   * Price the band is centred on (e.g. a HIP-3 oracle or mark price). Default: the book's mid,
   * which needs both sides.
   */
  readonly referencePx?: string;
};

/** Depth of one side inside the band. Decimal strings. */
export type SideDepth = {
  /** Sum of sizes, base units. */
  readonly base: string;
  /** Sum of `px × sz`, quote units (e.g. USDC). */
  readonly quote: string;
  /** Number of price levels inside the band. */
  readonly levels: number;
};

/**
 * Result of {@link bookDepth}. The band is `[ref × (1 − band), ref × (1 + band)]` around the
 * reference `ref` (the given `referencePx`, else the mid of `bookSpread`): bids at or above its
 * lower edge and asks at or below its upper edge count.
 */
export type BookDepth = {
  /** Bid depth, `null` when the book has no bids at all. */
  readonly bid: SideDepth | null;
  /** Ask depth, `null` when the book has no asks at all. */
  readonly ask: SideDepth | null;
  /** Bid + ask quote depth over the sides that exist, quote units. */
  readonly totalQuote: string;
};

/**
 * Order-book depth within ±band of the mid (or of a reference price), per side and in total:
 * the liquidity metric of founding notes 4 and 5 (Kaiko's ±2 % of mid, the HIP-3 monitor's ±3 %).
 *
 * Band edges are inclusive and compared exactly; quote depth is `Σ px·sz`, rounded once
 * (half-even) to 18 decimals.
 *
 * @returns `null` when there is no reference price: no `referencePx` and a side is empty.
 * @throws {InvalidParameterError} `bandFraction` ≤ 0, `referencePx` ≤ 0, a level price ≤ 0 or a
 *   negative size (`book.levels[side][i].px` / `.sz`).
 * @throws {InvalidDecimalError} a price, size or the band is not a decimal string.
 * @throws {InvalidBookError} a side not sorted best-first, or a crossed book.
 * @example
 * bookDepth({
 *   book: { levels: [[{ px: '99', sz: '1', n: 1 }, { px: '97', sz: '5', n: 1 }], [{ px: '101', sz: '2', n: 1 }]] },
 *   bandFraction: '0.02',
 * })
 * // mid 100, band [98, 102]: { bid: { base: '1', quote: '99', levels: 1 },
 * //   ask: { base: '2', quote: '202', levels: 1 }, totalQuote: '301' }
 */
export function bookDepth(params: BookDepthParameters): BookDepth | null {
  const band = parsePositive(params.bandFraction, 'bandFraction');
  const [bids, asks, mid] = parseL2Book(params.book);
  const ref = parseOptional(params.referencePx, 'referencePx', mid, parsePositive);
  if (ref === undefined) return null;
  // Bounds and quote sums at WAD² scale, exact; quote sums are rounded once (half-even).
  const lower = ref * (WAD - band);
  const upper = ref * (WAD + band);
  const format = (x: bigint) => formatDecimal(divRound(x, WAD, 'halfEven'));
  let total = 0n;
  const [bid, ask] = [bids, asks].map((levels, side): SideDepth | null => {
    if (!levels.length) return null;
    let base = 0n;
    let quote = 0n;
    let count = 0;
    // Levels are sorted best-first, so the first level outside the band ends the walk.
    for (const { px, sz } of levels) {
      if (side ? px * WAD > upper : px * WAD < lower) break;
      base += sz;
      quote += px * sz;
      count++;
    }
    total += quote;
    return { base: formatDecimal(base), quote: format(quote), levels: count };
  }) as [SideDepth | null, SideDepth | null];
  return { bid, ask, totalQuote: format(total) };
}
