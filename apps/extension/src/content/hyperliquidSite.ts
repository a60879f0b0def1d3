import { readHyperliquidRows } from '../dom/readHyperliquidRows.js';
import { type SendFn, sendMessage } from '../messages/protocol.js';
import type { Snapshot } from '../model.js';
import { formatBadge } from '../ui/formatBadge.js';
import type { BadgeItem } from '../ui/Overlay.js';
import type { SiteAdapter } from './PageController.js';
import { pageFromUrl } from './pageFromUrl.js';

/** Perp coin of a Hyperliquid or HIP-3 front-end page (`BTC`, `xyz:GOLD`); null on spot and other pages. */
export function focusCoinOf(doc: Document): string | null {
  const page = pageFromUrl(doc.location?.href ?? '');
  return page.kind === 'perp' ? page.coin : null;
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
    readBadges(doc: Document, snap: Snapshot, nowMs: number): BadgeItem[] | null {
      const hl = snap.positions.filter((p) => p.venue === 'hyperliquid');
      const rows = readHyperliquidRows(doc, [...new Set(hl.map((p) => p.coin))]);
      if (rows === null) return null;
      const items: BadgeItem[] = [];
      for (const row of rows) {
        // Several watched addresses may hold the same coin: the row's colour tells the side; among
        // equals, the first is the closest to liquidation (positions are sorted by distance).
        const same = hl.filter((x) => x.coin === row.coin);
        const side = same.length > 1 ? row.side : null;
        const p = same.find((x) => side === null || x.side === side) ?? same[0];
        if (!p) continue;
        const { text, label, level } = formatBadge(p, { nowMs, staleAfterMs: snap.staleAfterMs });
        items.push({ anchor: row.anchor, key: p.key, text, label, level });
      }
      return items;
    },
  };
}
