import { desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import { alertCursor, alertOutbox, type alertOutboxStates } from '../schema/alerts.js';

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
