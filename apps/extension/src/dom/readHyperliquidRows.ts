import { isHip3Coin, parseCoin, symbolOf } from '@perpscope/hyperliquid';
import {
  type FoundTable,
  findTable,
  ROW_SELECTOR,
  TABLE_SELECTOR,
  type TableRow,
} from './findTable.js';

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
  return new HyperliquidRowReader().read(root, coins);
}

type HlTable = FoundTable<keyof typeof HL_COLUMNS | keyof typeof HL_POSITION_COLUMNS>;

/** A table's header as a read found it: still the same when these nodes and text are. */
interface SeenHeader {
  readonly table: Element;
  /** `table.querySelector(ROW_SELECTOR)` (cheap to compare; the header is usually it). */
  readonly first: Element | null;
  /** The table's own first row (what {@link findTable} reads the labels from). */
  readonly header: Element | null;
  readonly text: string | null;
}

/** A data row of the positions table and its match, kept while its nodes are the same. */
interface SeenRow {
  readonly row: Element;
  readonly coinCell: Element;
  readonly sizeCell: Element | undefined;
  /** `coinCell.textContent` when matched (a change means: match again). */
  text: string | null;
  match: CoinRow | null;
}

interface RowCache {
  readonly coins: string;
  readonly tables: readonly Element[];
  /** Headers of the tables up to the positions table (all tables when none matched). */
  readonly headers: readonly SeenHeader[];
  readonly found: {
    readonly table: Element;
    readonly rows: readonly Element[];
    readonly counts: readonly number[];
    readonly data: readonly SeenRow[];
  } | null;
}

/**
 * {@link readHyperliquidRows} for repeated reads of one page: keeps the positions table, its rows'
 * coin cells and their coin matches, and reuses them while the page's tables, their header rows
 * and header texts, the positions table's rows and each row's cell count are the same nodes (an
 * SPA navigation or tab switch that replaces or relabels them makes it read the page afresh). A
 * coin cell whose text changed is matched again. The result equals a fresh read's, at a fraction
 * of its cost: no header parsing, no per-row cell queries, no coin matching for unchanged rows.
 */
export class HyperliquidRowReader {
  #cache: RowCache | null = null;

  /** Rows of the positions table matched to `coins`, or null when there is no such table. */
  read(root: ParentNode, coins: readonly string[]): CoinRow[] | null {
    const key = coins.join('\n');
    const tables = Array.from(root.querySelectorAll(TABLE_SELECTOR));
    const cache = this.#cache;
    if (cache && cache.coins === key && stillValid(cache, tables)) return rowsOf(cache, coins);
    this.#cache = fresh(root, tables, key);
    return rowsOf(this.#cache, coins);
  }
}

function headerOf(table: Element): SeenHeader {
  const first = table.querySelector(ROW_SELECTOR);
  let header: Element | null = null;
  if (first)
    for (const r of Array.from(table.querySelectorAll(ROW_SELECTOR)))
      if (r.closest(TABLE_SELECTOR) === table) {
        header = r;
        break;
      }
  return { table, first, header, text: header?.textContent ?? null };
}

function fresh(root: ParentNode, tables: readonly Element[], key: string): RowCache {
  const found: HlTable | null = findTable(
    root,
    HL_COLUMNS,
    HL_POSITION_COLUMNS,
    (c) => c.positionValue >= 0 || c.liq >= 0 || c.pnlRoe >= 0 || (c.entry >= 0 && c.mark >= 0),
  );
  const upTo = found ? tables.indexOf(found.table) : tables.length - 1;
  const headers = tables.slice(0, upTo + 1).map(headerOf);
  if (!found) return { coins: key, tables, headers, found: null };
  const rows = Array.from(found.table.querySelectorAll(ROW_SELECTOR));
  const data: SeenRow[] = [];
  for (const r of found.rows as TableRow[]) {
    const coinCell = r.cells[found.columns.coin];
    if (!coinCell) continue;
    data.push({
      row: r.row,
      coinCell,
      sizeCell: r.cells[found.columns.size],
      text: null,
      match: null,
    });
  }
  return {
    coins: key,
    tables,
    headers,
    found: { table: found.table, rows, counts: rows.map((r) => r.childElementCount), data },
  };
}

/** Whether the nodes (and header texts) a cached read depended on are unchanged. */
function stillValid(cache: RowCache, tables: readonly Element[]): boolean {
  if (tables.length !== cache.tables.length) return false;
  for (let i = 0; i < tables.length; i++) if (tables[i] !== cache.tables[i]) return false;
  for (const h of cache.headers) {
    if (h.table.querySelector(ROW_SELECTOR) !== h.first) return false;
    if ((h.header?.textContent ?? null) !== h.text) return false;
  }
  const found = cache.found;
  if (!found) return true;
  const rows = found.table.querySelectorAll(ROW_SELECTOR);
  if (rows.length !== found.rows.length) return false;
  for (let i = 0; i < rows.length; i++) {
    const row = rows.item(i);
    if (row !== found.rows[i] || row.childElementCount !== found.counts[i]) return false;
  }
  for (const d of found.data)
    if (d.coinCell.parentNode !== d.row || (d.sizeCell && d.sizeCell.parentNode !== d.row))
      return false;
  return true;
}

/** The cached rows' matches, matching again the coin cells whose text changed. */
function rowsOf(cache: RowCache, coins: readonly string[]): CoinRow[] | null {
  if (!cache.found) return null;
  const out: CoinRow[] = [];
  for (const d of cache.found.data) {
    const text = d.coinCell.textContent;
    if (text !== d.text) {
      d.text = text;
      d.match = matchRow(d, coins);
    }
    if (d.match) out.push(d.match);
  }
  return out;
}

function matchRow(d: SeenRow, coins: readonly string[]): CoinRow | null {
  const { row, coinCell: cell, sizeCell } = d;
  const coin = matchCoin(cellText(cell), coins);
  if (!coin) return null;
  // Read on demand: the colour is needed only when several watched positions share the coin,
  // and style reads are the costliest part of the read pass.
  return {
    coin,
    row,
    anchor: cell,
    get side() {
      return sideOf(cell) ?? sideOf(sizeCell);
    },
  };
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
  const bare = coins.filter(isHip3Coin);
  for (const c of bare) {
    const { dex, symbol } = parseCoin(c);
    if (lower.has(c.toLowerCase())) return c;
    if (lower.has(symbol.toLowerCase()) && lower.has(dex.toLowerCase())) return c;
  }
  for (const c of coins) if (lower.has(c.toLowerCase())) return c;
  for (const c of bare) {
    const sym = symbolOf(c).toLowerCase();
    if (!lower.has(sym)) continue;
    const same = coins.filter((o) => symbolOf(o).toLowerCase() === sym);
    if (same.length === 1) return c;
  }
  return null;
}
