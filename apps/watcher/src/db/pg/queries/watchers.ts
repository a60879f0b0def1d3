import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { PgDb } from '../openPgDb.js';
import { watchers } from '../schema/watchers.js';

// PostgreSQL only (a SQLite file has one watcher; its `watchers` table is a schema twin and stays
// empty): the registry of the watchers sharing the database, used by
// `src/db/pg/watcherRegistry.ts`. Every stored instant is the database server's clock in ms, so
// watchers on hosts with skewed clocks agree on whose heartbeat is fresh.

/** One registered watcher process. Times: ms since the epoch, database server's clock. */
export type WatcherRow = typeof watchers.$inferSelect;

/** What a watcher registers; the server sets `startedAt` and `heartbeatAt`. */
export type WatcherRegistration = Omit<WatcherRow, 'startedAt' | 'heartbeatAt'>;

/** Advisory-lock key serialising registrations (check then upsert), so two starts cannot both pass the check. */
export const WATCHERS_LOCK_KEY = 0x7761_7463; // 'watc'

/** The server's clock now, ms (`clock_timestamp()`: real time, not the transaction's start). */
const serverMs: SQL<number> = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** The database server's clock, ms since the epoch. */
export async function serverNowMs(q: PgDb): Promise<number> {
  const r = await q.execute<{ now: string }>(sql`select ${serverMs} as now`);
  return Number(r.rows[0]?.now);
}

/**
 * Inside a transaction: waits for and takes the registry lock (released at commit/rollback).
 * Registrations that check the table and then write it must hold it.
 */
export async function lockWatchers(q: PgDb): Promise<void> {
  await q.execute(sql`select pg_advisory_xact_lock(${WATCHERS_LOCK_KEY})`);
}

/** Every registered watcher (live or not), by id. */
export async function readWatchers(q: PgDb): Promise<WatcherRow[]> {
  return q.select().from(watchers).orderBy(asc(watchers.id));
}

/**
 * The watchers whose heartbeat is fresher than `freshMs` before `now` (server-clock ms; default the
 * server's clock now), by id.
 */
export async function liveWatchers(
  q: PgDb,
  params: { now?: number; freshMs: number },
): Promise<WatcherRow[]> {
  const now = params.now ?? (await serverNowMs(q));
  return q
    .select()
    .from(watchers)
    .where(gt(watchers.heartbeatAt, now - params.freshMs))
    .orderBy(asc(watchers.id));
}

/**
 * Inserts or replaces the row of `reg.id` with `reg` (a new instance replaces an old one), started
 * and heartbeat now on the server's clock. @returns the stored row.
 */
export async function upsertWatcher(q: PgDb, reg: WatcherRegistration): Promise<WatcherRow> {
  const values = { ...reg, startedAt: serverMs, heartbeatAt: serverMs };
  const [row] = await q
    .insert(watchers)
    .values(values)
    .onConflictDoUpdate({ target: watchers.id, set: values })
    .returning();
  if (!row) throw new Error(`watchers: upsert of "${reg.id}" returned no row`);
  return row;
}

/**
 * Sets the heartbeat of `id` to now (server clock), only while the row still belongs to
 * `instance`. @returns `false` when another instance has replaced it (or the row is gone).
 */
export async function heartbeatWatcher(
  q: PgDb,
  key: { id: string; instance: string },
): Promise<boolean> {
  const rows = await q
    .update(watchers)
    .set({ heartbeatAt: serverMs })
    .where(and(eq(watchers.id, key.id), eq(watchers.instance, key.instance)))
    .returning({ id: watchers.id });
  return rows.length > 0;
}

/** Removes the row of `id` if it still belongs to `instance` (clean shutdown). @returns whether it did. */
export async function removeWatcher(
  q: PgDb,
  key: { id: string; instance: string },
): Promise<boolean> {
  const rows = await q
    .delete(watchers)
    .where(and(eq(watchers.id, key.id), eq(watchers.instance, key.instance)))
    .returning({ id: watchers.id });
  return rows.length > 0;
}
