import type { RetentionReport, RunRetentionParameters } from '../../queries/runRetention.js';
import type { PgDb } from '../openPgDb.js';

/**
 * PostgreSQL twin of `src/db/queries/runRetention.ts` (issue 17): the same pass — roll up complete
 * hours (re-rolling the last two), prune raw rows past the horizon that are rolled up, prune old
 * rollups — with the same {@link RetentionReport} and the same `retention_state` rows.
 *
 * What differs: PostgreSQL has no `rowid`. SQLite finds time boundaries by binary search over
 * `rowid`; here each target says how its rows past the horizon are reached through an index
 * ({@link PgRetentionTarget}`.access`):
 * - `by: 'id'` (the event log): binary search over the identity id, then deletes by id range, as
 *   SQLite does by rowid range;
 * - `by: 'key'` (blocks, HIP-3 samples and oracle updates, whose keys start with a subject column
 *   and then the time): the subjects are listed once per pass by a loose index scan (one index
 *   probe per subject), and old rows are deleted oldest first in time slices of about `batchSize`
 *   rows, each slice's rows found by one scan of that index and deleted by `ctid`
 *   (`delete … where ctid = any(array(select ctid … where key = any($keys) and time in slice limit n))`).
 *
 * Every delete is its own statement in autocommit (pass a pool-backed {@link PgDb}, not one inside
 * a transaction): row locks are held for one chunk only, and deletes of old rows never conflict with
 * ingestion's inserts (MVCC; the table lock a delete takes conflicts only with DDL and `VACUUM FULL`).
 * A pass stops deleting after `timeBudgetMs`; the rest waits for the next pass.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Default time budget of one pass's deletes ({@link PgRunRetentionParameters}`.timeBudgetMs`). */
export const DEFAULT_PG_RETENTION_TIME_BUDGET_MS = 120_000;

/**
 * A raw table the PostgreSQL retention pass rolls up and prunes (twin of the SQLite
 * `RetentionTarget`: same `name`, `table`, `timeColumn`, `horizon`; `rollups` in PostgreSQL SQL).
 */
export type PgRetentionTarget = {
  /** Key in `retention_state`. */
  name: string;
  table: string;
  /** Column holding ms since the epoch (`bigint`). */
  timeColumn: string;
  /** Which horizon prunes it: `raw` samples (`rawDays`) or the `event` log (`eventDays`). */
  horizon: 'raw' | 'event';
  /**
   * How rows are reached without scanning the table. `id`: an indexed id column that grows with
   * the time column (rows appended in time order). `key`: the table has a b-tree index on
   * `(...keyColumns, timeColumn, …)`; the key columns are NOT NULL.
   */
  access: { by: 'id'; idColumn: string } | { by: 'key'; keyColumns: readonly string[] };
  /**
   * SELECTs producing rollup rows `(subject_type, subject_id, metric, hour_start, count, min, max,
   * sum)` from the rows with `$1 <= time < $2` (ms). Use {@link distinctKeysSql} to reach them
   * subject by subject through the index.
   */
  rollups: readonly string[];
};

/** Parameters of the PostgreSQL {@link runRetention}: the SQLite ones without `sqlite`, plus a budget. */
export type PgRunRetentionParameters = Omit<RunRetentionParameters, 'sqlite' | 'targets'> & {
  targets: readonly PgRetentionTarget[];
  /**
   * Wall-clock ms the pass may spend deleting raw rows (checked before every delete statement);
   * when it is spent, the remaining targets are rolled up but not pruned and report `capped`.
   * Default {@link DEFAULT_PG_RETENTION_TIME_BUDGET_MS}.
   */
  timeBudgetMs?: number;
  /** Told every raw-row delete statement: its target, rows deleted and duration (ms). */
  onDelete?: (statement: { target: string; rows: number; ms: number }) => void;
};

function assertIdentifier(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`not an SQL identifier: ${name}`);
}

function assertTarget(t: PgRetentionTarget) {
  assertIdentifier(t.table);
  assertIdentifier(t.timeColumn);
  if (t.access.by === 'id') assertIdentifier(t.access.idColumn);
  else {
    if (t.access.keyColumns.length === 0)
      throw new Error(`retention target ${t.name}: access.keyColumns is empty`);
    for (const c of t.access.keyColumns) assertIdentifier(c);
  }
}

/**
 * A recursive CTE body listing the distinct values of `keyColumns` of `table` by a loose index scan
 * (one probe of the index on those columns per distinct key, not a scan of the table), usable as
 * `WITH RECURSIVE keys AS (${distinctKeysSql(…)})`.
 *
 * @throws when a name is not a plain SQL identifier.
 */
