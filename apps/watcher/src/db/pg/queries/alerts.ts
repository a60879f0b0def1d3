import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import type * as sqlite from '../../queries/alerts.js';
import type {
  AlertOutboxRow,
  AlertOutboxState,
  alertOutboxStates,
  alertOutbox as sqliteAlertOutbox,
} from '../../schema/alerts.js';
import { type PgDb, withPgTransaction } from '../openPgDb.js';
import { type LeaseGrant, lockLeaseForShare } from '../pgLease.js';
import { alertCursor, alertOutbox } from '../schema/alerts.js';
import { events } from '../schema/events.js';

/**
 * PostgreSQL twins of `src/db/queries/alerts.ts` (the alert outbox and the dispatchers' cursors):
 * same names, parameters and result shapes, async over a {@link PgDb}. Several watchers may share
 * one PostgreSQL database, so the writes that two of them could race on are single guarded
 * statements (ARCHITECTURE.md, "One alert, once"):
 *
 * - {@link leaseAlertRow}: `update … where next_attempt_at_ms = <as read> returning` — of several
 *   processes that read the same due row, exactly one leases it (the loser's update re-checks the
 *   row after the winner commits and no longer matches).
 * - {@link recordAlertAttempt}: only while the row is `pending`: a late outcome can no longer turn a
 *   `delivered`/`failed` row back into `pending` (which would send it again). SQLite updates
 *   unconditionally; its callers only record on rows they leased, which are `pending`.
 * - {@link advanceAlertCursor}: never moves a cursor backwards (`greatest`), so a stale process
 *   cannot make the dispatcher repeat events. SQLite sets the value as given; its callers only move
 *   forward.
 * - {@link initAlertCursor}: one `insert … on conflict do nothing` (SQLite reads, then inserts).
 * - {@link claimDueAlertRows} (PostgreSQL only): {@link dueAlertRows} and {@link leaseAlertRow} in
 *   one statement, `for update skip locked`.
 *
 * The lease fence: only the holder of the `alerts` lease (`pgLease.ts`) claims, marks and advances;
 * it does so inside {@link fencedAlertTransaction}, which checks `lockLeaseForShare(tx, grant)`
 * first, so a holder whose lease was taken over cannot commit.
 */

/** Text ordering in byte order, as SQLite's BINARY collation (whatever the database's locale). */
const byteOrder = sql`collate "C"`;

/** Outbox rows per sink and state (`GET /v1/admin/alerts`). */
export async function alertOutboxCounts(
  q: PgDb,
): Promise<{ sink: string; state: (typeof alertOutboxStates)[number]; n: number }[]> {
  return q
    .select({ sink: alertOutbox.sink, state: alertOutbox.state, n: count() })
    .from(alertOutbox)
    .groupBy(alertOutbox.sink, alertOutbox.state)
    .orderBy(sql`${alertOutbox.sink} ${byteOrder}`, sql`${alertOutbox.state} ${byteOrder}`);
}

/** The newest outbox rows, newest first; they carry the sink name, never its URL. */
export async function recentAlertOutboxRows(
  q: PgDb,
  limit: number,
): Promise<ReturnType<typeof sqlite.recentAlertOutboxRows>> {
  return q
    .select({
      id: alertOutbox.id,
      sink: alertOutbox.sink,
      subject: alertOutbox.subject,
      transition: alertOutbox.transition,
      state: alertOutbox.state,
      attempts: alertOutbox.attempts,
      createdAtMs: alertOutbox.createdAtMs,
      deliveredAtMs: alertOutbox.deliveredAtMs,
      lastHttpStatus: alertOutbox.lastHttpStatus,
      lastError: alertOutbox.lastError,
    })
    .from(alertOutbox)
    .orderBy(desc(alertOutbox.id))
    .limit(limit);
}

/** Alerts waiting for delivery (the `alert-outbox` queue gauge). */
export async function pendingAlertCount(q: PgDb): Promise<number> {
  const rows = await q
    .select({ n: count() })
    .from(alertOutbox)
    .where(eq(alertOutbox.state, 'pending'));
  return rows[0]?.n ?? 0;
}

/**
 * Creates the named alert cursor at the newest event if it does not exist yet: a new dispatcher
 * alerts on what happens from now on, not on the whole history. One statement; when several
 * processes start at once the first insert wins and the others leave it as it is.
 */
export async function initAlertCursor(q: PgDb, name: string): Promise<void> {
  await q.execute(sql`insert into ${alertCursor} (name, last_event_id)
    select ${name}, coalesce(max(${events.id}), 0) from ${events}
    on conflict do nothing`);
}

