import type { WatcherEventKind, WatcherEventPayload } from '@perpscope/schemas';
import { asc, desc, gt } from 'drizzle-orm';
import type pg from 'pg';
import type { StoredEvent, StoredEventOf, SubjectRef } from '../../queries/events.js';
import { type PgDb, withPgTransaction } from '../openPgDb.js';
import type { Queryable } from '../pgLease.js';
import { events } from '../schema/events.js';

// PostgreSQL twin of `src/db/queries/events.ts` (`insertEvent`, `eventsAfter`, `latestEvents`: same
// names, parameters and results), plus `appendEvents`, the batch insert every event write goes
// through. `followEvents` (`../followEvents.ts`) reads with `eventsAfter` from here.

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
 * commit, and not at all on rollback). The lock is re-entrant: a transaction may append several
 * times (each {@link insertEvent} does); it is released at commit or rollback.
 *
 * @returns the events with their ids, in insertion order.
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

/**
 * Appends one event and returns it with its id (the SQLite `insertEvent`), through
 * {@link appendEvents}: events lock, insert, NOTIFY at commit. Inside a transaction (`q` from
 * `withPgTransaction`) the event commits with it and the lock is held until then; on the pool, or
 * on a client not in a transaction, it runs in a transaction of its own (the lock, the insert and
 * the NOTIFY must share one, or ids could again commit out of order).
 *
 * @throws Error when `q`'s transaction has already failed (roll it back first).
 */
export async function insertEvent<K extends WatcherEventKind>(
  q: PgDb,
  input: { at: number; kind: K; subject: SubjectRef; payload: WatcherEventPayload<K> },
): Promise<StoredEventOf<K>> {
  const append = async (tx: Queryable) => {
    const [stored] = await appendEvents(tx, [input as NewEvent]);
    return stored as StoredEventOf<K>;
  };
  const client = q.$client;
  if (!('getTransactionStatus' in client))
    return withPgTransaction(client, (tx) => append(tx.$client));
  const status = (
    client as pg.ClientBase & { getTransactionStatus(): string }
  ).getTransactionStatus();
  const failed = (cause?: unknown) =>
    new Error(
      `insertEvent(${input.kind}): the transaction on this connection has already failed; roll it back before writing events`,
      cause === undefined ? undefined : { cause },
    );
  if (status === 'E') throw failed();
  if (status === 'T') {
    // The status is the last ReadyForQuery's: a statement that just failed rejects on the server's
    // error, and its ReadyForQuery ('E') can still be on the way — then the server says 25P02.
    return append(client).catch((error: unknown) => {
      throw (error as { code?: string }).code === '25P02' ? failed(error) : error;
    });
  }
  await client.query('begin');
  try {
    const stored = await append(client);
    await client.query('commit');
    return stored;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

type EventRow = typeof events.$inferSelect;
// Rows were checked against the catalogue when written (`EventLog`); not parsed again on read.
const toStored = (r: EventRow): StoredEvent =>
  ({
    id: r.id,
    at: r.at,
    kind: r.kind,
    subject: { type: r.subjectType, id: r.subjectId },
    payload: JSON.parse(r.payloadJson),
  }) as StoredEvent;

/** Events with `id > afterId`, oldest first, at most `limit` (SSE resume; `followEvents`' read). */
export async function eventsAfter(
  q: PgDb,
  params: { afterId: number; limit: number },
): Promise<StoredEvent[]> {
  const rows = await q
    .select()
    .from(events)
    .where(gt(events.id, params.afterId))
    .orderBy(asc(events.id))
    .limit(params.limit);
  return rows.map(toStored);
}

/** The most recent events, newest first. */
export async function latestEvents(q: PgDb, params: { limit: number }): Promise<StoredEvent[]> {
  const rows = await q.select().from(events).orderBy(desc(events.id)).limit(params.limit);
  return rows.map(toStored);
}