export function distinctKeysSql(table: string, keyColumns: readonly string[]): string {
  assertIdentifier(table);
  for (const c of keyColumns) assertIdentifier(c);
  const cols = keyColumns.join(', ');
  const prev = keyColumns.map((c) => `k.${c}`).join(', ');
  const row = (s: string) => (keyColumns.length === 1 ? s : `(${s})`);
  return `(SELECT ${cols} FROM ${table} ORDER BY ${cols} LIMIT 1)
    UNION ALL
    SELECT n.* FROM keys k CROSS JOIN LATERAL (
      SELECT ${cols} FROM ${table} WHERE ${row(cols)} > ${row(prev)} ORDER BY ${cols} LIMIT 1) n`;
}

type Query = PgDb['$client'];

async function one<T>(c: Query, text: string, values: unknown[] = []): Promise<T | undefined> {
  return (await c.query(text, values)).rows[0] as T | undefined;
}

const num = (v: string | number | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);

/**
 * The smallest id from which every row has `time >= t` when ids grow with time; `null` for an
 * empty table (twin of the SQLite `firstRowidAtOrAfter`, over an indexed id column).
 */
export async function firstIdAtOrAfter(
  q: PgDb,
  p: { table: string; idColumn: string; timeColumn: string; time: number },
): Promise<number | null> {
  assertIdentifier(p.table);
  assertIdentifier(p.idColumn);
  assertIdentifier(p.timeColumn);
  const c = q.$client;
  const b = await one<{ lo: string | null; hi: string | null }>(
    c,
    `SELECT min(${p.idColumn}) AS lo, max(${p.idColumn}) AS hi FROM ${p.table}`,
  );
  const lo0 = num(b?.lo);
  const hi0 = num(b?.hi);
  if (lo0 === null || hi0 === null) return null;
  let lo = lo0;
  let hi = hi0 + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = await one<{ t: string }>(
      c,
      `SELECT ${p.timeColumn} AS t FROM ${p.table} WHERE ${p.idColumn} >= $1 ORDER BY ${p.idColumn} LIMIT 1`,
      [mid],
    );
    if (row === undefined || Number(row.t) >= p.time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * One retention pass on PostgreSQL (twin of the SQLite `runRetention`, same steps and report;
 * see the file's TSDoc for how rows are found and deleted). Safe to run from several processes.
 * `capped` on a target means rows past its horizon remain: the `maxPruneShare` cap or the time
 * budget stopped the pass.
 *
 * @throws the driver's error (e.g. the server is gone); the caller logs and retries next interval.
 * @example const report = await runRetention(db, { targets: defaultRetentionTargets, config, now: Date.now() });
 */
export async function runRetention(q: PgDb, p: PgRunRetentionParameters): Promise<RetentionReport> {
  const { config, now } = p;
  const c = q.$client;
  const started = performance.now();
  const budget = p.timeBudgetMs ?? DEFAULT_PG_RETENTION_TIME_BUDGET_MS;
  const deadline = started + budget;
  const hourNow = Math.floor(now / HOUR_MS) * HOUR_MS;
  const report: RetentionReport = { targets: [], prunedRollups: 0 };
  for (const target of p.targets) {
    assertTarget(target);
    const exists = await one<{ t: string | null }>(c, 'SELECT to_regclass($1)::text AS t', [
      target.table,
    ]);
    if (exists?.t == null) continue; // subject not installed in this database
    const state = await one<{ rolled_until: string }>(
      c,
      'SELECT rolled_until FROM retention_state WHERE target = $1',
      [target.name],
    );
    let from: number;
    if (state) from = Math.max(0, Number(state.rolled_until) - 2 * HOUR_MS);
    else {
      const oldest = await oldestTime(c, target);
      from = Math.floor((oldest ?? hourNow) / HOUR_MS) * HOUR_MS;
    }
    let rolledHours = 0;
    if (from < hourNow && target.rollups.length > 0) {
      // One statement: all of the target's rollups commit together (atomic without a transaction).
      await c.query(
        `INSERT INTO rollups_hourly (subject_type, subject_id, metric, hour_start, count, min, max, sum)
         SELECT * FROM (${target.rollups.map((s) => `(${s})`).join(' UNION ALL ')}) r
         ON CONFLICT (subject_type, subject_id, metric, hour_start) DO UPDATE SET
           count = excluded.count, min = excluded.min, max = excluded.max, sum = excluded.sum`,
        [from, hourNow],
      );
      rolledHours = (hourNow - from) / HOUR_MS;
    }
    const rolledUntil = target.rollups.length > 0 ? hourNow : now;
    const days =
      target.horizon === 'raw'
        ? (config.rawDaysByTable?.[target.table] ?? config.rawDays)
        : config.eventDays;
    // Keep the raw rows of the hours the next pass re-rolls (as SQLite does).
    const rerolledFrom = target.rollups.length > 0 ? rolledUntil - 2 * HOUR_MS : rolledUntil;
    const cutoff = Math.min(now - days * DAY_MS, rerolledFrom);
    const prune = {
      q,
      target,
      time: cutoff,
      batchSize: config.batchSize,
      maxShare: Math.min(1, Math.max(0, p.maxPruneShare ?? 1)),
      deadline,
      onDelete: p.onDelete,
    };
    const { pruned: prunedRows, capped } =
      target.access.by === 'id'
        ? await pruneById(prune, target.access.idColumn)
        : await pruneByKey(prune, target.access.keyColumns);
    await c.query(
      `INSERT INTO retention_state (target, rolled_until, last_run_at, last_pruned_rows) VALUES ($1, $2, $3, $4)
       ON CONFLICT (target) DO UPDATE SET rolled_until = excluded.rolled_until,
         last_run_at = excluded.last_run_at, last_pruned_rows = excluded.last_pruned_rows`,
      [target.name, rolledUntil, now, prunedRows],
    );
    report.targets.push({ name: target.name, rolledHours, prunedRows, ...(capped && { capped }) });
  }
  const rollups = await c.query('DELETE FROM rollups_hourly WHERE hour_start < $1', [
    now - config.rollupDays * DAY_MS,
  ]);
  report.prunedRollups = rollups.rowCount ?? 0;
  return report;
}

/** The oldest time in the target's table, through its index (first pass, before any state). */
async function oldestTime(c: Query, t: PgRetentionTarget): Promise<number | null> {
  if (t.access.by === 'id') {
    const row = await one<{ t: string }>(
      c,
      `SELECT ${t.timeColumn} AS t FROM ${t.table} ORDER BY ${t.access.idColumn} LIMIT 1`,
    );
    return num(row?.t);
  }
  const keys = t.access.keyColumns;
  const row = await one<{ t: string | null }>(
    c,
    `WITH RECURSIVE keys AS (${distinctKeysSql(t.table, keys)})
     SELECT min(m.t) AS t FROM keys k CROSS JOIN LATERAL (
       SELECT ${t.timeColumn} AS t FROM ${t.table} x
       WHERE ${keys.map((col) => `x.${col} = k.${col}`).join(' AND ')}
       ORDER BY ${t.timeColumn} LIMIT 1) m`,
  );
  return num(row?.t);
}

type Prune = {
  q: PgDb;
  target: PgRetentionTarget;
  time: number;
  batchSize: number;
  maxShare: number;
  deadline: number;
  onDelete: PgRunRetentionParameters['onDelete'];
};

async function timedDelete(p: Prune, text: string, values: unknown[]): Promise<number> {
  const t0 = performance.now();
  const r = await p.q.$client.query(text, values);
  const rows = r.rowCount ?? 0;
  p.onDelete?.({ target: p.target.name, rows, ms: performance.now() - t0 });
  return rows;
}

/** Deletes by id range (twin of SQLite's rowid-range `pruneBefore`). */
async function pruneById(p: Prune, idColumn: string): Promise<{ pruned: number; capped: boolean }> {
  const { table, timeColumn } = p.target;
  const found = await firstIdAtOrAfter(p.q, { table, idColumn, timeColumn, time: p.time });
  if (found === null) return { pruned: 0, capped: false };
  const b = await one<{ lo: string; hi: string }>(
    p.q.$client,
    `SELECT min(${idColumn}) AS lo, max(${idColumn}) AS hi FROM ${table}`,
  );
  if (b?.lo == null) return { pruned: 0, capped: false }; // emptied meanwhile
  const start = Number(b.lo);
  // The id span approximates the row count (append-only tables) without a count(*) scan.
  const allowed = Math.floor((Number(b.hi) - start + 1) * p.maxShare);
  const end = Math.min(found, start + allowed);
  let pruned = 0;
  let lo = start;
  for (; lo < end; lo += p.batchSize) {
    if (performance.now() >= p.deadline) break;
    pruned += await timedDelete(
      p,
      `DELETE FROM ${table} WHERE ${idColumn} >= $1 AND ${idColumn} < $2 AND ${timeColumn} < $3`,
      [lo, Math.min(lo + p.batchSize, end), p.time],
    );
  }
  return { pruned, capped: end < found || lo < end };
}

/** First time slice of {@link pruneByKey} (ms); it then adapts to about `batchSize` rows. */
const FIRST_SLICE_MS = 60_000;

/**
 * Deletes in time slices, oldest first: one statement deletes the rows of every subject with
 * `from <= time < to`, reached through the `(key…, time)` index (the subjects, found once per pass
 * by a loose index scan, passed as arrays: `key = ANY($n)` plus the time range is one index scan),
 * by `ctid`, at most `batchSize` rows. Rows of one time slice sit on neighbouring pages (ingestion
 * appends all subjects together), so each statement dirties few pages — deleting one subject at a time would touch every page once per
 * subject. The slice adapts to about `batchSize` rows. With `maxShare < 1` the table's row count
 * (the planner's estimate when the table was analyzed, else `count(*)`) bounds the rows deleted.
 */
async function pruneByKey(
  p: Prune,
  keyColumns: readonly string[],
): Promise<{ pruned: number; capped: boolean }> {
  const { table, timeColumn } = p.target;
  const c = p.q.$client;
  const oldest = await oldestTime(c, p.target);
  if (oldest === null || oldest >= p.time) return { pruned: 0, capped: false };
  let allowed = Number.POSITIVE_INFINITY;
  if (p.maxShare < 1) {
    const est = await one<{ n: number }>(
      c,
      'SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass($1)',
      [table],
    );
    const rows =
      est !== undefined && est.n >= 0
        ? est.n
        : Number((await one<{ n: string }>(c, `SELECT count(*) AS n FROM ${table}`))?.n ?? 0);
    allowed = Math.floor(rows * p.maxShare);
  }
  const keys = `WITH RECURSIVE keys AS (${distinctKeysSql(table, keyColumns)})`;
  const match = keyColumns.map((col) => `x.${col} = k.${col}`).join(' AND ');
  // The subjects, listed once per pass: each key column's distinct values as an array parameter,
  // so a delete is one index scan (`col = ANY($n)` on the leading columns + the time range). A
  // subject that appears during the pass has no rows past the horizon yet.
  const subjects = (await c.query(`${keys} SELECT * FROM keys`)).rows as Record<string, unknown>[];
  const arrays = keyColumns.map((col) => [...new Set(subjects.map((k) => k[col]))]);
  const inSubjects = keyColumns.map((col, i) => `x.${col} = ANY($${i + 4})`).join(' AND ');
  // $1 = from, $2 = to (exclusive), $3 = limit, $4… = the key columns' values
  const del = `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
      SELECT x.ctid FROM ${table} x
      WHERE ${inSubjects} AND x.${timeColumn} >= $1 AND x.${timeColumn} < $2
      LIMIT $3))
    AND ${timeColumn} >= $1 AND ${timeColumn} < $2`;
  const remains = `${keys} SELECT 1 AS x FROM keys k WHERE EXISTS (
      SELECT 1 FROM ${table} x WHERE ${match} AND x.${timeColumn} < $1) LIMIT 1`;
  let pruned = 0;
  let from = oldest;
  let slice = FIRST_SLICE_MS;
  while (from < p.time) {
    if (performance.now() >= p.deadline || pruned >= allowed)
      return { pruned, capped: (await one(c, remains, [p.time])) !== undefined };
    const to = Math.min(from + slice, p.time);
    const limit = Math.min(p.batchSize, allowed - pruned);
    const rows = await timedDelete(p, del, [from, to, limit, ...arrays]);
    pruned += rows;
    if (rows >= limit) {
      slice = Math.max(1, Math.floor(slice / 2)); // rows of this slice remain: same `from`
      continue;
    }
    from = to;
    // Aim at ~batchSize rows per statement, changing the slice at most 4× per step.
    slice = Math.max(
      1,
      Math.round(slice * Math.min(4, Math.max(0.25, p.batchSize / Math.max(rows, 1)))),
    );
  }
  return { pruned, capped: false };
}

/** When the last retention pass of any target ran (ms, as recorded), or null before the first. */
export async function lastRetentionRunAt(q: PgDb): Promise<number | null> {
  const row = await one<{ t: string | null }>(
    q.$client,
    'SELECT max(last_run_at) AS t FROM retention_state',
  );
  return num(row?.t);
}
