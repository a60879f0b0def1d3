import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../openDb.js';
import { LOCAL_WATCHER } from '../schema/chains.js';
import {
  hip3Dexes,
  hip3Markets,
  hip3OracleUpdates,
  hip3Samples,
  hip3StatusTransitions,
  hip3StreamGaps,
} from '../schema/hip3.js';

export type Hip3DexRow = typeof hip3Dexes.$inferSelect;
export type Hip3MarketRow = typeof hip3Markets.$inferSelect;
export type Hip3SampleRow = typeof hip3Samples.$inferInsert;
export type Hip3OracleUpdateRow = typeof hip3OracleUpdates.$inferInsert;

/** Inserts or refreshes discovered dexes (first-seen time kept). */
export function upsertHip3Dexes(
  db: Db,
  rows: readonly Omit<Hip3DexRow, 'firstSeenAt'>[],
  now: number,
) {
  for (const r of rows) {
    db.insert(hip3Dexes)
      .values({ ...r, firstSeenAt: now })
      .onConflictDoUpdate({
        target: hip3Dexes.name,
        set: {
          fullName: r.fullName,
          deployer: r.deployer,
          oracleWritersJson: r.oracleWritersJson,
          dexIndex: r.dexIndex,
          totalOiCapUsd: r.totalOiCapUsd,
          lastSeenAt: r.lastSeenAt,
        },
      })
      .run();
  }
}

/** Every known dex, by index. */
export function listHip3Dexes(db: Db): Hip3DexRow[] {
  return db.select().from(hip3Dexes).orderBy(asc(hip3Dexes.dexIndex)).all();
}

/**
 * Registers a market (status `unknown` until evaluated) or refreshes its meta. `owner`: the
 * watcher id registering it (default {@link LOCAL_WATCHER}); a refresh by another watcher takes
 * the market over (sharded mode: one watcher runs the HIP-3 watch).
 */
export function upsertHip3MarketMeta(
  db: Db,
  r: {
    coin: string;
    dex: string;
    metaJson: string;
    isDelisted: boolean;
    now: number;
    owner?: string;
  },
) {
  const owner = r.owner ?? LOCAL_WATCHER;
  db.insert(hip3Markets)
    .values({
      coin: r.coin,
      owner,
      dex: r.dex,
      metaJson: r.metaJson,
      isDelisted: r.isDelisted,
      status: 'unknown',
      statusSince: r.now,
      reasonsJson: '[]',
      metricsJson: '{}',
      lastSampleAt: null,
      firstSeenAt: r.now,
      updatedAt: r.now,
    })
    .onConflictDoUpdate({
      target: hip3Markets.coin,
      set: { metaJson: r.metaJson, isDelisted: r.isDelisted, dex: r.dex, owner },
    })
    .run();
}

/** Writes the derived status/metrics of a market. */
export function updateHip3MarketState(
  db: Db,
  r: {
    coin: string;
    status: string;
    statusSince: number;
    reasonsJson: string;
    metricsJson: string;
    lastSampleAt: number | null;
    updatedAt: number;
  },
) {
  db.update(hip3Markets)
    .set({
      status: r.status,
      statusSince: r.statusSince,
      reasonsJson: r.reasonsJson,
      metricsJson: r.metricsJson,
      lastSampleAt: r.lastSampleAt,
      updatedAt: r.updatedAt,
    })
    .where(eq(hip3Markets.coin, r.coin))
    .run();
}

/** Markets of one dex (or all), by coin. */
export function listHip3Markets(db: Db, dex?: string): Hip3MarketRow[] {
  const q = db.select().from(hip3Markets);
  return (dex === undefined ? q : q.where(eq(hip3Markets.dex, dex)))
    .orderBy(asc(hip3Markets.coin))
    .all();
}

/** One market, or null. */
export function getHip3Market(db: Db, coin: string): Hip3MarketRow | null {
  return db.select().from(hip3Markets).where(eq(hip3Markets.coin, coin)).get() ?? null;
}

