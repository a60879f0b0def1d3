import type { Snapshot } from '../model.js';
import {
  chainIsStale,
  emptyPositionsText,
  formatBadge,
  formatChain,
  formatFundingPerDay,
  formatGuard,
  formatMarket,
  freshnessOf,
  withOracleStatus,
} from '../ui/formatBadge.js';

function el<K extends keyof HTMLElementTagNameMap>(
  doc: Document,
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

/**
 * Renders the popup: every watched position across venues sorted by liquidation distance
 * (closest first), chain and oracle statuses, and the last update time. Text only.
 */
export function renderPopup(
  root: HTMLElement,
  snap: Snapshot,
  nowMs: number,
  /** Labels of the watched addresses (settings), by lower-case address. */
  labels: Readonly<Record<string, string>> = {},
): void {
  const doc = root.ownerDocument;
  const parts: HTMLElement[] = [];
  const fresh = { nowMs, staleAfterMs: snap.staleAfterMs };

  const pos = el(doc, 'section');
  pos.setAttribute('aria-labelledby', 'pos-h');
  const posH = el(doc, 'h2', 'Positions (closest to liquidation first)');
  posH.id = 'pos-h';
  pos.append(posH);
  if (snap.positions.length === 0) pos.append(el(doc, 'p', emptyPositionsText(snap), 'empty'));
  else {
    const ol = el(doc, 'ol', undefined, 'positions');
    const sorted = [...snap.positions].sort(
      (a, b) =>
        (a.distancePct ?? Number.POSITIVE_INFINITY) - (b.distancePct ?? Number.POSITIVE_INFINITY),
    );
    for (const p of sorted) {
      const li = el(doc, 'li', undefined, 'pos');
      const badge = withOracleStatus(
        formatBadge(p, fresh),
        snap.markets.find((m) => m.coin === p.coin),
      );
      li.dataset.level = badge.level;
      li.dataset.key = p.key;
      li.title = badge.label;
      const hl = p.venue === 'hyperliquid' ? (p.dex ? `HL ${p.dex}` : 'HL') : 'Aevo';
      const label = labels[p.account.toLowerCase()];
      const venue = label ? `${hl} · ${label}` : hl;
      li.append(
        el(doc, 'span', `${p.coin} ${p.side} ${p.size}`, 'name'),
        el(doc, 'span', ` · ${venue} · `, 'venue'),
      );
      li.append(el(doc, 'span', badge.text, 'dist'));
      li.append(el(doc, 'span', ` (${badge.level})`, 'level'));
      const funding = formatFundingPerDay(
        p,
        snap.markets.find((m) => m.coin === p.coin),
      );
      if (funding) li.append(el(doc, 'span', ` · ${funding}`, 'funding'));
      ol.append(li);
    }
    pos.append(ol);
  }
  parts.push(pos);

  // The watcher's 24/7 guard per address (issue 16): whether alerts reach the user with the
  // browser closed. Shown only when a watcher is configured.
  const guardLines = snap.addresses.flatMap((addr) => {
    const text = formatGuard(snap.guards[addr] ?? null, fresh);
    if (text === null) return [];
    const g = snap.guards[addr];
    const who = labels[addr.toLowerCase()] ?? `${addr.slice(0, 6)}…${addr.slice(-4)}`;
    const li = el(doc, 'li', `${who}: ${text}`, 'guard');
    li.dataset.guard =
      g && g.dataAt > 0 && !freshnessOf(g, fresh).stale ? (g.on ? 'on' : 'off') : 'stale';
    return [li];
  });
  if (guardLines.length > 0) {
    const guard = el(doc, 'section');
    guard.append(el(doc, 'h2', 'Position guard (your watcher)'));
    const gl = el(doc, 'ul', undefined, 'guards');
    gl.append(...guardLines);
    guard.append(gl);
    parts.push(guard);
  }

  const status = el(doc, 'section');
  status.append(el(doc, 'h2', 'Chains and oracles'));
  const ul = el(doc, 'ul', undefined, 'statuses');
  for (const c of snap.chains) {
    const li = el(doc, 'li', formatChain(c, fresh), 'chain');
    li.dataset.status = chainIsStale(c, fresh) ? 'stale' : c.status;
    const impacts = c.impacts.map((i) => `${i.venue} (${i.kind}): ${i.guidance}`).join(' ');
    if (c.status !== 'up') li.title = impacts || c.guidance;
    ul.append(li);
  }
  for (const m of snap.markets) {
    const li = el(doc, 'li', formatMarket(m, fresh), 'market');
    li.dataset.status = freshnessOf(m, { nowMs, staleAfterMs: m.staleAfterMs }).stale
      ? 'stale'
      : m.oracleStatus;
    ul.append(li);
  }
  if (snap.watcher === 'off')
    ul.append(el(doc, 'li', 'No watcher configured: chain and oracle statuses off.', 'note'));
  if (snap.watcher === 'error') ul.append(el(doc, 'li', 'Watcher unreachable.', 'note'));
  status.append(ul);
  parts.push(status);

  const foot = el(doc, 'footer');
  const updated =
    snap.updatedAt > 0
      ? `Updated ${new Date(snap.updatedAt).toLocaleTimeString()} (${Math.max(0, Math.round((nowMs - snap.updatedAt) / 1000))} s ago)`
      : 'Not updated yet';
  foot.append(el(doc, 'p', updated, 'updated'));
  for (const problem of snap.problems.slice(0, 3)) foot.append(el(doc, 'p', problem, 'problem'));
  parts.push(foot);

  root.replaceChildren(...parts);
}
