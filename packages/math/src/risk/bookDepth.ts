import { parsePositive } from '../internal/args.js';
import { divRound, type Fixed, formatDecimal, WAD } from '../internal/decimal.js';
import { type L2Book, type ParsedLevel, parseL2Book } from './l2Book.js';

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

/** Result of {@link bookDepth}. */
export type BookDepth = {
  /** Centre of the band (mid or the given reference). */
  readonly referencePx: string;
  /** `referencePx × (1 − band)`: bids at or above it count. */
  readonly lowerPx: string;
  /** `referencePx × (1 + band)`: asks at or below it count. */
  readonly upperPx: string;
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
 * @throws {InvalidParameterError} `bandFraction` ≤ 0 or `referencePx` ≤ 0.
 * @throws {InvalidDecimalError} a price, size or the band is not a decimal string.
 * @throws {InvalidBookError} unsorted levels, non-positive price or a crossed book.
 * @example
 * bookDepth({
 *   book: { levels: [[{ px: '99', sz: '1', n: 1 }, { px: '97', sz: '5', n: 1 }], [{ px: '101', sz: '2', n: 1 }]] },
 *   bandFraction: '0.02',
 * })
 * // referencePx '100', band [98, 102]: bid { base: '1', quote: '99', levels: 1 },
 * // ask { base: '2', quote: '202', levels: 1 }, totalQuote '301'
 */
export function bookDepth(params: BookDepthParameters): BookDepth | null {
  const band = parsePositive(params.bandFraction, 'bandFraction');
  const { bids, asks } = parseL2Book(params.book);
  let ref: Fixed;
  if (params.referencePx !== undefined) {
    ref = parsePositive(params.referencePx, 'referencePx');
  } else {
    const bid = bids[0];
    const ask = asks[0];
    if (bid === undefined || ask === undefined) return null;
    ref = divRound(bid.px + ask.px, 2n, 'halfEven');
  }
  // Bounds at WAD² scale so the comparison with px·WAD is exact.
  const lower2 = ref * (WAD - band);
  const upper2 = ref * (WAD + band);
  const bid = bids.length === 0 ? null : sideDepth(bids, (px) => px * WAD >= lower2);
  const ask = asks.length === 0 ? null : sideDepth(asks, (px) => px * WAD <= upper2);
  const total = (bid?.quote2 ?? 0n) + (ask?.quote2 ?? 0n);
  return {
    referencePx: formatDecimal(ref),
    lowerPx: formatDecimal(divRound(lower2, WAD, 'halfEven')),
    upperPx: formatDecimal(divRound(upper2, WAD, 'halfEven')),
    bid: bid === null ? null : bid.depth,
    ask: ask === null ? null : ask.depth,
    totalQuote: formatDecimal(divRound(total, WAD, 'halfEven')),
  };
}

function sideDepth(
  levels: readonly ParsedLevel[],
  inBand: (px: Fixed) => boolean,
): { depth: SideDepth; quote2: bigint } {
  let base = 0n;
  let quote2 = 0n; // WAD² scale, exact
  let count = 0;
  // Levels are sorted best-first, so the first level outside the band ends the walk.
  for (const level of levels) {
    if (!inBand(level.px)) break;
    base += level.sz;
    quote2 += level.px * level.sz;
    count++;
  }
  return {
    depth: {
      base: formatDecimal(base),
      quote: formatDecimal(divRound(quote2, WAD, 'halfEven')),
      levels: count,
    },
    quote2,
  };
}
