import { type FoundTable, findTable, type TableRow } from './findTable.js';

/** Header labels of the coin and size columns on Hyperliquid-style positions tables. */
export const HL_COLUMNS = {
  coin: [/^(coin|asset|market|symbol|ticker|instrument)$/],
  size: [/^(size|position|position size|amount|qty|quantity)$/],
} as const;

/** A positions-table row matched to a coin. */
export interface CoinRow {
  readonly coin: string;
  readonly row: Element;
  /** Cell the badge is attached to (the coin cell). */
  readonly anchor: Element;
}

/**
 * Reads Hyperliquid (and HIP-3 front-end) positions tables: the table whose header has a coin
 * and a size column; each row's coin cell is matched against the watched `coins`. Read-only.
 * Returns null when no positions table is on the page (the caller then shows a floating panel).
 */
export function readHyperliquidRows(root: ParentNode, coins: readonly string[]): CoinRow[] | null {
  const found: FoundTable<'coin' | 'size'> | null = findTable(root, HL_COLUMNS);
  if (!found) return null;
  const out: CoinRow[] = [];
  for (const r of found.rows as TableRow[]) {
    const cell = r.cells[found.columns.coin];
    if (!cell) continue;
    const coin = matchCoin(cellText(cell), coins);
    if (coin) out.push({ coin, row: r.row, anchor: cell });
  }
  return out;
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