/** The id of the last event the named dispatcher handled, or `null` when its cursor is missing. */
export async function readAlertCursor(q: PgDb, name: string): Promise<number | null> {
  const rows = await q
    .select({ lastEventId: alertCursor.lastEventId })
    .from(alertCursor)
    .where(eq(alertCursor.name, name));
  return rows[0]?.lastEventId ?? null;
}

/**
 * Moves the named cursor to `lastEventId` (pass the transaction to move it with the outbox rows),
 * never backwards: a smaller id than the stored one leaves the cursor as it is.
 */
export async function advanceAlertCursor(
  q: PgDb,
  name: string,
  lastEventId: number,
): Promise<void> {
  await q
    .update(alertCursor)
    .set({ lastEventId: sql`greatest(${alertCursor.lastEventId}, ${lastEventId})` })
    .where(eq(alertCursor.name, name));
}

/** States in which an outbox row counts as sent (or about to be) for rate limits and resolves. */
const LIVE_STATES = ['pending', 'delivered', 'failed'] satisfies AlertOutboxState[];

/**
 * Queues one alert for one sink; `false` when a row with the same dedupe key exists (a replayed
 * event), which is left as it was. Of several processes inserting the same key at once exactly one
 * inserts (the unique index). A refused row uses up an id, as on SQLite (AUTOINCREMENT).
 */
export async function insertAlertOutboxRow(
  q: PgDb,
  row: typeof sqliteAlertOutbox.$inferInsert,
): Promise<boolean> {
  const inserted = await q
    .insert(alertOutbox)
    .values(row)
    .onConflictDoNothing()
    .returning({ id: alertOutbox.id });
  return inserted.length > 0;
}

/** Rows of one incident queued, delivered or failed for a sink (a resolve is sent only after one). */
export async function countIncidentAlerts(
  q: PgDb,
  p: { sink: string; incidentId: string },
): Promise<number> {
  const rows = await q
    .select({ n: count() })
    .from(alertOutbox)
    .where(
      and(
        eq(alertOutbox.sink, p.sink),
        eq(alertOutbox.incidentId, p.incidentId),
        inArray(alertOutbox.state, LIVE_STATES),
      ),
    );
  return rows[0]?.n ?? 0;
}

/**
 * Open/escalate alerts (or, with `test`, test alerts) of a subject queued, delivered or failed for
 * a sink after `afterMs`: the per-subject rate limit's count.
 */
export async function countRecentSubjectAlerts(
  q: PgDb,
  p: { sink: string; subject: string; test: boolean; afterMs: number },
): Promise<number> {
  const rows = await q
    .select({ n: count() })
    .from(alertOutbox)
    .where(
      and(
        eq(alertOutbox.sink, p.sink),
        eq(alertOutbox.subject, p.subject),
        p.test
          ? eq(alertOutbox.transition, 'test')
          : inArray(alertOutbox.transition, ['open', 'escalate']),
        inArray(alertOutbox.state, LIVE_STATES),
        gt(alertOutbox.createdAtMs, p.afterMs),
      ),
    );
  return rows[0]?.n ?? 0;
}

/** The due-row rule shared by {@link dueAlertRows} and {@link claimDueAlertRows}. */
const isDue = (nowMs: number) =>
  sql`${alertOutbox.state} = 'pending' AND ${alertOutbox.nextAttemptAtMs} <= ${nowMs} AND NOT EXISTS (
    SELECT 1 FROM alert_outbox AS prior WHERE prior.sink = ${alertOutbox.sink}
    AND prior.subject = ${alertOutbox.subject} AND prior.state = 'pending' AND prior.id < ${alertOutbox.id})`;

/**
 * Pending rows due at `nowMs`, oldest first, at most one per sink + subject (the oldest pending
 * one), so a subject's alerts are delivered in order. A plain read, as on SQLite: a row read here
 * is taken with {@link leaseAlertRow} (which refuses it when another process leased it since), or
 * read and taken in one statement with {@link claimDueAlertRows}. It takes no row locks: with
 * `for update skip locked`, even a statement outside any transaction holds its locks while it
 * runs, and a second reader at that moment silently got fewer rows (a flaky race test showed it).
 */
export async function dueAlertRows(
  q: PgDb,
  p: { nowMs: number; limit: number },
): Promise<AlertOutboxRow[]> {
  return q
    .select()
    .from(alertOutbox)
    .where(isDue(p.nowMs))
    .orderBy(asc(alertOutbox.id))
    .limit(p.limit);
}

/**
 * Leases a due row until `untilMs` (moves its next attempt) unless another process did since it
 * was read (`nextAttemptAtMs` no longer the one read); `true` when this caller holds the lease.
 */