/** The markets among `coins` (unknown coins are simply absent). */
export function getHip3MarketsByCoin(db: Db, coins: readonly string[]): Hip3MarketRow[] {
  if (coins.length === 0) return [];
  return db
    .select()
    .from(hip3Markets)
    .where(inArray(hip3Markets.coin, [...coins]))
    .all();
}

/** Stores changed samples; a (coin, receivedAt) already present is skipped (idempotent). */
export function insertHip3Samples(db: Db, rows: readonly Hip3SampleRow[]) {
  for (let i = 0; i < rows.length; i += 500) {
    db.insert(hip3Samples)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing()
      .run();
  }
}

/** Number of stored samples of a market (tests, status page). */
export function countHip3Samples(db: Db, coin: string): number {
  return (
    db
      .select({ n: sql<number>`count(*)` })
      .from(hip3Samples)
      .where(eq(hip3Samples.coin, coin))
      .get()?.n ?? 0
  );
}

/** Stored samples of a market, oldest first. */
export function hip3SamplesOf(db: Db, coin: string) {
  return db
    .select()
    .from(hip3Samples)
    .where(eq(hip3Samples.coin, coin))
    .orderBy(asc(hip3Samples.receivedAt))
    .all();
}

/** Stores oracle updates; duplicates (same coin, source, time, tx) are skipped. */
export function insertHip3OracleUpdates(db: Db, rows: readonly Hip3OracleUpdateRow[]) {
  for (let i = 0; i < rows.length; i += 500) {
    db.insert(hip3OracleUpdates)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing()
      .run();
  }
}

/** Cursor over oracle updates: `${at}:${source}:${txHash}` of the last row of the previous page. */
export type OracleUpdateCursor = { at: number; source: string; txHash: string };

/**
 * A page of oracle updates of one coin, newest first, strictly after `cursor` in that order: the
 * union of `hip3_oracle_updates` and the not yet folded `hip3_oracle_updates_recent` (a row in both,
 * replayed after a crash, counts once).
 */
export function hip3OracleUpdatesPage(
  db: Db,
  params: { coin: string; limit: number; cursor: OracleUpdateCursor | null; source?: string },
): (typeof hip3OracleUpdates.$inferSelect)[] {
  const raw = (db as unknown as { $client: import('better-sqlite3').Database }).$client;
  const c = params.cursor;
  const where = [
    'coin = :coin',
    ...(params.source ? ['source = :source'] : []),
    ...(c
      ? [
          `(at < :at OR (at = :at AND source < :cursorSource)
            OR (at = :at AND source = :cursorSource AND tx_hash < :txHash))`,
        ]
      : []),
  ].join(' AND ');
  const rows = raw
    .prepare(
      `SELECT ${ORACLE_COLUMN_LIST} FROM (
         SELECT ${ORACLE_COLUMN_LIST} FROM hip3_oracle_updates WHERE ${where}
         UNION ALL
         SELECT ${ORACLE_COLUMN_LIST} FROM hip3_oracle_updates_recent r WHERE ${where}
           AND NOT EXISTS (SELECT 1 FROM hip3_oracle_updates o WHERE o.coin = r.coin
             AND o.source = r.source AND o.at = r.at AND o.tx_hash = r.tx_hash))
       ORDER BY at DESC, source DESC, tx_hash DESC LIMIT :limit`,
    )
    .all({
      coin: params.coin,
      limit: params.limit,
      ...(params.source ? { source: params.source } : {}),
      ...(c ? { at: c.at, cursorSource: c.source, txHash: c.txHash } : {}),
    }) as {
    coin: string;
    source: string;
    at: number;
    oracle_px: string | null;
    mark_px: string | null;
    interval_ms: number | null;
    mark_jump: number | null;
    tx_hash: string;
    error: string | null;
  }[];
  return rows.map((r) => ({
    coin: r.coin,
    source: r.source,
    at: r.at,
    oraclePx: r.oracle_px,
    markPx: r.mark_px,
    intervalMs: r.interval_ms,
    markJump: r.mark_jump,
    txHash: r.tx_hash,
    error: r.error,
  }));
}

