import { fileURLToPath } from 'node:url';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

/**
 * The drizzle handle PostgreSQL queries take (async, unlike the SQLite `Db`): over the pool for
 * single statements, or over one checked-out client inside {@link withPgTransaction}. Raw SQL goes
 * through `q.execute(sql\`…\`)` or `q.$client.query(…)` (same connection, so same transaction).
 */
export type PgDb = NodePgDatabase & { $client: pg.Pool | pg.PoolClient | pg.Client };

/** An open PostgreSQL database: drizzle, the pool (for raw statements and `LISTEN`), close. */
export type OpenPgDb = { db: PgDb; pool: pg.Pool; close(): Promise<void> };

/** Folder of the committed PostgreSQL migrations (`apps/watcher/drizzle-pg`). */
export const pgMigrationsFolder = fileURLToPath(new URL('../../../drizzle-pg', import.meta.url));

/**
 * Advisory-lock key held while migrating: several watchers starting at once against one empty
 * database would otherwise race on the same `CREATE TABLE`s (drizzle's migrator takes no lock).
 */
export const MIGRATION_LOCK_KEY = 0x7065_7270; // 'perp'

/**
 * Applies the committed PostgreSQL migrations (`drizzle-pg/`) that `url`'s database lacks, under an
 * advisory lock, and says how many it applied. Idempotent; safe to run from several processes.
 *
 * @throws the driver's error when the server cannot be reached or a migration fails (the caller
 *   reports it with the URL redacted).
 * @example const { applied } = await migratePg({ url: 'postgres://perpscope@db:5432/perpscope' });
 */
export async function migratePg(params: {
  url: string;
}): Promise<{ applied: number; total: number }> {
  const client = new pg.Client({ connectionString: params.url });
  // A connection the server drops while idle emits 'error' (an uncaught exception without a
  // listener); a query in flight rejects with the same error, which is what the caller sees.
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const before = await appliedCount(client);
    await migrate(drizzle({ client }), { migrationsFolder: pgMigrationsFolder });
    const total = await appliedCount(client);
    return { applied: total - before, total };
  } finally {
    // Closing the session releases the advisory lock too; unlock first so a pool would not keep it.
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Rows in drizzle's journal table (`drizzle.__drizzle_migrations`), 0 before the first run. */
async function appliedCount(client: pg.Client): Promise<number> {
  const exists = await client.query<{ t: string | null }>(
    `select to_regclass('drizzle.__drizzle_migrations') as t`,
  );
  if (exists.rows[0]?.t == null) return 0;
  const r = await client.query<{ n: string }>(
    'select count(*) as n from drizzle.__drizzle_migrations',
  );
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Migrates `url` ({@link migratePg}) and opens a connection pool on it. Not yet used by the watcher
 * runtime: `db/queries` is SQLite-only until it is made dialect-neutral (ARCHITECTURE.md,
 * "PostgreSQL").
 *
 * @throws as {@link migratePg}.
 */
export async function openPgDb(params: {
  url: string;
  maxConnections?: number;
}): Promise<OpenPgDb> {
  await migratePg({ url: params.url });
  const pool = new pg.Pool({ connectionString: params.url, max: params.maxConnections ?? 10 });
  // An idle pooled connection the server drops (restart, pg_terminate_backend) emits 'error' on
  // the pool; without a listener that would be an uncaught exception. The next query reconnects.
  pool.on('error', () => {});
  return { db: drizzle({ client: pool }), pool, close: () => pool.end() };
}

/**
 * The server answered a transaction's `COMMIT` with `ROLLBACK`: a statement of it had failed (which
 * aborts a PostgreSQL transaction) and the body caught that error instead of rethrowing it. Nothing
 * of the transaction was written.
 */
export class PgCommitRolledBackError extends Error {
  override name = 'PgCommitRolledBackError';
  constructor() {
    super(
      'COMMIT was answered with ROLLBACK: a statement of the transaction had failed and its error was caught; nothing was written',
    );
  }
}

/**
 * Runs `body` in one transaction on a client checked out of `pool` (`begin` … `commit`; `rollback`
 * and rethrow when it throws), with a {@link PgDb} bound to that client: every query the body
 * awaits through it is part of the transaction.
 *
 * @throws PgCommitRolledBackError when the body resolved although one of its statements failed
 *   (PostgreSQL then turns `COMMIT` into `ROLLBACK`; without this the caller would believe it
 *   committed).
 * @example await withPgTransaction(pool, async (q) => { await insertIncident(q, row); });
 */
export async function withPgTransaction<T>(
  pool: pg.Pool,
  body: (q: PgDb) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // The pool listens for errors only on idle clients: a connection the server drops while this one
  // is checked out and between statements emits 'error' here — an uncaught exception without a
  // listener. The statement after it fails with the same error, and the broken client is discarded.
  let broken: Error | undefined;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    let result: T;
    try {
      result = await body(drizzle({ client }));
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
    const committed = await client.query('commit');
    if (committed.command === 'ROLLBACK') throw new PgCommitRolledBackError();
    return result;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/**
 * A {@link PgDb} over an existing pool or client (for modules outside `db/` that are handed a
 * pool and call PostgreSQL query functions with it).
 */
export function pgDbOf(client: pg.Pool | pg.PoolClient | pg.Client): PgDb {
  return drizzle({ client });
}
