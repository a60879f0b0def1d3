import type { Logger } from 'pino';
import type { Db } from '../db/openDb.js';
import { advanceAlertCursor, initAlertCursor, readAlertCursor } from '../db/queries/alerts.js';
import { eventsAfter, type StoredEvent, type SubjectRef } from '../db/queries/events.js';
import { type EventLog, type IncidentEventKind, isIncidentEvent } from '../events/eventLog.js';
import type { AlertMessage, AlertTransition } from './AlertMessage.js';
import type { AlertOutbox } from './AlertOutbox.js';

/** What an alert says about its subject, looked up when the incident event is processed. */
export type SubjectDescription = {
  name: string;
  status: string;
  reasons: readonly string[];
  guidance: string;
};

/** Describes a subject (`chain`, `market`...) at `atMs`, or `null` when it is not known. */
export type DescribeSubject = (subject: SubjectRef, atMs: number) => SubjectDescription | null;

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
export function alertFromEvent(
  ev: StoredEvent,
  describe: DescribeSubject,
  publicUrl?: string,
): AlertMessage | null {
  if (!isIncidentEvent(ev)) return null;
  const transition = transitionOf[ev.kind];
  const p = ev.payload;
  const title = p.title;
  const d = describe(ev.subject, ev.at);
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

/** Dependencies of {@link IncidentAlerter}. */
export type IncidentAlerterDeps = {
  db: Db;
  eventLog: EventLog;
  outbox: AlertOutbox;
  describe: DescribeSubject;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  publicUrl?: string;
  /** Retry period while the database refuses writes. */
  retryMs?: number;
  /** Told whether each catch-up pass (its outbox and cursor writes) committed: `null`, or the error. */
  onWriteOutcome?: (error: unknown) => void;
};

const CURSOR = 'incidents';
const BATCH = 500;

/**
 * Feeds incident transitions from the event log into the alert outbox, at least once: it reads the
 * persisted log from its cursor (`alert_cursor`) and advances the cursor in the same transaction as
 * the outbox rows. Live events only wake it up, so an event published while the database refused
 * writes, or during a crash, is picked up from the log later. The first start begins at the end of
 * the log (no alerts for history).
 */
export class IncidentAlerter {
  readonly #deps: IncidentAlerterDeps;
  #unsubscribe: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;
  #scheduled: NodeJS.Immediate | undefined;

  constructor(deps: IncidentAlerterDeps) {
    this.#deps = deps;
  }

  /** Catches up with the log, then follows it. */
  start(): void {
    const { db } = this.#deps;
    try {
      initAlertCursor(db, CURSOR);
    } catch (error) {
      this.#deps.logger.error({ err: error }, 'cannot initialise the alert cursor; will retry');
    }
    // Deferred and coalesced: the ingestion write that published the event returns first.
    this.#unsubscribe = this.#deps.eventLog.subscribe((ev) => {
      if (!isIncidentEvent(ev) || this.#scheduled) return;
      this.#scheduled = setImmediate(() => {
        this.#scheduled = undefined;
        this.catchUp();
      });
    });
    this.catchUp();
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
  }

  /** Processes every event after the cursor. Returns how many alerts were queued. */
  catchUp(): number {
    const { db, outbox, describe, publicUrl, logger } = this.#deps;
    let queued = 0;
    try {
      for (;;) {
        const cursor = readAlertCursor(db, CURSOR);
        if (cursor === null) throw new Error('alert cursor missing');
        const batch = eventsAfter(db, { afterId: cursor, limit: BATCH });
        if (batch.length === 0) break;
        let lastSkipped = cursor;
        for (const ev of batch) {
          const message = alertFromEvent(ev, describe, publicUrl);
          const advance = (tx: Db) => advanceAlertCursor(tx, CURSOR, ev.id);
          if (!message) {
            lastSkipped = ev.id;
            continue;
          }
          const results = outbox.enqueue(message, { alsoInTransaction: advance });
          if (results.length === 0 && outbox.sinkNames.length > 0)
            throw new Error('enqueue failed');
          if (results.length === 0) advance(db);
          queued += results.filter((r) => r.outcome === 'queued').length;
          lastSkipped = ev.id;
        }
        if (lastSkipped > cursor) advanceAlertCursor(db, CURSOR, lastSkipped);
        if (batch.length < BATCH) break;
      }
      this.#deps.onWriteOutcome?.(null);
    } catch (error) {
      this.#deps.onWriteOutcome?.(error);
      logger.warn(
        { err: error },
        'alert dispatcher behind the event log (database write failed); retrying',
      );
      if (this.#unsubscribe && !this.#retry) {
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          this.catchUp();
        }, this.#deps.retryMs ?? 5_000);
        this.#retry.unref();
      }
    }
    return queued;
  }
}