/** Appends a status transition. */
export function insertHip3Transition(
  db: Db,
  r: { coin: string; at: number; fromStatus: string; toStatus: string; reasonsJson: string },
) {
  db.insert(hip3StatusTransitions).values(r).run();
}

/** Status transitions of a market, oldest first. */
export function hip3TransitionsOf(db: Db, coin: string, limit = 100) {
  return db
    .select()
    .from(hip3StatusTransitions)
    .where(eq(hip3StatusTransitions.coin, coin))
    .orderBy(desc(hip3StatusTransitions.id))
    .limit(limit)
    .all()
    .reverse();
}

/** Records a stream gap (idempotent on its start + reason). */
export function insertHip3StreamGap(db: Db, r: { fromAt: number; toAt: number; reason: string }) {
  db.insert(hip3StreamGaps)
    .values(r)
    .onConflictDoUpdate({
      target: [hip3StreamGaps.fromAt, hip3StreamGaps.reason],
      set: { toAt: r.toAt },
    })
    .run();
}

/** Recorded stream gaps, oldest first. */
export function listHip3StreamGaps(db: Db) {
  return db.select().from(hip3StreamGaps).orderBy(asc(hip3StreamGaps.fromAt)).all();
}

/**
 * How far the newest staged update time may move past that of the first batch staged since the
 * last fold before `hip3_oracle_updates_recent` is folded into `hip3_oracle_updates` (~10 updates
 * per market at HL's ~3 s oracle cadence). Measured on the newest time, not the span of the staged
 * rows: an explorer poll stages a minute of older history at once, and waits for the next fold
 * instead of writing every market's leaf in a fold of its own. The rows of one fold span this plus
 * the history staged with them (an explorer poll's interval, 60 s by default), which bounds how far
 * the folded rows' rowid order strays from time order (retention's `disorderMs` of
 * `hip3_oracle_updates`).
 */
export const ORACLE_FOLD_SPAN_MS = 30_000;

const ORACLE_COLUMN_LIST =
  'coin, source, at, oracle_px, mark_px, interval_ms, mark_jump, tx_hash, error';

/** The fold of {@link hip3OracleUpdatesRecent} into `hip3_oracle_updates`, as SQL statements. */
export const FOLD_ORACLE_UPDATES_SQL: readonly string[] = [
  // Market order: each market's index leaf is visited once, so a fold larger than the page cache
  // still writes each leaf once. Rows already there (a batch replayed after a crash) are skipped.
  `INSERT OR IGNORE INTO hip3_oracle_updates (${ORACLE_COLUMN_LIST})
   SELECT ${ORACLE_COLUMN_LIST} FROM hip3_oracle_updates_recent ORDER BY coin, source, at, tx_hash`,
  'DELETE FROM hip3_oracle_updates_recent',
];

/** The prepared hot-path statements of {@link prepareHip3Writes}. */
export type Hip3Writes = ReturnType<typeof prepareHip3Writes>;

/**
 * Prepared statements for the ingestion hot path (changed samples, oracle updates and market state
 * of every tick), on the raw better-sqlite3 connection behind `db`. Run them inside the event-log
 * transaction: it is the same connection, so they commit with it. Same semantics as
 * {@link insertHip3Samples}, {@link insertHip3OracleUpdates}, {@link updateHip3MarketState},
 * {@link upsertHip3MarketMeta} and {@link insertHip3Transition}; the drizzle builders cost ~100 µs
 * per row here, the prepared statements a few µs. And memory: a drizzle `.run()` prepares a new
 * SQLite statement (~6 KB of malloc) that is finalized only when V8 collects its wrapper, so a tick
 * of 3,000 transitions held ~50 MB of native memory at once, which the allocator kept afterwards.
 */
