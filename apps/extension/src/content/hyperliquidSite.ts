import { HyperliquidRowReader } from '../dom/readHyperliquidRows.js';
import { type SendFn, sendMessage } from '../messages/protocol.js';
import type { MarketView, PositionView, Snapshot } from '../model.js';
import { formatBadge, withOracleStatus } from '../ui/formatBadge.js';
import type { BadgeItem } from '../ui/Overlay.js';
import type { SiteAdapter } from './PageController.js';
import { readPageAccountHint } from './pageAccount.js';
import { pageFromUrl } from './pageFromUrl.js';

/** Perp coin of a Hyperliquid or HIP-3 front-end page (`BTC`, `xyz:GOLD`); null on spot and other pages. */
export function focusCoinOf(doc: Document): string | null {
  const page = pageFromUrl(doc.location?.href ?? '');
  return page.kind === 'perp' ? page.coin : null;
}

/**
 * Labels of Hyperliquid's account / margin summary. "Portfolio Value" and "Unified Account Summary"
 * are evidenced (a public extension's label fixes, research/extension.md §4.1); "Account Equity",
 * "Margin Ratio" and "Maintenance Margin" are assumed from the issue-18 trial's description.
 */
export const HL_MARGIN_SUMMARY_LABELS: ReadonlySet<string> = new Set([
  'Unified Account Summary',
  'Portfolio Value',
  'Account Equity',
  'Margin Ratio',
  'Maintenance Margin',
]);

/**
 * The area of the page's margin summary: the union of the rows (label + value) whose label is one
 * of {@link HL_MARGIN_SUMMARY_LABELS}. Walks text nodes: called only when the panel is placed.
 */
export function marginSummaryRects(doc: Document): DOMRect[] {
  const root = doc.body;
  const view = doc.defaultView;
  if (!root || !view) return [];
  const walker = doc.createTreeWalker(root, view.NodeFilter.SHOW_TEXT);
  let left = Number.POSITIVE_INFINITY;
  let top = Number.POSITIVE_INFINITY;
  let right = Number.NEGATIVE_INFINITY;
  let bottom = Number.NEGATIVE_INFINITY;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue?.trim() ?? '';
    if (text.length > 30 || !HL_MARGIN_SUMMARY_LABELS.has(text)) continue;
    const row = n.parentElement?.parentElement ?? n.parentElement;
    const r = row?.getBoundingClientRect();
    // A label straight under a page-wide container would claim the whole page: skip such rows.
    if (!r || r.width === 0 || r.width > view.innerWidth / 2 || r.height > view.innerHeight / 2)
      continue;
    left = Math.min(left, r.left);
    top = Math.min(top, r.top);
    right = Math.max(right, r.right);
    bottom = Math.max(bottom, r.bottom);
  }
  return left < right ? [new view.DOMRect(left, top, right - left, bottom - top)] : [];
}

/**
 * Adapter for app.hyperliquid.xyz and HIP-3 front-ends: Hyperliquid positions come from the API
 * (background); the page only provides anchors (the positions table's coin cells).
 */
export function hyperliquidSite(params: {
  send: SendFn;
  kind: 'hyperliquid' | 'hip3';
  pollMs: number;
}): SiteAdapter {
  const { send, kind } = params;
  // Row → coin matches are kept while the positions table's rows are the same nodes.
  const rowReader = new HyperliquidRowReader();
  return {
    name: kind === 'hyperliquid' ? 'Hyperliquid' : 'HIP-3',
    venue: 'hyperliquid',
    enabled: (snap: Snapshot) => snap.sites[kind],
    chainIds: (snap: Snapshot) => snap.siteChains.hyperliquid,
    fetchSnapshot: (doc: Document) =>
      sendMessage(send, 'getSnapshot', {
        maxAgeMs: Math.max(1000, params.pollMs - 500),
        focusCoin: focusCoinOf(doc),
      }),
    focusCoin: focusCoinOf,
    keepClear: marginSummaryRects,
    pageAccount: readPageAccountHint,
    readBadges(doc: Document, snap: Snapshot, nowMs: number): BadgeItem[] | null {
      // Positions and markets by coin: one pass each, not one search per row.
      const byCoin = new Map<string, PositionView[]>();
      for (const p of snap.positions) {
        if (p.venue !== 'hyperliquid') continue;
        const same = byCoin.get(p.coin);
        if (same) same.push(p);
        else byCoin.set(p.coin, [p]);
      }
      const markets = new Map<string, MarketView>();
      for (const m of snap.markets) if (!markets.has(m.coin)) markets.set(m.coin, m);
      const rows = rowReader.read(doc, [...byCoin.keys()]);
      if (rows === null) return null;
      const items: BadgeItem[] = [];
      for (const row of rows) {
        // Several watched addresses may hold the same coin: the row's colour tells the side; among
        // equals, the first is the closest to liquidation (positions are sorted by distance).
        const same = byCoin.get(row.coin) ?? [];
        const side = same.length > 1 ? row.side : null;
        const p = same.find((x) => side === null || x.side === side) ?? same[0];
        if (!p) continue;
        const { text, label, level } = withOracleStatus(
          formatBadge(p, { nowMs, staleAfterMs: snap.staleAfterMs }),
          markets.get(p.coin),
        );
        items.push({ anchor: row.anchor, key: p.key, text, label, level });
      }
      return items;
    },
  };
}
