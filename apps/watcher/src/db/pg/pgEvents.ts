import pg from 'pg';
import type { StoredEvent, SubjectRef } from '../queries/events.js';
import type { Queryable } from './pgLease.js';

/** The NOTIFY channel every event-writing transaction signals on commit. */
export const EVENTS_CHANNEL = 'perpscope_events';

/**
 * Advisory-lock key taken (transaction-scoped) right before events are inserted. Identity ids are
 * allocated at insert, not at commit: without it a transaction that got id 11 could commit after
 * one that got id 12, and a reader that already moved past 12 would never see 11. Under the lock
 * ids are handed out in commit order (the lock is held until commit), so "read `id > last`" never
 * skips a row. Keep event inserts at the end of their transaction: writers queue on this lock.
 */
export const EVENTS_LOCK_KEY = 0x7065_7276; // 'perv'

/**
 * An event to append, as the SQLite `insertEvent` takes it (`at` in ms). Untyped at this layer:
 * the event log checks every payload against the catalogue of `@perpscope/schemas` before it
 * writes, and reads come back typed as {@link StoredEvent}.
 */
export type NewEvent = {
  readonly at: number;
  readonly kind: string;
  readonly subject: SubjectRef;
  readonly payload: Record<string, unknown>;
};

/**
 * Inserts `events` in one statement inside the caller's transaction (`tx` must be in `BEGIN`), after
 * taking {@link EVENTS_LOCK_KEY}, and queues a NOTIFY with the last id (PostgreSQL delivers it at
 * commit, and not at all on rollback).
 *
 * @returns the new ids, in insertion order.
 */
export async function appendEvents(
  tx: Queryable,
  events: readonly NewEvent[],
): Promise<StoredEvent[]> {
  if (events.length === 0) return [];
  await tx.query('select pg_advisory_xact_lock($1)', [EVENTS_LOCK_KEY]);
  const r = await tx.query<{ id: string }>(
    `insert into events (at, kind, subject_type, subject_id, payload_json)
     select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
     returning id`,
    [
      events.map((e) => e.at),
      events.map((e) => e.kind),
      events.map((e) => e.subject.type),
      events.map((e) => e.subject.id),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
  // `insert … select … returning` hands ids back in insertion order (one identity per row).
  const stored = events.map(
    (e, i) =>
      ({
        id: Number(r.rows[i]!.id),
        at: e.at,
        kind: e.kind,
        subject: e.subject,
        payload: e.payload,
      }) as StoredEvent,
  );
  await tx.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, String(stored.at(-1)!.id)]);
  return stored;
}

type EventRow = {
  id: string;
  at: string;
  kind: string;
  subject_type: string;
  subject_id: string;
  payload_json: string;
};
// Rows were checked against the catalogue when written (`EventLog`); not parsed again on read.
const toStored = (row: EventRow): StoredEvent =>
  ({
    id: Number(row.id),
    at: Number(row.at),
    kind: row.kind,
    subject: { type: row.subject_type, id: row.subject_id },
    payload: JSON.parse(row.payload_json),
  }) as StoredEvent;

/** Events with `id > afterId`, oldest first, at most `limit` (SSE resume uses the same read). */
export async function readEventsAfter(
  q: Queryable,
  params: { afterId: number; limit: number },
): Promise<StoredEvent[]> {
  const r = await q.query<EventRow>(
    `select id, at, kind, subject_type, subject_id, payload_json from events
     where id > $1 order by id limit $2`,
    [params.afterId, params.limit],
  );
  return r.rows.map(toStored);
}

/** The most recent events, newest first (the PostgreSQL `latestEvents`). */
export async function readLatestEvents(
  q: Queryable,
  params: { limit: number },
): Promise<StoredEvent[]> {
  const r = await q.query<EventRow>(
    `select id, at, kind, subject_type, subject_id, payload_json from events
     order by id desc limit $1`,
    [params.limit],
  );
  return r.rows.map(toStored);
}

export type FollowEventsParameters = {
  /** Connection URL: the follower holds one dedicated connection for LISTEN. */
  readonly url: string;
  /** Reads go through this pool (or client). */
  readonly db: Queryable;
  /** Deliver events after this id (the SSE `Last-Event-ID`, or the current max at start). */
  readonly afterId: number;
  /** Called with each batch, oldest first, never twice for an id; awaited before the next read. */
  readonly onEvents: (events: readonly StoredEvent[]) => void | Promise<void>;
  /** Read anyway this often (covers a LISTEN connection that dropped unnoticed); default 1,000 ms. */
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
  /** `application_name` of the LISTEN connection (`pg_stat_activity`); default `perpscope-events`. */
  readonly applicationName?: string;
};

export type EventFollower = {
  /** The last id delivered. */
  lastId(): number;
  stop(): Promise<void>;
};

/**
 * Follows the `events` table across processes: LISTENs on {@link EVENTS_CHANNEL} (a nudge per
 * committed write) and reads `id > last` on every nudge and every `pollMs`. When the LISTEN
 * connection drops it reconnects (1 s later) and catches up with a read, so nothing committed
 * meanwhile is lost. Each watcher runs one and publishes what it reads to its SSE clients.
 */
export function followEvents(params: FollowEventsParameters): EventFollower {
  const pollMs = params.pollMs ?? 1_000;
  let last = params.afterId;
  let stopped = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let reading: Promise<void> = Promise.resolve();
  let again = false;

  // One read at a time; a nudge during a read schedules exactly one more.
  const drain = (): Promise<void> => {
    if (stopped) return reading;
    again = true;
    reading = reading.then(async () => {
      while (again && !stopped) {
        again = false;
        try {
          for (;;) {
            const batch = await readEventsAfter(params.db, { afterId: last, limit: 500 });
            if (batch.length === 0 || stopped) break;
            await params.onEvents(batch);
            last = batch[batch.length - 1]!.id;
          }
        } catch (error) {
          params.onError?.(error);
        }
      }
    });
    return reading;
  };

  // The LISTEN connection is down (server error, terminated, closed): reconnect in 1 s. Once per
  // connection, whichever of 'error' / 'end' / a failed connect comes first.
  const down = (client: pg.Client, error?: unknown) => {
    if (listener !== client) return;
    listener = null;
    if (error !== undefined) params.onError?.(error);
    client.end().catch(() => {});
    if (!stopped) reconnectTimer = setTimeout(() => void listen(), 1_000);
  };
  const listen = async () => {
    if (stopped) return;
    const client = new pg.Client({
      connectionString: params.url,
      application_name: params.applicationName ?? 'perpscope-events',
    });
    listener = client;
    client.on('notification', () => void drain());
    client.on('error', (error) => down(client, error));
    client.on('end', () => down(client));
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (error) {
      down(client, error);
      return;
    }
    await drain(); // catch up on what was committed while not listening
  };
  void listen();
  const poll = setInterval(() => void drain(), pollMs);

  return {
    lastId: () => last,
    stop: async () => {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnectTimer);
      await reading;
      await listener?.end().catch(() => {});
      listener = null;
    },
  };
}
