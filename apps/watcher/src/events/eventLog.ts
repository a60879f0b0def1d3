import {
  parseWatcherEvent,
  severityRank,
  type WatcherEventKind,
  type WatcherEventPayload,
} from '@perpscope/schemas';
import type { Clock } from '../clock.js';
import type { Db } from '../db/openDb.js';
import {
  insertEvent,
  type StoredEvent,
  type StoredEventOf,
  type SubjectRef,
} from '../db/queries/events.js';
import {
  type IncidentRecord,
  type IncidentSeverity,
  insertIncident,
  prepareFindOpenIncident,
  updateIncident,
} from '../db/queries/incidents.js';
import type { Logger } from '../logger.js';

/** Event kinds emitted by the incident API; subjects add their own (`chain.status`, `market.status`...). */
export const incidentEventKinds = {
  opened: 'incident.opened',
  escalated: 'incident.escalated',
  closed: 'incident.closed',
} as const satisfies Record<string, WatcherEventKind>;

/** `incident.opened`, `incident.escalated` or `incident.closed`. */
export type IncidentEventKind = (typeof incidentEventKinds)[keyof typeof incidentEventKinds];

/** Whether an event is an incident transition (its payload is then the incident). */
export function isIncidentEvent(
  ev: StoredEvent,
): ev is Extract<StoredEvent, { kind: IncidentEventKind }> {
  return Object.values<string>(incidentEventKinds).includes(ev.kind);
}

/**
 * A type guard for one event kind, for `filter`/`find` over a list of events.
 *
 * @example events.filter(isEventOfKind('chain.status')).map((e) => e.payload.to)
 */
export function isEventOfKind<K extends WatcherEventKind>(
  kind: K,
): (ev: StoredEvent) => ev is Extract<StoredEvent, { kind: K }> {
  return (ev): ev is Extract<StoredEvent, { kind: K }> => ev.kind === kind;
}

/** Parameters of {@link EventWriter.openIncident}. */
export type OpenIncidentParameters = {
  subject: SubjectRef;
  /** Stable per subject: `halt`, `reorg`, `safe-lag`, `feed-down`, `no-data`, `oracle-stale`... */
  kind: string;
  severity: IncidentSeverity;
  title: string;
  peak?: Record<string, number>;
  context?: Record<string, unknown>;
};

/**
 * What a transaction body may do: write with `tx`, append events, and open/escalate/close incidents.
 * Everything commits together; events reach subscribers only after the commit.
 */
export type EventWriter = {
  readonly tx: Db;
  readonly now: number;
  /**
   * Appends an event of a catalogue kind (`@perpscope/schemas` `watcherEventCatalogue`): the payload
   * is typed by its kind and checked against the catalogue's schema at run time too.
   *
   * @throws {WatcherEventError} for an unknown kind, a wrong subject type or a payload that does not
   * match (the transaction rolls back).
   */
  emit<K extends WatcherEventKind>(
    kind: K,
    subject: SubjectRef,
    payload: WatcherEventPayload<K>,
  ): StoredEventOf<K>;
  /** Returns the open incident of subject + kind, opening it (and emitting `incident.opened`) if none. */
  openIncident(params: OpenIncidentParameters): IncidentRecord;
  findOpenIncident(subject: SubjectRef, kind: string): IncidentRecord | null;
  /** Raises severity (emits `incident.escalated` only when it actually rises). */
  escalateIncident(
    incident: IncidentRecord,
    severity: IncidentSeverity,
    title?: string,
  ): IncidentRecord;
  /** Merges peak metrics (keeping the maximum of each) and context, without an event. */
  touchIncident(
    incident: IncidentRecord,
    update: { peak?: Record<string, number>; context?: Record<string, unknown> },
  ): IncidentRecord;
  /** Closes an incident and emits `incident.closed`. */
  closeIncident(incident: IncidentRecord, context?: Record<string, unknown>): IncidentRecord;
};

/** A subscriber of published events. */
export type EventListener = (event: StoredEvent) => void;

function mergePeak(a: Record<string, number>, b: Record<string, number> | undefined) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b ?? {}))
    out[k] = Math.max(out[k] ?? Number.NEGATIVE_INFINITY, v);
  return out;
}

/** Serialises an incident for event payloads. */
export function incidentPayload(i: IncidentRecord): WatcherEventPayload<'incident.opened'> {
  return {
    incidentId: i.id,
    kind: i.kind,
    severity: i.severity,
    state: i.state,
    title: i.title,
    startedAt: i.startedAt,
    endedAt: i.endedAt,
    peak: i.peak,
  };
}

/** Told the outcome of each event-log write: `error` is null when it committed. */
export type WriteObserver = (writer: string, error: unknown) => void;

