import type Database from 'better-sqlite3';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * A raw table the retention job rolls up and prunes. The table must be an ordinary rowid table
 * whose rows are inserted roughly in `timeColumn` order (true for append-only samples stamped with
 * the watcher's clock): the job finds time boundaries by binary search over `rowid`, so neither
 * pruning nor rolling up scans the table.
 */
export type RetentionTarget = {
  /** Key in `retention_state`. */
  name: string;
  table: string;
  /** Column holding ms since the epoch. */
  timeColumn: string;
  /** Which horizon prunes it: `raw` samples (`rawDays`) or the `event` log (`eventDays`). */
  horizon: 'raw' | 'event';
  /**
   * SELECTs producing rollup rows `(subject_type, subject_id, metric, hour_start, count, min, max,
   * sum)` from the rows with `:fromRowid <= rowid <= :toRowid` and `:from <= time < :to`.
   */
  rollups: readonly string[];
  /**
   * Statements run in one transaction before the pass reads the table, e.g. folding a staging
   * table into it (`hip3_oracle_updates_recent`), so the hours it rolls up are complete.
   */
  before?: readonly string[];
  /**
   * How far (ms) the table's rowid order may stray from time order (rows appended in batches
   * sorted otherwise); the rollups' rowid range is widened by it, their time bounds stay exact.
   * Default 0.
   */
  disorderMs?: number;
};

/** Parameters of {@link runRetention}. */
export type RunRetentionParameters = {
  sqlite: Database.Database;
  targets: readonly RetentionTarget[];
  config: {
    rawDays: number;
    rawDaysByTable?: Readonly<Record<string, number>>;
    rollupDays: number;
    eventDays: number;
    batchSize: number;
  };
  /** Ms since the epoch. */
  now: number;
  /**
   * At most this share (0–1) of each target's rows may be pruned in this pass; the rest waits for
   * the next one. Set after a suspected clock jump (`RetentionJob`), so a wall clock set 100 days
   * ahead cannot empty every table in one pass. Default: no cap.
   */
  maxPruneShare?: number;
};

/** What one run did, per target. */
export type RetentionReport = {
  /** `capped`: the pass stopped at `maxPruneShare` of the table with more rows past the horizon. */
  targets: Array<{ name: string; rolledHours: number; prunedRows: number; capped?: boolean }>;
  prunedRollups: number;
};

function assertIdentifier(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`not an SQL identifier: ${name}`);
}

/**
 * The smallest rowid from which every row has `time >= t` when rows are in time order; `null`
 * for an empty table. Binary search with one indexed probe per step (O(log n)).
 */
