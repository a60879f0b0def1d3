import { chainSeverity, type WatcherEventKind } from '@perpscope/schemas';
import type { ChainConfig } from '../../config/chainsConfig.js';
import type { SubjectRef } from '../../db/queries/events.js';
import type { EventWriter } from '../../events/eventLog.js';
import type { ChainStateRecord } from './chainStateRecord.js';
import { guidanceFor, phaseOf } from './guidance.js';
import type { ReorgReport } from './headTracker.js';

/** Event kinds of the sequencer subject (payloads: `watcherEventCatalogue` of `@perpscope/schemas`). */
export const chainEventKinds = {
  status: 'chain.status',
  flags: 'chain.flags',
  reorg: 'chain.reorg',
} as const satisfies Record<string, WatcherEventKind>;

/** Incident kinds of the sequencer subject. */
export const chainIncidentKinds = {
  sequencer: 'sequencer',
  noData: 'no-data',
  reorg: 'reorg',
  safeLag: 'safe-lag',
  feedDown: 'feed-down',
} as const;

/**
 * Turns the difference between two chain states into transitions, events and incident updates, inside
 * the poll's transaction. Idempotent across restarts: incidents are looked up by subject + kind, and
 * nothing is emitted when the state did not change.
 */
export async function recordChainChanges(
  w: EventWriter,
  params: {
    config: ChainConfig;
    prev: ChainStateRecord;
    next: ChainStateRecord;
    reorg: ReorgReport | null;
  },
): Promise<void> {
  const { config, prev, next, reorg } = params;
  const subject: SubjectRef = { type: 'chain', id: String(config.chainId) };
  const now = w.now;
  const secondsSinceNewHead = next.lastIncreaseAt === null ? 0 : (now - next.lastIncreaseAt) / 1000;
  const headRef = next.head && {
    number: next.head.number,
    hash: next.head.hash,
    timestamp: next.head.timestamp,
  };

  if (prev.status !== next.status) {
    await w.q.chains.insertTransition({
      chainId: config.chainId,
      at: now,
      fromStatus: prev.status,
      toStatus: next.status,
      reasonsJson: JSON.stringify(next.reasons),
      flagsJson: JSON.stringify(next.flags),
    });
    await w.emit(chainEventKinds.status, subject, {
      chainId: config.chainId,
      name: config.name,
      from: prev.status,
      to: next.status,
      phase: phaseOf(next.status),
      guidance: [...guidanceFor(next.status)],
      reasons: next.reasons,
      flags: next.flags,
      head: headRef,
    });
  }
  const changedFlags = (Object.keys(next.flags) as (keyof typeof next.flags)[]).filter(
    // `?? false`: a state persisted before a flag existed (e.g. `idle`) lacks it.
    (k) => next.flags[k] !== (prev.flags[k] ?? false),
  );
  if (changedFlags.length > 0) {
    await w.emit(chainEventKinds.flags, subject, {
      chainId: config.chainId,
      flags: next.flags,
      changed: changedFlags,
    });
  }
  if (reorg) {
    await w.emit(chainEventKinds.reorg, subject, {
      chainId: config.chainId,
      depth: reorg.depth,
      fromNumber: reorg.fromNumber,
      replaced: reorg.replaced,
      newHash: reorg.newHash,
    });
  }

  // Sequencer liveness incident: opened on degraded/halted, escalated on halt, closed back at `up`.
  const live = await w.findOpenIncident(subject, chainIncidentKinds.sequencer);
  if (next.status === 'degraded' || next.status === 'halted') {
    const severity = chainSeverity(next.status) === 'critical' ? 'critical' : 'warning';
    const title = `${config.name}: sequencer ${next.status === 'halted' ? 'halted' : 'degraded'}`;
    let inc =
      live ??
      (await w.openIncident({
        subject,
        kind: chainIncidentKinds.sequencer,
        severity,
        title,
        context: { lastBlockBefore: headRef, reasonsAtOpen: next.reasons },
      }));
    if (severity === 'critical') inc = await w.escalateIncident(inc, 'critical', title);
    await w.touchIncident(inc, { peak: { maxSecondsSinceNewHead: round(secondsSinceNewHead) } });
  } else if (live && next.status === 'recovering' && !('firstBlockAfter' in live.context)) {
    await w.touchIncident(live, { context: { firstBlockAfter: headRef, recoveringSince: now } });
  } else if (live && next.status === 'up') {
    await w.closeIncident(live, { lastBlockAtClose: headRef });
  }

  // No trusted data: at once on a change into `unknown`; for a chain `unknown` since it was first
  // watched (RPCs that never answered) once that has lasted `noDataAfterSeconds` — `statusSince`
  // is persisted, so restarts neither reset the wait nor (one open incident per kind) duplicate it.
  const noData = await w.findOpenIncident(subject, chainIncidentKinds.noData);
  const unknownTooLong =
    prev.status === 'unknown' &&
    now - next.statusSince >= config.thresholds.noDataAfterSeconds * 1000;
  if (next.status === 'unknown' && (prev.status !== 'unknown' || unknownTooLong) && !noData) {
    await w.openIncident({
      subject,
      kind: chainIncidentKinds.noData,
      severity: 'warning',
      title: `${config.name}: no RPC endpoint can be trusted`,
      context: { reasons: next.reasons },
    });
  } else if (noData && next.status !== 'unknown') {
    await w.closeIncident(noData);
  }

  // Reorgs: one incident while the flag is held; critical when deep.
  const reorgInc = await w.findOpenIncident(subject, chainIncidentKinds.reorg);
  if (reorg) {
    const severity = reorg.depth >= config.thresholds.reorgCriticalDepth ? 'critical' : 'warning';
    let inc =
      reorgInc ??
      (await w.openIncident({
        subject,
        kind: chainIncidentKinds.reorg,
        severity,
        title: `${config.name}: reorg of depth ${reorg.depth}`,
      }));
    if (severity === 'critical') inc = await w.escalateIncident(inc, 'critical');
    const reorgs = Array.isArray(inc.context.reorgs) ? inc.context.reorgs : [];
    await w.touchIncident(inc, {
      peak: { maxReorgDepth: reorg.depth },
      context: {
        reorgs: [
          ...reorgs,
          { at: now, depth: reorg.depth, fromNumber: reorg.fromNumber, replaced: reorg.replaced },
        ].slice(-20),
      },
    });
  } else if (reorgInc && !next.flags.reorg) {
    await w.closeIncident(reorgInc);
  }

  // Safe-head lag.
  const safeInc = await w.findOpenIncident(subject, chainIncidentKinds.safeLag);
  const safeLagSeconds = next.safe ? round(now / 1000 - next.safe.timestamp) : 0;
  if (next.flags.safeLagWarn || next.flags.safeLagCrit) {
    const severity = next.flags.safeLagCrit ? 'critical' : 'warning';
    let inc =
      safeInc ??
      (await w.openIncident({
        subject,
        kind: chainIncidentKinds.safeLag,
        severity,
        title: `${config.name}: safe head lagging`,
        context: { safeAtOpen: next.safe, headAtOpen: headRef },
      }));
    if (severity === 'critical') inc = await w.escalateIncident(inc, 'critical');
    await w.touchIncident(inc, { peak: { maxSafeLagSeconds: safeLagSeconds } });
  } else if (safeInc) {
    await w.closeIncident(safeInc, { safeAtClose: next.safe });
  }

  // Uptime feed reporting down.
  const feedInc = await w.findOpenIncident(subject, chainIncidentKinds.feedDown);
  if (next.flags.feedDown && !feedInc) {
    await w.openIncident({
      subject,
      kind: chainIncidentKinds.feedDown,
      severity: 'critical',
      title: `${config.name}: uptime feed reports the sequencer down`,
      context: { feed: next.feed },
    });
  } else if (feedInc && !next.flags.feedDown) {
    await w.closeIncident(feedInc, { feedAtClose: next.feed });
  }
}

const round = (x: number) => Math.round(x * 1000) / 1000;
