import type { PgDb } from '../openPgDb.js';

// PostgreSQL twin of `src/db/queries/dataVersion.ts` (same function name, `dataVersion`, so the
// store binding finds it; the file says what it is on PostgreSQL: a version of committed changes).

/**
 * A token that changes whenever any process may have committed a change: the current MVCC snapshot
 * of the server, `pg_current_snapshot()` as text (`xmin:xmax:xip…`). Equal tokens mean no
 * transaction that wrote anything finished in between, so a response derived from the data may be
 * reused — the PostgreSQL reading of SQLite's `PRAGMA data_version` (which changes on any other
 * connection's commit).
 *
 * Why it is correct: which rows a statement sees is a function of its snapshot alone (a row is
 * visible iff its inserting transaction is below `xmax`, not in the in-progress list, and
 * committed — final facts for every such id). Two equal snapshots therefore see exactly the same
 * committed data, across every table and every process; and a commit that returned to another
 * process before this read is always in the snapshot (it leaves the in-progress list before its
 * `COMMIT` returns). Read the token BEFORE the data it keys: a commit landing between the two then
 * only makes the next request rebuild.
 *
 * Why it is cheap: no table is read, no row is written (no counter row, so writers never contend
 * on it), one round trip of a named prepared statement. Read-only transactions get no transaction
 * id and do not change it; every writing transaction on the server does (also in other databases
 * of the cluster, autovacuum's analyze, lease renewals): spurious misses only, never a stale hit.
 * Rejected: `max(events.id)` (many writes emit no event: heads, samples), `pg_stat_database
 * .xact_commit` (counts read-only commits too, and statistics are flushed up to seconds late, so
 * it can lag a commit: stale), a `changes` counter row bumped by every writer (a hot row every
 * write transaction would queue on).
 *
 * Unlike SQLite's `total_changes()` part, a transaction's own uncommitted writes do not change the
 * token: call it on the pool (as routes do), not inside a write transaction.
 *
 * @example if ((await dataVersion(db)) === cached.version) return cached.bytes;
 */
export async function dataVersion(q: PgDb): Promise<string> {
  const r = await q.$client.query<{ v: string }>({
    name: 'perpscope_data_version',
    text: 'select pg_current_snapshot()::text as v',
  });
  const v = r.rows[0]?.v;
  if (v === undefined) throw new Error('dataVersion: pg_current_snapshot() returned no row');
  return v;
}