export function firstRowidAtOrAfter(
  sqlite: Database.Database,
  p: { table: string; timeColumn: string; time: number },
): number | null {
  assertIdentifier(p.table);
  assertIdentifier(p.timeColumn);
  const bounds = sqlite
    .prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${p.table}`)
    .get() as {
    lo: number | null;
    hi: number | null;
  };
  if (bounds.lo === null || bounds.hi === null) return null;
  const probe = sqlite.prepare(
    `SELECT ${p.timeColumn} AS t FROM ${p.table} WHERE rowid >= ? ORDER BY rowid LIMIT 1`,
  );
  let lo = bounds.lo;
  let hi = bounds.hi + 1; // answer in [lo, hi]; hi = past the end
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const row = probe.get(mid) as { t: number } | undefined;
    if (row === undefined || row.t >= p.time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * One retention pass: (1) roll up every complete hour not yet rolled (re-rolling the last two,
 * which makes late rows count and the pass idempotent), (2) prune raw rows older than the horizon
 * *and* already rolled up (and outside the two hours the next pass re-rolls), in `batchSize`
 * transactions so ingestion never waits long, (3) prune
 * rollups older than `rollupDays`. Safe to run from several processes (all writes are upserts or
 * deletes of rows past the horizon).
 *
 * @throws on SQLite errors (e.g. disk full); the caller logs and retries at the next interval.
 */
export function runRetention(p: RunRetentionParameters): RetentionReport {
  const { sqlite, config, now } = p;
  const hourNow = Math.floor(now / HOUR_MS) * HOUR_MS;
  const report: RetentionReport = { targets: [], prunedRollups: 0 };
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
  for (const target of p.targets) {
    assertIdentifier(target.table);
    assertIdentifier(target.timeColumn);
    if (!hasTable.get(target.table)) continue; // subject not installed in this database
    const before = target.before ?? [];
    if (before.length > 0)
      sqlite.transaction(() => {
        for (const statement of before) sqlite.prepare(statement).run();
      })();
    const state = sqlite
      .prepare('SELECT rolled_until AS rolledUntil FROM retention_state WHERE target = ?')
      .get(target.name) as { rolledUntil: number } | undefined;
    const oldest = sqlite
      .prepare(`SELECT ${target.timeColumn} AS t FROM ${target.table} ORDER BY rowid LIMIT 1`)
      .get() as { t: number } | undefined;
    const from = state
      ? Math.max(0, state.rolledUntil - 2 * HOUR_MS)
      : Math.floor((oldest?.t ?? hourNow) / HOUR_MS) * HOUR_MS;
    let rolledHours = 0;
    if (from < hourNow && target.rollups.length > 0) {
      // Widened by the disorder: every row of [from, hourNow) lies between these rowids even when
      // rows within `disorderMs` of each other are stored out of time order.
      const disorder = target.disorderMs ?? 0;
      const fromRowid = firstRowidAtOrAfter(sqlite, { ...target, time: from - disorder });
      const toRowid = firstRowidAtOrAfter(sqlite, { ...target, time: hourNow + disorder });
      if (fromRowid !== null && toRowid !== null) {
        const params = { from, to: hourNow, fromRowid, toRowid: toRowid - 1 };
        sqlite.transaction(() => {
          for (const select of target.rollups) {
            sqlite
              .prepare(
                `INSERT INTO rollups_hourly (subject_type, subject_id, metric, hour_start, count, min, max, sum)
                 SELECT * FROM (${select}) WHERE true
                 ON CONFLICT (subject_type, subject_id, metric, hour_start) DO UPDATE SET
                   count = excluded.count, min = excluded.min, max = excluded.max, sum = excluded.sum`,
              )
              .run(params);
          }
        })();
      }
      rolledHours = (hourNow - from) / HOUR_MS;
    }
    const rolledUntil = target.rollups.length > 0 ? hourNow : now;
    const days =
      target.horizon === 'raw'
        ? (config.rawDaysByTable?.[target.table] ?? config.rawDays)
        : config.eventDays;
    // Keep the raw rows of the hours the next pass re-rolls (from `rolledUntil − 2 h`): pruning
    // them would let that pass overwrite a complete rollup with a partial one.
    const rerolledFrom = target.rollups.length > 0 ? rolledUntil - 2 * HOUR_MS : rolledUntil;
    const cutoff = Math.min(now - days * DAY_MS, rerolledFrom);
    const { pruned: prunedRows, capped } = pruneBefore(sqlite, {
      ...target,
      time: cutoff,
      batchSize: config.batchSize,
      maxShare: p.maxPruneShare ?? 1,
    });
    sqlite
      .prepare(
        `INSERT INTO retention_state (target, rolled_until, last_run_at, last_pruned_rows) VALUES (?, ?, ?, ?)
         ON CONFLICT (target) DO UPDATE SET rolled_until = excluded.rolled_until,
           last_run_at = excluded.last_run_at, last_pruned_rows = excluded.last_pruned_rows`,
      )
      .run(target.name, rolledUntil, now, prunedRows);
    report.targets.push({ name: target.name, rolledHours, prunedRows, ...(capped && { capped }) });
  }
  report.prunedRollups = sqlite
    .prepare('DELETE FROM rollups_hourly WHERE hour_start < ?')
    .run(now - config.rollupDays * DAY_MS).changes;
  return report;
}

function pruneBefore(
  sqlite: Database.Database,
  p: { table: string; timeColumn: string; time: number; batchSize: number; maxShare: number },
): { pruned: number; capped: boolean } {
  const found = firstRowidAtOrAfter(sqlite, p);
  if (found === null) return { pruned: 0, capped: false };
  const { lo: start, hi } = sqlite
    .prepare(`SELECT min(rowid) AS lo, max(rowid) AS hi FROM ${p.table}`)
    .get() as { lo: number; hi: number };
  // The rowid span approximates the row count (append-only tables) without a count(*) scan.
  const allowed = Math.floor((hi - start + 1) * Math.min(1, Math.max(0, p.maxShare)));
  const end = Math.min(found, start + allowed);
  const del = sqlite.prepare(
    `DELETE FROM ${p.table} WHERE rowid >= ? AND rowid < ? AND ${p.timeColumn} < ?`,
  );
  let pruned = 0;
  for (let lo = start; lo < end; lo += p.batchSize)
    pruned += del.run(lo, Math.min(lo + p.batchSize, end), p.time).changes;
  return { pruned, capped: end < found };
}

/** When the last retention pass of any target ran (ms, as recorded), or null before the first. */
export function lastRetentionRunAt(sqlite: Database.Database): number | null {
  const row = sqlite.prepare('SELECT max(last_run_at) AS t FROM retention_state').get() as
    | { t: number | null }
    | undefined;
  return row?.t ?? null;
}