export function prepareHip3Writes(db: Db) {
  const raw = (db as unknown as { $client: import('better-sqlite3').Database }).$client;
  // Multi-row statements: one VM run per 64 rows instead of one per row.
  const CHUNK = 64;
  const sampleCols = `(coin, received_at, oracle_px, mark_px, mid_px, funding, premium, open_interest,
       day_ntl_vlm, mark_deviation, source)`;
  const oracleCols = `(coin, source, at, oracle_px, mark_px, interval_ms, mark_jump, tx_hash, error)`;
  const values = (n: number, width: number) =>
    Array.from({ length: n }, () => `(${Array.from({ length: width }, () => '?').join(',')})`).join(
      ',',
    );
  const sampleStmt = (n: number) =>
    raw.prepare(`INSERT OR IGNORE INTO hip3_samples ${sampleCols} VALUES ${values(n, 11)}`);
  // Oracle updates land in the time-keyed staging table (schema: hip3OracleUpdatesRecent).
  const oracleStmt = (n: number) =>
    raw.prepare(
      `INSERT OR IGNORE INTO hip3_oracle_updates_recent ${oracleCols} VALUES ${values(n, 9)}`,
    );
  const anyStaged = raw.prepare('SELECT 1 FROM hip3_oracle_updates_recent LIMIT 1').pluck();
  const fold = FOLD_ORACLE_UPDATES_SQL.map((statement) => raw.prepare(statement));
  // Since this process's last fold: the newest update time of the first batch it staged (`since`)
  // and of all it staged (`hi`); null = nothing staged.
  let staged: { since: number; hi: number } | null = null;
  const sampleFull = sampleStmt(CHUNK);
  const oracleFull = oracleStmt(CHUNK);
  const sampleOne = sampleStmt(1);
  const oracleOne = oracleStmt(1);
  const state = raw.prepare(
    `UPDATE hip3_markets SET status = ?, status_since = ?, reasons_json = ?, metrics_json = ?,
       last_sample_at = ?, updated_at = ? WHERE coin = ?`,
  );
  const meta = raw.prepare(
    `INSERT INTO hip3_markets (coin, owner, dex, meta_json, is_delisted, status, status_since,
       reasons_json, metrics_json, last_sample_at, first_seen_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'unknown', ?, '[]', '{}', NULL, ?, ?)
     ON CONFLICT (coin) DO UPDATE SET meta_json = excluded.meta_json,
       is_delisted = excluded.is_delisted, dex = excluded.dex, owner = excluded.owner`,
  );
  const transition = raw.prepare(
    `INSERT INTO hip3_status_transitions (coin, at, from_status, to_status, reasons_json)
     VALUES (?, ?, ?, ?, ?)`,
  );
  // Each row's parameters are written into arrays reused across calls (a statement binds them
  // synchronously): a new array per row and per chunk was ~2 MB/s of garbage at 3,000 markets.
  const sampleFill = (r: Hip3SampleRow, a: unknown[], o: number) => {
    a[o] = r.coin;
    a[o + 1] = r.receivedAt;
    a[o + 2] = r.oraclePx;
    a[o + 3] = r.markPx;
    a[o + 4] = r.midPx ?? null;
    a[o + 5] = r.funding;
    a[o + 6] = r.premium ?? null;
    a[o + 7] = r.openInterest;
    a[o + 8] = r.dayNtlVlm;
    a[o + 9] = r.markDeviation ?? null;
    a[o + 10] = r.source;
  };
  const oracleFill = (r: Hip3OracleUpdateRow, a: unknown[], o: number) => {
    a[o] = r.coin;
    a[o + 1] = r.source;
    a[o + 2] = r.at;
    a[o + 3] = r.oraclePx ?? null;
    a[o + 4] = r.markPx ?? null;
    a[o + 5] = r.intervalMs ?? null;
    a[o + 6] = r.markJump ?? null;
    a[o + 7] = r.txHash ?? '';
    a[o + 8] = r.error ?? null;
  };
  const chunkedInsert = <R>(
    width: number,
    full: import('better-sqlite3').Statement,
    one: import('better-sqlite3').Statement,
    fill: (r: R, a: unknown[], o: number) => void,
  ) => {
    const many = new Array<unknown>(CHUNK * width).fill(null);
    const single = new Array<unknown>(width).fill(null);
    return (rows: readonly R[]) => {
      let i = 0;
      for (; i + CHUNK <= rows.length; i += CHUNK) {
        for (let j = 0; j < CHUNK; j++) fill(rows[i + j] as R, many, j * width);
        full.run(many);
      }
      for (; i < rows.length; i++) {
        fill(rows[i] as R, single, 0);
        one.run(single);
      }
    };
  };
  const insertSamples = chunkedInsert(11, sampleFull, sampleOne, sampleFill);
  const insertOracleRows = chunkedInsert(9, oracleFull, oracleOne, oracleFill);
  return {
    insertSamples,
    /**
     * Appends oracle updates to `hip3_oracle_updates_recent`, then folds that table into
     * `hip3_oracle_updates` once the newest staged update time is {@link ORACLE_FOLD_SPAN_MS} past
     * that of the first batch staged since the last fold (a few rows per market per fold, so each
     * market's index leaf is written once per fold, not per update).
     * Run inside the caller's transaction: the fold commits with the rows.
     */
    insertOracleUpdates(rows: readonly Hip3OracleUpdateRow[]) {
      if (rows.length === 0) return;
      // Rows staged but not by this process since its last fold (a crash, a restart, a rolled-back
      // commit) fold first: one fold in market order with these would store rows hours apart out
      // of rowid time order.
      if (staged === null && anyStaged.get() !== undefined)
        for (const statement of fold) statement.run();
      insertOracleRows(rows);
      let hi = staged?.hi ?? Number.NEGATIVE_INFINITY;
      for (const r of rows) if (r.at > hi) hi = r.at;
      const since = staged?.since ?? hi;
      if (hi - since >= ORACLE_FOLD_SPAN_MS) {
        for (const statement of fold) statement.run();
        staged = null;
      } else staged = { since, hi };
    },
    /** {@link upsertHip3MarketMeta} on one statement prepared once (discovery lists thousands). */
    upsertMarketMeta(r: Parameters<typeof upsertHip3MarketMeta>[1]) {
      meta.run(
        r.coin,
        r.owner ?? LOCAL_WATCHER,
        r.dex,
        r.metaJson,
        r.isDelisted ? 1 : 0,
        r.now,
        r.now,
        r.now,
      );
    },
    /** {@link insertHip3Transition} on one statement prepared once (a first tick has thousands). */
    insertTransition(r: Parameters<typeof insertHip3Transition>[1]) {
      transition.run(r.coin, r.at, r.fromStatus, r.toStatus, r.reasonsJson);
    },
    updateMarketState(r: Parameters<typeof updateHip3MarketState>[1]) {
      state.run(
        r.status,
        r.statusSince,
        r.reasonsJson,
        r.metricsJson,
        r.lastSampleAt,
        r.updatedAt,
        r.coin,
      );
    },
  };
}

/** Every market's status and metrics as stored (the `/metrics` scrape reads them). */
export function hip3MarketMetricRows(db: Db): {
  coin: string;
  dex: string;
  status: string;
  metrics_json: string;
  updated_at: number;
}[] {
  return db.all(sql`SELECT coin, dex, status, metrics_json, updated_at FROM hip3_markets`);
}

/** HIP-3 markets the database knows that are not delisted (the storage projection's market count). */
export function countWatchedHip3Markets(db: Db): number {
  const row = db
    .select({ n: sql<number>`count(*)` })
    .from(hip3Markets)
    .where(eq(hip3Markets.isDelisted, false))
    .get();
  return row?.n ?? 0;
}
