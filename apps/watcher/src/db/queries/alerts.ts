import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import {
  type AlertOutboxRow,
  type AlertOutboxState,
  alertCursor,
  alertOutbox,
  type alertOutboxStates,
} from '../schema/alerts.js';

/** Outbox rows per sink and state (`GET /v1/admin/alerts`). */
export function alertOutboxCounts(
  db: Db,
): { sink: string; state: (typeof alertOutboxStates)[number]; n: number }[] {
  return db.all(
    sql`SELECT sink, state, count(*) AS n FROM alert_outbox GROUP BY sink, state ORDER BY sink, state`,
  );
}

/** The newest outbox rows, newest first; they carry the sink name, never its URL. */
export function recentAlertOutboxRows(db: Db, limit: number) {
  return db
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
    .limit(limit)
    .all();
}

/** Alerts waiting for delivery (the `alert-outbox` queue gauge). */
export function pendingAlertCount(db: Db): number {
  return (
    db.get<{ n: number }>(sql`SELECT count(*) AS n FROM alert_outbox WHERE state = 'pending'`)?.n ??
    0
  );
}

/**
 * Creates the named alert cursor at the newest event if it does not exist yet: a new dispatcher
 * alerts on what happens from now on, not on the whole history.
 */
export function initAlertCursor(db: Db, name: string): void {
  const exists = db.select().from(alertCursor).where(eq(alertCursor.name, name)).get();
  if (exists) return;
  const last = db.get<{ id: number | null }>(sql`SELECT max(id) AS id FROM events`);
  db.insert(alertCursor)
    .values({ name, lastEventId: last?.id ?? 0 })
    .run();
}

/** The id of the last event the named dispatcher handled, or `null` when its cursor is missing. */
export function readAlertCursor(db: Db, name: string): number | null {
  return db.select().from(alertCursor).where(eq(alertCursor.name, name)).get()?.lastEventId ?? null;
}

/** Moves the named cursor to `lastEventId` (pass the transaction to move it with the outbox rows). */
export function advanceAlertCursor(db: Db, name: string, lastEventId: number): void {
  db.update(alertCursor).set({ lastEventId }).where(eq(alertCursor.name, name)).run();
}

/** States in which an outbox row counts as sent (or about to be) for rate limits and resolves. */
const LIVE_STATES = ['pending', 'delivered', 'failed'] satisfies AlertOutboxState[];

/**
 * Queues one alert for one sink; `false` when a row with the same dedupe key exists (a replayed
 * event), which is left as it was.
 */
export function insertAlertOutboxRow(db: Db, row: typeof alertOutbox.$inferInsert): boolean {
  return db.insert(alertOutbox).values(row).onConflictDoNothing().run().changes > 0;
}

/** Rows of one incident queued, delivered or failed for a sink (a resolve is sent only after one). */
export function countIncidentAlerts(db: Db, p: { sink: string; incidentId: string }): number {
  return (
    db
      .select({ n: count() })
      .from(alertOutbox)
      .where(
        and(
          eq(alertOutbox.sink, p.sink),
          eq(alertOutbox.incidentId, p.incidentId),
          inArray(alertOutbox.state, LIVE_STATES),
        ),
      )
      .get()?.n ?? 0
  );
}

/**
 * Open/escalate alerts (or, with `test`, test alerts) of a subject queued, delivered or failed for
 * a sink after `afterMs`: the per-subject rate limit's count.
 */
export function countRecentSubjectAlerts(
  db: Db,
  p: { sink: string; subject: string; test: boolean; afterMs: number },
): number {
  return (
    db
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
      )
      .get()?.n ?? 0
  );
}

/**
 * Pending rows due at `nowMs`, oldest first, at most one per sink + subject (the oldest pending
 * one), so a subject's alerts are delivered in order.
 */
export function dueAlertRows(db: Db, p: { nowMs: number; limit: number }): AlertOutboxRow[] {
  return db
    .select()
    .from(alertOutbox)
    .where(
      sql`${alertOutbox.state} = 'pending' AND ${alertOutbox.nextAttemptAtMs} <= ${p.nowMs} AND NOT EXISTS (
          SELECT 1 FROM alert_outbox AS prior WHERE prior.sink = ${alertOutbox.sink}
          AND prior.subject = ${alertOutbox.subject} AND prior.state = 'pending' AND prior.id < ${alertOutbox.id})`,
    )
    .orderBy(asc(alertOutbox.id))
    .limit(p.limit)
    .all();
}

/**
 * Leases a due row until `untilMs` (moves its next attempt) unless another process did since it
 * was read (`nextAttemptAtMs` no longer the one read); `true` when this caller holds the lease.
 */
export function leaseAlertRow(
  db: Db,
  p: { id: number; readNextAttemptAtMs: number; untilMs: number },
): boolean {
  return (
    db
      .update(alertOutbox)
      .set({ nextAttemptAtMs: p.untilMs })
      .where(
        and(
          eq(alertOutbox.id, p.id),
          eq(alertOutbox.state, 'pending'),
          eq(alertOutbox.nextAttemptAtMs, p.readNextAttemptAtMs),
        ),
      )
      .run().changes > 0
  );
}

/** Records a delivery attempt's outcome on its row. */
export function recordAlertAttempt(
  db: Db,
  id: number,
  set: Partial<
    Pick<
      typeof alertOutbox.$inferInsert,
      'state' | 'attempts' | 'deliveredAtMs' | 'nextAttemptAtMs' | 'lastHttpStatus' | 'lastError'
    >
  >,
): void {
  db.update(alertOutbox).set(set).where(eq(alertOutbox.id, id)).run();
}

/** The outbox rows of one incident id, by sink (the `test-alert` command waits on them). */
export function alertRowsOfIncident(db: Db, incidentId: string) {
  return db
    .select({
      sink: alertOutbox.sink,
      state: alertOutbox.state,
      attempts: alertOutbox.attempts,
      lastError: alertOutbox.lastError,
    })
    .from(alertOutbox)
    .where(eq(alertOutbox.incidentId, incidentId))
    .orderBy(asc(alertOutbox.sink))
    .all();
}
