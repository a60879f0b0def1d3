import { readAevoAccount, readAevoPositions } from '../dom/readAevoPage.js';
import { type SendFn, sendMessage } from '../messages/protocol.js';
import type { Snapshot } from '../model.js';
import { formatBadge } from '../ui/formatBadge.js';
import type { BadgeItem } from '../ui/Overlay.js';
import type { SiteAdapter } from './PageController.js';

/**
 * Adapter for app.aevo.xyz: positions and health inputs are read from the page (Aevo's account API
 * needs keys) and reported to the background, which computes distances and health.
 */
export function aevoSite(params: { send: SendFn }): SiteAdapter {
  return {
    name: 'Aevo',
    venue: 'aevo',
    enabled: (snap: Snapshot) => snap.sites.aevo,
    chainIds: (snap: Snapshot) => snap.siteChains.aevo,
    fetchSnapshot: (doc: Document) =>
      sendMessage(params.send, 'reportAevoPage', {
        positions: (readAevoPositions(doc) ?? []).map((r) => r.position),
        account: readAevoAccount(doc),
      }),
    focusCoin: () => null,
    readBadges(doc: Document, snap: Snapshot, nowMs: number): BadgeItem[] | null {
      const rows = readAevoPositions(doc);
      if (rows === null) return null;
      const items: BadgeItem[] = [];
      for (const row of rows) {
        const p = snap.positions.find(
          (x) => x.venue === 'aevo' && x.coin === row.position.instrument,
        );
        if (!p) continue;
        const { text, label, level } = formatBadge(p, { nowMs, staleAfterMs: snap.staleAfterMs });
        items.push({ anchor: row.anchor, key: p.key, text, label, level });
      }
      return items;
    },
  };
}
