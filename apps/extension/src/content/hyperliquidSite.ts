import { readHyperliquidRows } from '../dom/readHyperliquidRows.js';
import { type SendFn, sendMessage } from '../messages/protocol.js';
import type { PositionView, Snapshot } from '../model.js';
import { formatBadge } from '../ui/formatBadge.js';
import type { BadgeItem } from '../ui/Overlay.js';
import type { SiteAdapter } from './PageController.js';

/** Coin in a Hyperliquid trade URL (`/trade/BTC`, `/trade/xyz:TSLA`), or null. */
export function coinFromPath(pathname: string): string | null {
  const m = /\/trade\/([^/?#]+)/.exec(pathname);
  if (!m?.[1]) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
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
    enabled: (snap: Snapshot) => snap.sites[kind],
    chainIds: (snap: Snapshot) => snap.siteChains.hyperliquid,
    fetchSnapshot: (doc: Document) =>
      sendMessage(send, 'getSnapshot', {
        maxAgeMs: Math.max(1000, params.pollMs - 500),
        focusCoin: coinFromPath(doc.location?.pathname ?? ''),
      }),
    focusCoin: (doc: Document) => coinFromPath(doc.location?.pathname ?? ''),
    readBadges(doc: Document, snap: Snapshot): BadgeItem[] | null {
      const hl = snap.positions.filter((p) => p.venue === 'hyperliquid');
      const rows = readHyperliquidRows(doc, [...new Set(hl.map((p) => p.coin))]);
      if (rows === null) return null;
      const items: BadgeItem[] = [];
      for (const row of rows) {
        // Several watched addresses may hold the same coin: badge the closest to liquidation.
        const p = hl.find((x) => x.coin === row.coin) as PositionView;
        const { text, label } = formatBadge(p);
        items.push({ anchor: row.anchor, key: p.key, text, label, level: p.level });
      }
      return items;
    },
  };
}
