import type { Logger } from 'pino';
import { type Duty, DutyLostError } from '../cluster/duty.js';
import { fencedStoreTransaction } from '../cluster/fencedTransaction.js';
import type { StoredEvent, SubjectRef } from '../db/queries/events.js';
import type { StoreQueries, WatcherStore } from '../db/store/watcherStore.js';
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

/** Dependencies of {@link IncidentAlerter}. */
export type IncidentAlerterDeps = {
  store: WatcherStore;
  eventLog: EventLog;
  outbox: AlertOutbox;
  describe: DescribeSubject;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  publicUrl?: string;
  /** Retry period while the database refuses writes. */
  retryMs?: number;
  /**
   * The `incidents` duty (`cluster.duty('incidents')`): passes run only while it is held, and a
   * pass starts when it is acquired (the new holder resumes from the shared cursor). Default: none
   * (always runs, a single watcher).
   */
  duty?: Duty;
  /**
   * With a {@link duty}: catch up this often (ms, default 1000) while holding it — other watchers'
   * events do not reach this process's event log subscription.
   */
  pollMs?: number;
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
  #poll: NodeJS.Timeout | undefined;
  #unsubscribeDuty: (() => void) | undefined;
  /** The pass in flight: passes run one at a time (each reads the cursor the previous one left). */
  #pass: Promise<number> = Promise.resolve(0);

  constructor(deps: IncidentAlerterDeps) {
    this.#deps = deps;
  }

  /** Catches up with the log, then follows it. */
  async start(): Promise<void> {
    try {
      await this.#deps.store.queries.alerts.initAlertCursor(CURSOR);
    } catch (error) {
      this.#deps.logger.error({ err: error }, 'cannot initialise the alert cursor; will retry');
    }
    // Deferred and coalesced: the ingestion write that published the event returns first.
    this.#unsubscribe = this.#deps.eventLog.subscribe((ev) => {
      if (!isIncidentEvent(ev) || this.#scheduled) return;
      this.#scheduled = setImmediate(() => {
        this.#scheduled = undefined;
        void this.catchUp();
      });
    });
    const { duty } = this.#deps;
    if (duty) {
      this.#unsubscribeDuty = duty.onChange((held) => {
        if (held) void this.catchUp();
      });
      this.#poll = setInterval(() => {
        if (duty.held()) void this.catchUp();
      }, this.#deps.pollMs ?? 1_000);
      this.#poll.unref();
    }
    await this.catchUp();
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#unsubscribeDuty?.();
    this.#unsubscribeDuty = undefined;
    clearInterval(this.#poll);
    this.#poll = undefined;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    // The pass in flight finishes its write (nothing is written after the database closes).
    await this.#pass;
  }

  /** Processes every event after the cursor. Returns how many alerts were queued. */
  catchUp(): Promise<number> {
    this.#pass = this.#pass.then(() => this.#catchUp());
    return this.#pass;
  }

  async #catchUp(): Promise<number> {
    const { store, outbox, describe, publicUrl, logger } = this.#deps;
    const { alerts, events } = store.queries;
    let queued = 0;
    // Not the duty holder: another watcher feeds the outbox from the shared cursor. With a duty,
    // every outbox/cursor write is fenced by it in its own transaction: a holder paused through a
    // takeover cannot commit a cursor advance (or rows) after the new holder moved on.
    const { duty } = this.#deps;
    if (duty && !duty.held()) return 0;
    const inTransaction = <T>(body: (q: StoreQueries) => Promise<T>): Promise<T> =>
      duty ? fencedStoreTransaction(store, duty, body) : store.transaction(body);
    try {
      for (;;) {
        const cursor = await alerts.readAlertCursor(CURSOR);
        if (cursor === null) throw new Error('alert cursor missing');
        const batch = await events.eventsAfter({ afterId: cursor, limit: BATCH });
        if (batch.length === 0) break;
        let lastSkipped = cursor;
        for (const ev of batch) {
          const message = await alertFromEvent(ev, describe, publicUrl);
          if (!message) {
            lastSkipped = ev.id;
            continue;
          }
          // The rows and the cursor commit together (the skipped events before this one too).
          const results = await inTransaction(async (q) => {
            const queuedHere = await outbox.enqueueIn(q, message);
            if (queuedHere.length === 0 && outbox.sinkNames.length > 0)
              throw new Error('enqueue failed');
            await q.alerts.advanceAlertCursor(CURSOR, ev.id);
            return queuedHere;
          });
          outbox.settle(results);
          queued += results.filter((r) => r.outcome === 'queued').length;
          lastSkipped = ev.id;
        }
        if (lastSkipped > cursor)
          await inTransaction((q) => q.alerts.advanceAlertCursor(CURSOR, lastSkipped));
        if (batch.length < BATCH) break;
      }
      this.#deps.onWriteOutcome?.(null);
    } catch (error) {
      if (error instanceof DutyLostError) {
        // Not a database failure: another watcher holds the duty now and resumes from the cursor.
        logger.info({ duty: error.duty }, 'alert feed pass stopped: the incidents duty was lost');
        return queued;
      }
      this.#deps.onWriteOutcome?.(error);
      logger.warn(
        { err: error },
        'alert dispatcher behind the event log (database write failed); retrying',
      );
      if (this.#unsubscribe && !this.#retry) {
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          void this.catchUp();
        }, this.#deps.retryMs ?? 5_000);
        this.#retry.unref();
      }
    }
    return queued;
  }
}
