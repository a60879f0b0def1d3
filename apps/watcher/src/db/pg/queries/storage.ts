import { sql } from 'drizzle-orm';
import type { PgDb } from '../openPgDb.js';

// PostgreSQL twin of `src/db/queries/storage.ts`: same names, parameters and results.

/**
 * How long {@link databaseAnswers} waits for `select 1`. SQLite answers in microseconds or throws;
 * a PostgreSQL server can also hang (network partition, every pooled connection busy), and `/readyz`
 * must answer false then instead of hanging with it.
 */
export const DATABASE_ANSWER_TIMEOUT_MS = 2_000;

/**
 * Whether the database answers a trivial query within {@link DATABASE_ANSWER_TIMEOUT_MS} (`/readyz`);
 * false when it throws (server down, connection refused) or is slower.
 */
export async function databaseAnswers(q: PgDb): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), DATABASE_ANSWER_TIMEOUT_MS);
  });
  const answer = q
    .execute<{ one: number }>(sql`select 1 as one`)
    .then((r) => r.rows[0]?.one === 1)
    .catch(() => false);
  try {
    return await Promise.race([answer, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The size of the current database on disk, in bytes (`pg_database_size(current_database())`:
 * every table, index and TOAST relation of it, as SQLite's pages × page size covers its one file).
 */
export async function databaseSizeBytes(q: PgDb): Promise<number | null> {
  const r = await q.execute<{ bytes: string | null }>(
    sql`select pg_database_size(current_database()) as bytes`,
  );
  const bytes = r.rows[0]?.bytes;
  return bytes == null ? null : Number(bytes);
}

/**
 * Mirrors SQLite's `max(rowid)` (`perpscope_ingest_rows_total`: rows written per raw table), 0 when
 * empty. PostgreSQL has no rowid, so:
 * - a table with an identity column (`events`, `incidents`, `alert_outbox`, the transition tables):
 *   `max(<identity>)`, the same number as SQLite's, where that id is the rowid;
 * - a table without one (`blocks`, `hip3_samples`, `hip3_oracle_updates`: composite keys, only a
 *   hidden rowid on SQLite): the rows ever inserted into it and its partitions, `n_tup_ins` of
 *   `pg_stat_user_tables` — a counter as SQLite's rowid is, but from the cumulative statistics
 *   (flushed by each backend within about a second of its writes, or 10 s when it goes idle; reset
 *   by `pg_stat_reset()` or a crash, which Prometheus counters absorb as a reset).
 *
 * `table` is a name from the caller's constant list, never user input (it is still resolved through
 * `to_regclass` and quoted).
 *
 * @throws Error naming the table when it does not exist (its subject was never enabled).
 */
export async function maxRowid(q: PgDb, table: string): Promise<number> {
  const found = await q.execute<{ rel: string | null; identity: string | null }>(
    sql`select to_regclass(${table})::text as rel,
          (select quote_ident(a.attname) from pg_attribute a
            where a.attrelid = to_regclass(${table}) and a.attidentity <> '' and not a.attisdropped
            limit 1) as identity`,
  );
  const { rel, identity } = found.rows[0] ?? { rel: null, identity: null };
  if (rel == null) throw new Error(`maxRowid: no table named ${table}`);
  if (identity != null) {
    const r = await q.execute<{ n: string | null }>(
      sql.raw(`select max(${identity}) as n from ${rel}`),
    );
    return Number(r.rows[0]?.n ?? 0);
  }
  const r = await q.execute<{ n: string | null }>(
    sql`select sum(s.n_tup_ins) as n from pg_stat_user_tables s
        where s.relid = to_regclass(${table})
           or s.relid in (select inhrelid from pg_inherits where inhparent = to_regclass(${table}))`,
  );
  return Number(r.rows[0]?.n ?? 0);
}
