import {
  parseWatcherEvent,
  severityRank,
  type WatcherEventKind,
  type WatcherEventPayload,
} from '@perpscope/schemas';
import type { Clock } from '../clock.js';
import { type Duty, DutyLostError } from '../cluster/duty.js';
import { storeTransactionWithFence } from '../cluster/fencedTransaction.js';
import type { StoredEvent, StoredEventOf, SubjectRef } from '../db/queries/events.js';
import type { IncidentRecord, IncidentSeverity } from '../db/queries/incidents.js';
import type { StoreQueries, WatcherStore } from '../db/store/watcherStore.js';
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
 * What a transaction body may do: write with `q` (the store's queries bound to the transaction),
 * append events, and open/escalate/close incidents. Everything commits together; events reach
 * subscribers only after the commit. Every method is async: await each before the body resolves.
 */
export type EventWriter = {
  readonly q: StoreQueries;
  readonly now: number;
  /**
   * Fences this transaction by `duty` (`Duty.fence` on its raw handle on PostgreSQL): `true` while
   * this process holds the duty — a takeover then cannot commit before this transaction ends;
   * `false` → skip the duty's writes (what was written for this process alone still commits).
   * Call it before the duty's writes.
   */
  fence(duty: Duty): Promise<boolean>;
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
  ): Promise<StoredEventOf<K>>;
  /** Returns the open incident of subject + kind, opening it (and emitting `incident.opened`) if none. */
  openIncident(params: OpenIncidentParameters): Promise<IncidentRecord>;
  findOpenIncident(subject: SubjectRef, kind: string): Promise<IncidentRecord | null>;
  /** Raises severity (emits `incident.escalated` only when it actually rises). */
  escalateIncident(
    incident: IncidentRecord,
    severity: IncidentSeverity,
    title?: string,
  ): Promise<IncidentRecord>;
  /** Merges peak metrics (keeping the maximum of each) and context, without an event. */
  touchIncident(
    incident: IncidentRecord,
    update: { peak?: Record<string, number>; context?: Record<string, unknown> },
  ): Promise<IncidentRecord>;
  /** Closes an incident and emits `incident.closed`. */
  closeIncident(
    incident: IncidentRecord,
    context?: Record<string, unknown>,
  ): Promise<IncidentRecord>;
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
 * {@link EventLog.write}: the change and its events commit in one store transaction, then the events
 * are published (persist-then-publish), so a subscriber never sees an event that a crash could lose.
 *
 * @example
 * await eventLog.write(async (w) => {
 *   await w.q.hip3.insertHip3Transition(row);
 *   await w.emit('market.status', { type: 'market', id: 'xyz:TSLA' }, { from: 'ok', to: 'warn' });
 * });
 */
export class EventLog {
  readonly #store: WatcherStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #listeners = new Set<EventListener>();
  readonly #writeObservers = new Set<WriteObserver>();
  readonly #publishWrites: boolean;

  /**
   * `publishWrites` (default true): publish the events of this log's own writes after the commit.
   * False where something else publishes every committed event in id order — on PostgreSQL the
   * runtime's event follower (`followEvents` → {@link EventLog.publishStored}), which also carries
   * other processes' events; publishing writes here too would deliver them twice, out of order.
   */
  constructor(deps: {
    store: WatcherStore;
    clock: Clock;
    logger: Logger;
    publishWrites?: boolean;
  }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#publishWrites = deps.publishWrites ?? true;
  }

  /**
   * Runs `body` in one transaction; publishes the events it emitted after the commit. `writer`
   * names who writes (`chain:<id>`, `hip3`; default `events`) for the write observers: a failing
   * write is reported to them and rethrown. `duty`: the whole write is the duty's — fenced
   * first in the same transaction; when this process no longer holds it nothing is written and
   * {@link DutyLostError} is thrown (not reported to the write observers: the database is fine).
   * To fence only part of a write, call {@link EventWriter.fence} inside the body.
   */
  async write<T>(
    body: (w: EventWriter) => Promise<T>,
    options: { writer?: string; duty?: Duty } = {},
  ): Promise<T> {
    const writer = options.writer ?? 'events';
    let result: T;
    try {
      result = await this.#write(body, options.duty);
    } catch (error) {
      if (!(error instanceof DutyLostError))
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

  async #write<T>(body: (w: EventWriter) => Promise<T>, duty: Duty | undefined): Promise<T> {
    const emitted: StoredEvent[] = [];
    const now = this.#clock.now();
    const result = await storeTransactionWithFence(this.#store, async (q, fence) => {
      if (duty && !(await fence(duty))) throw new DutyLostError(duty.name);
      const emit = async <K extends WatcherEventKind>(
        kind: K,
        subject: SubjectRef,
        payload: WatcherEventPayload<K>,
      ): Promise<StoredEventOf<K>> => {
        parseWatcherEvent(kind, subject, payload);
        const ev = (await q.events.insertEvent({
          at: now,
          kind,
          subject,
          payload,
        } as Parameters<StoreQueries['events']['insertEvent']>[0])) as StoredEventOf<K>;
        emitted.push(ev as StoredEvent);
        return ev;
      };
      const findOpenIncident = (subject: SubjectRef, kind: string) =>
        q.incidents.findOpenIncident(subject, kind);
      const writer: EventWriter = {
        q,
        now,
        fence,
        emit,
        findOpenIncident,
        openIncident: async (p) => {
          const existing = await findOpenIncident(p.subject, p.kind);
          if (existing) return existing;
          const created = await q.incidents.insertIncident({
            subject: p.subject,
            kind: p.kind,
            severity: p.severity,
            title: p.title,
            startedAt: now,
            peak: p.peak ?? {},
            context: p.context ?? {},
          });
          await emit(incidentEventKinds.opened, p.subject, incidentPayload(created));
          return created;
        },
        escalateIncident: async (incident, severity, title) => {
          if (severityRank(severity) <= severityRank(incident.severity)) return incident;
          const next = await q.incidents.updateIncident(incident.id, {
            severity,
            ...(title !== undefined && { title }),
            updatedAt: now,
          });
          await emit(incidentEventKinds.escalated, incident.subject, incidentPayload(next));
          return next;
        },
        touchIncident: (incident, update) =>
          q.incidents.updateIncident(incident.id, {
            peak: mergePeak(incident.peak, update.peak),
            context: { ...incident.context, ...update.context },
            updatedAt: now,
          }),
        closeIncident: async (incident, context) => {
          const next = await q.incidents.updateIncident(incident.id, {
            state: 'closed',
            endedAt: now,
            context: { ...incident.context, ...context },
            updatedAt: now,
          });
          await emit(incidentEventKinds.closed, incident.subject, incidentPayload(next));
          return next;
        },
      };
      return body(writer);
    });
    if (this.#publishWrites) for (const ev of emitted) this.#publish(ev);
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
