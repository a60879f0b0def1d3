import { type FoundTable, findTable, type TableRow } from './findTable.js';

/**
 * Header labels of Hyperliquid-style positions tables (research/venues.md §1). Trade History, Open
 * Orders, TWAP, Funding History and Order History also have Coin and Size columns, so a table is
 * the positions table only with a positions-only column too: Position Value, Liq. Price,
 * PNL (ROE %), or Entry Price together with Mark Price.
 */
export const HL_COLUMNS = {
  coin: [/^(coin|asset|market|symbol)$/],
  size: [/^(size|position size|position|amount|qty|quantity)$/],
} as const;

/** Positions-only columns (none of them is on another tab of the same page). */
export const HL_POSITION_COLUMNS = {
  positionValue: [/^position value$/],
  liq: [/^(liq\.? price|liquidation price)$/],
  pnlRoe: [/^pnl \(roe ?%\)$/],
  entry: [/^entry( price)?$/],
  mark: [/^mark( price)?$/],
} as const;

/** Text colours Hyperliquid gives long and short positions (Perpetualpulse `platform.js`, venues.md §1). */
const SIDE_COLOURS = { long: 'rgb(31,166,125)', short: 'rgb(237,112,136)' } as const;

/** A positions-table row matched to a coin. */
export interface CoinRow {
  readonly coin: string;
  readonly row: Element;
  /** Cell the badge is attached to (the coin cell). */
  readonly anchor: Element;
  /**
   * Side from the colour of the coin or size cell; null when neither carries a known colour.
   * Read from the page when first accessed.
   */
  readonly side: 'long' | 'short' | null;
}

/**
 * Reads Hyperliquid (and HIP-3 front-end) positions tables: the table whose header has a coin and
 * a size column and a positions-only column ({@link HL_POSITION_COLUMNS}); each row's coin cell is
 * matched against the watched `coins`. Read-only. Returns null when no positions table is
 * recognised (the caller then lists positions in the floating panel and says so).
 */
export function readHyperliquidRows(root: ParentNode, coins: readonly string[]): CoinRow[] | null {
  const found: FoundTable<keyof typeof HL_COLUMNS | keyof typeof HL_POSITION_COLUMNS> | null =
    findTable(
      root,
      HL_COLUMNS,
      HL_POSITION_COLUMNS,
      (c) => c.positionValue >= 0 || c.liq >= 0 || c.pnlRoe >= 0 || (c.entry >= 0 && c.mark >= 0),
    );
  if (!found) return null;
  const out: CoinRow[] = [];
  for (const r of found.rows as TableRow[]) {
    const cell = r.cells[found.columns.coin];
    if (!cell) continue;
    const coin = matchCoin(cellText(cell), coins);
    if (!coin) continue;
    const sizeCell = r.cells[found.columns.size];
    // Read on demand: the colour is needed only when several watched positions share the coin,
    // and style reads are the costliest part of the read pass.
    out.push({
      coin,
      row: r.row,
      anchor: cell,
      get side() {
        return sideOf(cell) ?? sideOf(sizeCell);
      },
    });
  }
  return out;
}

/**
 * Side from the text colour of a cell: inline `color` on the cell or inside it (how the app sets it,
 * per Perpetualpulse), else the computed colour of the cell's first leaf element (one style read).
 */
function sideOf(cell: Element | undefined): 'long' | 'short' | null {
  if (!cell) return null;
  const elements = [cell, ...Array.from(cell.querySelectorAll('*'))];
  for (const el of elements) {
    const side = sideOfColour((el as HTMLElement).style?.color);
    if (side) return side;
  }
  const leaf = elements.find((el) => el.childElementCount === 0) ?? cell;
  return sideOfColour(cell.ownerDocument.defaultView?.getComputedStyle(leaf).color);
}

function sideOfColour(colour: string | undefined): 'long' | 'short' | null {
  const c = (colour ?? '').replace(/\s+/g, '');
  if (c === SIDE_COLOURS.long) return 'long';
  if (c === SIDE_COLOURS.short) return 'short';
  return null;
}

/** Text of a cell without our own badge (our host elements carry no light-DOM text, but be safe). */
function cellText(cell: Element): string {
  let text = '';
  const walker = cell.ownerDocument.createTreeWalker(cell, 4 /* NodeFilter.SHOW_TEXT */);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement?.closest('perpscope-badge')) continue;
    text += ` ${n.nodeValue ?? ''}`;
  }
  return text;
}

/**
 * Matches a coin cell's text (e.g. `BTC 20x`, `xyz:TSLA 10x`, `TSLA xyz 10x`) to one of `coins`
 * (HL names, HIP-3 ones prefixed `dex:`). A HIP-3 coin named in full or as its symbol beside its
 * dex tag wins (so `BTC hyna` is `hyna:BTC` even when main-dex `BTC` is watched too), then an
 * exact name, then a bare HIP-3 symbol that is unambiguous.
 */
export function matchCoin(text: string, coins: readonly string[]): string | null {
  const tokens = text.split(/[\s/|·•()-]+/).filter(Boolean);
  const lower = new Set(tokens.map((t) => t.toLowerCase()));
  const bare = coins.filter((c) => c.includes(':'));
  for (const c of bare) {
    const [dex = '', sym = ''] = c.split(':');
    if (lower.has(c.toLowerCase())) return c;
    if (lower.has(sym.toLowerCase()) && lower.has(dex.toLowerCase())) return c;
  }
  for (const c of coins) if (lower.has(c.toLowerCase())) return c;
  for (const c of bare) {
    const sym = (c.split(':')[1] ?? '').toLowerCase();
    if (!lower.has(sym)) continue;
    const same = coins.filter((o) => (o.split(':').at(-1) ?? '').toLowerCase() === sym);
    if (same.length === 1) return c;
  }
  return null;
}
