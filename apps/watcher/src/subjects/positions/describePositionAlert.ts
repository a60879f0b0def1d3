import type { AlertMessage } from '../../alerts/AlertMessage.js';
import type { StoredEvent } from '../../db/queries/events.js';
import { positionEventKinds, type StoredPositionState } from './recordPositionChanges.js';

const num = (s: string | null | undefined) => (s == null ? null : Number(s));
const pct = (s: string | null | undefined) => {
  const n = num(s);
  return n === null ? 'n/a' : `${n.toFixed(2)} %`;
};
const px = (s: string | null | undefined) => (s == null ? 'none' : String(Number(s)));

const markSourceText = {
  ctxStream: 'the HIP-3 ctx stream',
  ctxRest: 'the HIP-3 ctx REST fallback',
  accountState: 'the account state',
} as const;

/** `" from the HIP-3 ctx stream, 2 s old"`; empty for states stored before the source was kept. */
function markOrigin(pos: StoredPositionState): string {
  if (!pos.markSource) return '';
  return ` from ${markSourceText[pos.markSource]}, ${Math.round((pos.markAgeMs ?? 0) / 1000)} s old`;
}

function positionLines(pos: StoredPositionState, previous: StoredPositionState | null): string[] {
  const lines = [
    `distance to liquidation ${pct(pos.distancePct)}${previous ? ` (was ${pct(previous.distancePct)})` : ''}${pos.distanceSigmas ? `, ${pos.distanceSigmas} σ of a day's move` : ''}; warn below ${pos.warnPct} %, critical below ${pos.criticalPct} %`,
    `liquidation price ${px(pos.liquidationPrice)} (venue: ${px(pos.venueLiquidationPrice)}), mark ${px(pos.markPrice)}${previous ? ` (was ${px(previous.markPrice)})` : ''}${markOrigin(pos)}`,
    `${pos.side} ${pos.size} ${pos.coin}, ${pos.marginMode}`,
  ];
  if (previous && previous.size !== pos.size)
    lines.push(`size changed ${previous.size} → ${pos.size}`);
  return [...lines, ...pos.reasons];
}

const guidanceOf: Record<string, string> = {
  critical:
    'Liquidation is close: add margin or reduce the position now. During a halt or a stale oracle, fills may come late.',
  warn: 'Liquidation distance is shrinking: consider adding margin or reducing size before it reaches critical.',
  ok: 'Back above the warn threshold; no action needed.',
};

/**
 * Turns a position-guard event into an alert (SPEC §3.4): one message per level crossing with the
 * position, distance, liquidation price (ours and the venue's), mark and what changed; a liquidation
 * fill at once (critical); `null` for other events. Episodes (`ok` → … → `ok`) map onto the outbox's
 * incident semantics: the first crossing opens, later ones escalate (their own id, so each is sent
 * once), the return to `ok` (or a plain close) resolves — only when the open was sent.
 */
export function describePositionAlert(ev: StoredEvent, publicUrl?: string): AlertMessage | null {
  // Read as a record: the branches below check each field they use.
  const p: Record<string, unknown> = ev.payload;
  const label = String(p.label ?? '');
  const coin = String(p.coin ?? '');
  const subject = `${ev.subject.type}:${ev.subject.id}`;
  const url = publicUrl ? { url: publicUrl } : {};
  if (ev.kind === positionEventKinds.level) {
    const pos = p.position as StoredPositionState;
    const previous = (p.previous as StoredPositionState | null) ?? null;
    const from = String(p.from);
    const to = String(p.to);
    const episodeId = String(p.episodeId);
    const transition = from === 'ok' ? 'open' : to === 'ok' ? 'resolve' : 'escalate';
    return {
      subject,
      subjectName: `${label} · ${coin} ${pos.side}`,
      transition,
      severity: to === 'critical' ? 'critical' : to === 'warn' ? 'warning' : 'info',
      status: to,
      previousStatus: from,
      reasons: positionLines(pos, previous),
      guidance: guidanceOf[to] ?? '',
      incidentId: transition === 'escalate' ? `${episodeId}:${ev.id}` : episodeId,
      atMs: ev.at,
      ...url,
    };
  }
  if (ev.kind === positionEventKinds.liquidated) {
    const last = (p.lastKnown as StoredPositionState | null) ?? null;
    const reasons = [
      `liquidation fill: ${p.side === 'B' ? 'bought' : 'sold'} ${String(p.sz)} ${coin} at ${px(p.px as string)}${p.markPx ? `, mark ${px(p.markPx as string)}` : ''}${p.method ? ` (${String(p.method)})` : ''}`,
      `position before: ${String(p.startPosition)}; realized PnL ${String(p.closedPnl)}`,
    ];
    if (last)
      reasons.push(
        `last seen: distance ${pct(last.distancePct)}, liquidation price ${px(last.liquidationPrice)}, mark ${px(last.markPrice)} (level ${String(p.lastKnownLevel)})`,
      );
    return {
      subject,
      subjectName: `${label} · ${coin}`,
      transition: 'open',
      severity: 'critical',
      status: 'liquidated',
      reasons,
      guidance: 'The position was liquidated. Check the account and the remaining margin.',
      incidentId: `liq:${ev.subject.id}:${String(p.tid)}`,
      atMs: ev.at,
      ...url,
    };
  }
  if (ev.kind === positionEventKinds.closed && p.episodeId && !p.liquidated) {
    return {
      subject,
      subjectName: `${label} · ${coin}`,
      transition: 'resolve',
      severity: 'info',
      status: 'closed',
      previousStatus: String(p.lastKnownLevel),
      reasons: ['the position was closed'],
      guidance: 'Nothing left to guard on this market.',
      incidentId: String(p.episodeId),
      atMs: ev.at,
      ...url,
    };
  }
  return null;
}