/**
 * The append-only event log and in-process publisher. Every state change goes through
 * {@link EventLog.write}: the change and its events commit in one SQLite transaction, then the events
 * are published (persist-then-publish), so a subscriber never sees an event that a crash could lose.
 *
 * @example
 * eventLog.write((w) => {
 *   w.tx.insert(myTable).values(row).run();
 *   w.emit('market.status', { type: 'market', id: 'xyz:TSLA' }, { from: 'ok', to: 'warn' });
 * });
 */
export class EventLog {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #listeners = new Set<EventListener>();
  readonly #writeObservers = new Set<WriteObserver>();
  /** Prepared on first use (the same connection as every transaction `write` opens). */
  #findOpen: ReturnType<typeof prepareFindOpenIncident> | null = null;

  constructor(deps: { db: Db; clock: Clock; logger: Logger }) {
    this.#db = deps.db;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
  }

  /**
   * Runs `body` in one transaction; publishes the events it emitted after the commit. `writer`
   * names who writes (`chain:<id>`, `hip3`; default `events`) for the write observers: a failing
   * write is reported to them and rethrown.
   */
  write<T>(body: (w: EventWriter) => T, options: { writer?: string } = {}): T {
    const writer = options.writer ?? 'events';
    let result: T;
    try {
      result = this.#write(body);
    } catch (error) {
      for (const observe of this.#writeObservers) observe(writer, error);
      throw error;
    }
    for (const observe of this.#writeObservers) observe(writer, null);
    return result;
  }

  /**
   * Observes the outcome of every {@link EventLog.write} (storage health: the failed-write metric,
   * `/readyz`, subjects shown `unknown` while their writes fail). Returns the unsubscribe function.
   */
  observeWrites(observer: WriteObserver): () => void {
    this.#writeObservers.add(observer);
    return () => this.#writeObservers.delete(observer);
  }

  #write<T>(body: (w: EventWriter) => T): T {
    const emitted: StoredEvent[] = [];
    const now = this.#clock.now();
    this.#findOpen ??= prepareFindOpenIncident(this.#db);
    const findOpen = this.#findOpen;
    const result = this.#db.transaction((tx) => {
      const emit = <K extends WatcherEventKind>(
        kind: K,
        subject: SubjectRef,
        payload: WatcherEventPayload<K>,
      ): StoredEventOf<K> => {
        parseWatcherEvent(kind, subject, payload);
        const ev = insertEvent(tx, { at: now, kind, subject, payload });
        emitted.push(ev as StoredEvent);
        return ev;
      };
      const writer: EventWriter = {
        tx,
        now,
        emit,
        findOpenIncident: findOpen,
        openIncident: (p) => {
          const existing = findOpen(p.subject, p.kind);
          if (existing) return existing;
          const created = insertIncident(tx, {
            subject: p.subject,
            kind: p.kind,
            severity: p.severity,
            title: p.title,
            startedAt: now,
            peak: p.peak ?? {},
            context: p.context ?? {},
          });
          emit(incidentEventKinds.opened, p.subject, incidentPayload(created));
          return created;
        },
        escalateIncident: (incident, severity, title) => {
          if (severityRank(severity) <= severityRank(incident.severity)) return incident;
          const next = updateIncident(tx, incident.id, {
            severity,
            ...(title !== undefined && { title }),
            updatedAt: now,
          });
          emit(incidentEventKinds.escalated, incident.subject, incidentPayload(next));
          return next;
        },
        touchIncident: (incident, update) =>
          updateIncident(tx, incident.id, {
            peak: mergePeak(incident.peak, update.peak),
            context: { ...incident.context, ...update.context },
            updatedAt: now,
          }),
        closeIncident: (incident, context) => {
          const next = updateIncident(tx, incident.id, {
            state: 'closed',
            endedAt: now,
            context: { ...incident.context, ...context },
            updatedAt: now,
          });
          emit(incidentEventKinds.closed, incident.subject, incidentPayload(next));
          return next;
        },
      };
      return body(writer);
    });
    for (const ev of emitted) this.#publish(ev);
    return result;
  }

  /**
   * Publishes events another connection already committed (the ingestion worker writes, then posts
   * its stored events to the main thread's log): subscribers and SSE clients get them exactly as
   * if this log had written them. Persist-then-publish still holds — the caller publishes only
   * what is in the `events` table.
   */
  publishStored(events: readonly StoredEvent[]): void {
    for (const ev of events) this.#publish(ev);
  }

  /** Subscribes to events published from now on; returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #publish(ev: StoredEvent) {
    for (const listener of this.#listeners) {
      try {
        listener(ev);
      } catch (error) {
        // A failing subscriber (alert sink, SSE client) must never break ingestion.
        this.#logger.error({ err: error, eventId: ev.id }, 'event listener failed');
      }
    }
  }
}
