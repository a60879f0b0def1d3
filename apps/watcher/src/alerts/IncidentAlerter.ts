import type { StoredEvent, SubjectRef } from '../db/queries/events.js';
import { type IncidentEventKind, isIncidentEvent } from '../events/eventLog.js';
import type { AlertMessage, AlertTransition } from './AlertMessage.js';
import type { AlertOutbox } from './AlertOutbox.js';
import { EventCursorFeed, type FollowDeps } from './EventCursorFeed.js';

/** What an alert says about its subject, looked up when the incident event is processed. */
export type SubjectDescription = {
  name: string;
  status: string;
  reasons: readonly string[];
  guidance: string;
};

/** Describes a subject (`chain`, `market`...) at `atMs`, or `null` when it is not known. */
export type DescribeSubject = (
  subject: SubjectRef,
  atMs: number,
) => Promise<SubjectDescription | null>;

/** The alert transition each `incident.*` event kind is. */
const transitionOf = {
  'incident.opened': 'open',
  'incident.escalated': 'escalate',
  'incident.closed': 'resolve',
} as const satisfies Record<IncidentEventKind, AlertTransition>;

/**
 * Turns an `incident.*` event into an alert; `null` for every other kind.
 *
 * @example alertFromEvent(ev, describe) // { transition: 'open', subject: 'chain:8453', ... }
 */
export async function alertFromEvent(
  ev: StoredEvent,
  describe: DescribeSubject,
  publicUrl?: string,
): Promise<AlertMessage | null> {
  if (!isIncidentEvent(ev)) return null;
  const transition = transitionOf[ev.kind];
  const p = ev.payload;
  const title = p.title;
  const d = await describe(ev.subject, ev.at);
  const reasons = d?.reasons.length ? [...d.reasons] : [];
  if (!reasons.includes(title)) reasons.unshift(title);
  return {
    subject: `${ev.subject.type}:${ev.subject.id}`,
    subjectName: d?.name ?? `${ev.subject.type} ${ev.subject.id}`,
    transition,
    severity: transition === 'resolve' ? 'info' : p.severity,
    status:
      transition === 'resolve' ? `resolved, now ${d?.status ?? 'unknown'}` : (d?.status ?? p.kind),
    reasons,
    guidance: d?.guidance || 'See the status page for details.',
    incidentId: String(p.incidentId),
    atMs: ev.at,
    ...(publicUrl && { url: publicUrl }),
  };
}

/** Dependencies of {@link IncidentAlerter}: the feed's (store, log, duty, retries) and the outbox. */
export type IncidentAlerterDeps = FollowDeps & {
  outbox: AlertOutbox;
  describe: DescribeSubject;
  publicUrl?: string;
};

/**
 * Feeds incident transitions from the event log into the alert outbox, at least once (an
 * {@link EventCursorFeed} on the `incidents` cursor): each alert's outbox rows and the cursor advance
 * commit together, so an event published while the database refused writes, or during a crash, is
 * picked up from the log later. The first start begins at the end of the log (no alerts for history).
 */
export class IncidentAlerter extends EventCursorFeed {
  constructor(deps: IncidentAlerterDeps) {
    const { outbox, describe, publicUrl } = deps;
    super({
      ...deps,
      cursor: 'incidents',
      name: 'alert feed',
      wakesOn: isIncidentEvent,
      handleBatch: async ({ events, cursor, tx, queued }) => {
        let lastSkipped = cursor;
        for (const ev of events) {
          const message = await alertFromEvent(ev, describe, publicUrl);
          if (!message) {
            lastSkipped = ev.id;
            continue;
          }
          // The rows and the cursor commit together (the skipped events before this one too).
          const results = await tx(async (q) => {
            const queuedHere = await outbox.enqueueIn(q, message);
            if (queuedHere.length === 0 && outbox.sinkNames.length > 0)
              throw new Error('enqueue failed');
            await q.alerts.advanceAlertCursor('incidents', ev.id);
            return queuedHere;
          });
          outbox.settle(results);
          queued(results.filter((r) => r.outcome === 'queued').length);
          lastSkipped = ev.id;
        }
        if (lastSkipped > cursor)
          await tx((q) => q.alerts.advanceAlertCursor('incidents', lastSkipped));
      },
    });
  }
}