export async function leaseAlertRow(
  q: PgDb,
  p: { id: number; readNextAttemptAtMs: number; untilMs: number },
): Promise<boolean> {
  const leased = await q
    .update(alertOutbox)
    .set({ nextAttemptAtMs: p.untilMs })
    .where(
      and(
        eq(alertOutbox.id, p.id),
        eq(alertOutbox.state, 'pending'),
        eq(alertOutbox.nextAttemptAtMs, p.readNextAttemptAtMs),
      ),
    )
    .returning({ id: alertOutbox.id });
  return leased.length > 0;
}

/**
 * PostgreSQL only: {@link dueAlertRows} and {@link leaseAlertRow} in one statement. Takes up to
 * `limit` due rows (the same rule: oldest first, one per sink + subject), skipping rows another
 * transaction holds, moves their next attempt to `untilMs` and returns them by id, as leased
 * (`nextAttemptAtMs` = `untilMs`). Of several processes claiming at
 * once, each row goes to exactly one.
 */
export async function claimDueAlertRows(
  q: PgDb,
  p: { nowMs: number; limit: number; untilMs: number },
): Promise<AlertOutboxRow[]> {
  const claimable = q
    .select({ id: alertOutbox.id })
    .from(alertOutbox)
    .where(isDue(p.nowMs))
    .orderBy(asc(alertOutbox.id))
    .limit(p.limit)
    .for('update', { skipLocked: true });
  const claimed = await q
    .update(alertOutbox)
    .set({ nextAttemptAtMs: p.untilMs })
    .where(
      and(
        inArray(alertOutbox.id, claimable),
        eq(alertOutbox.state, 'pending'),
        sql`${alertOutbox.nextAttemptAtMs} <= ${p.nowMs}`,
      ),
    )
    .returning();
  return claimed.sort((a, b) => a.id - b.id);
}

/**
 * Records a delivery attempt's outcome on its row, only while the row is `pending`: a late outcome
 * (its lease ran out and another attempt finished first) never reopens a `delivered` or `failed` row.
 */
export async function recordAlertAttempt(
  q: PgDb,
  id: number,
  set: Parameters<typeof sqlite.recordAlertAttempt>[2],
): Promise<void> {
  await q
    .update(alertOutbox)
    .set(set)
    .where(and(eq(alertOutbox.id, id), eq(alertOutbox.state, 'pending')));
}

/** The outbox rows of one incident id, by sink (the `test-alert` command waits on them). */
export async function alertRowsOfIncident(
  q: PgDb,
  incidentId: string,
): Promise<ReturnType<typeof sqlite.alertRowsOfIncident>> {
  return q
    .select({
      sink: alertOutbox.sink,
      state: alertOutbox.state,
      attempts: alertOutbox.attempts,
      lastError: alertOutbox.lastError,
    })
    .from(alertOutbox)
    .where(eq(alertOutbox.incidentId, incidentId))
    .orderBy(sql`${alertOutbox.sink} ${byteOrder}`);
}

/** Thrown by {@link fencedAlertTransaction} when the grant is no longer the current lease. */
export class AlertLeaseLostError extends Error {
  constructor(readonly grant: LeaseGrant) {
    super(
      `lease "${grant.name}" epoch ${grant.epoch} of ${grant.holder} is no longer held (expired or taken over); nothing was written`,
    );
    this.name = 'AlertLeaseLostError';
  }
}

/**
 * Runs `body` in one transaction that first checks, and share-locks, the `alerts` lease
 * (`lockLeaseForShare`): the fence every claim, mark and cursor move of the alert duty goes
 * through. While the transaction runs no takeover can commit (it waits for the share lock); when
 * `grant` was already taken over or has expired, `body` does not run, the transaction rolls back
 * and {@link AlertLeaseLostError} is thrown (drop the grant and stop delivering).
 *
 * @example
 * const grant = keeper.current();
 * if (grant) {
 *   const rows = await fencedAlertTransaction(pool, grant, (tx) =>
 *     claimDueAlertRows(tx, { nowMs: Date.now(), limit: 50, untilMs: Date.now() + 15_000 }));
 *   // send each row, then record each outcome in its own fencedAlertTransaction
 * }
 * @throws AlertLeaseLostError as above; the driver's error when a query fails (rolled back).
 */
export async function fencedAlertTransaction<T>(
  pool: pg.Pool,
  grant: LeaseGrant,
  body: (tx: PgDb) => Promise<T>,
): Promise<T> {
  return withPgTransaction(pool, async (tx) => {
    if (!(await lockLeaseForShare(tx.$client, grant))) throw new AlertLeaseLostError(grant);
    return body(tx);
  });
}
