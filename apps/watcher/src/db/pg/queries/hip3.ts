import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type pg from 'pg';
import type * as S from '../../queries/hip3.js';
import type {
  Hip3DexRow,
  Hip3MarketRow,
  Hip3OracleUpdateRow,
  Hip3SampleRow,
  OracleUpdateCursor,
} from '../../queries/hip3.js';
import { LOCAL_WATCHER } from '../../schema/chains.js';
import type { PgDb } from '../openPgDb.js';
import {
  hip3Dexes,
  hip3Markets,
  hip3OracleUpdates,
  hip3Samples,
  hip3StatusTransitions,
  hip3StreamGaps,
} from '../schema/hip3.js';

/**
 * PostgreSQL twin of `src/db/queries/hip3.ts` (issue 17, ARCHITECTURE.md "PostgreSQL"): the same
 * function names, parameters and result shapes, async, over a {@link PgDb} (the pool, or one client
 * inside `withPgTransaction`). Differences that are not visible in the results:
 *
 * - Batches are one statement per table: `insert … select from unnest($arrays)` (11 parameters
 *   whatever the row count, so no 65,535-parameter limit and one cached plan) in chunks of
 *   {@link HIP3_PG_CHUNK} rows, where SQLite runs one statement per 64 or 500 rows.
 * - Text order and text comparisons of the oracle-update cursor use `collate "C"` (byte order),
 *   which is SQLite's `BINARY`: the database's default collation (e.g. ICU `en-US`) must not change
 *   which rows a page holds.
 * - `NaN` in a `double precision` column is stored as `null`, as SQLite stores it.
 * - Within one batch, duplicate keys resolve as SQLite's row-by-row statements do: samples and
 *   oracle updates keep the first (`on conflict do nothing`); dex upserts and state updates keep
 *   the last.
 */

/** Rows per statement of the batched writes (one statement per table for a 3,000-market tick). */
export const HIP3_PG_CHUNK = 10_000;

type RawClient = {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<pg.QueryResult>;
};
const rawOf = (q: PgDb) => q.$client as unknown as RawClient;

/** SQLite stores a `NaN` real as NULL; PostgreSQL would keep `NaN`. */
const real = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? null : v;

const SAMPLES_SQL = `insert into hip3_samples (coin, received_at, oracle_px, mark_px, mid_px, funding,
  premium, open_interest, day_ntl_vlm, mark_deviation, source)
  select * from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
    $7::text[], $8::text[], $9::text[], $10::float8[], $11::text[])
  on conflict do nothing`;

const ORACLE_SQL = `insert into hip3_oracle_updates (coin, source, at, oracle_px, mark_px, interval_ms,
  mark_jump, tx_hash, error)
  select * from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[],
    $7::float8[], $8::text[], $9::text[])
  on conflict do nothing`;

const STATE_SQL = `update hip3_markets as m set status = u.status, status_since = u.status_since,
  reasons_json = u.reasons_json, metrics_json = u.metrics_json, last_sample_at = u.last_sample_at,
  updated_at = u.updated_at
  from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::bigint[],
    $7::bigint[]) as u(coin, status, status_since, reasons_json, metrics_json, last_sample_at,
    updated_at)
  where m.coin = u.coin`;

/** Column arrays of `rows` (one array per column, in `cols` order). */
function columns<R>(rows: readonly R[], from: number, to: number, cols: ((r: R) => unknown)[]) {
  const out = cols.map(() => new Array<unknown>(to - from));
  for (let i = from; i < to; i++) {
    const r = rows[i] as R;
    for (let c = 0; c < cols.length; c++)
      (out[c] as unknown[])[i - from] = (cols[c] as (r: R) => unknown)(r);
  }
  return out;
}

const sampleCols: ((r: Hip3SampleRow) => unknown)[] = [
  (r) => r.coin,
  (r) => r.receivedAt,
  (r) => r.oraclePx,
  (r) => r.markPx,
  (r) => r.midPx ?? null,
  (r) => r.funding,
  (r) => r.premium ?? null,
  (r) => r.openInterest,
  (r) => r.dayNtlVlm,
  (r) => real(r.markDeviation),
  (r) => r.source,
];

const oracleCols: ((r: Hip3OracleUpdateRow) => unknown)[] = [
  (r) => r.coin,
  (r) => r.source,
  (r) => r.at,
  (r) => r.oraclePx ?? null,
  (r) => r.markPx ?? null,
  (r) => r.intervalMs ?? null,
  (r) => real(r.markJump),
  (r) => r.txHash ?? '',
  (r) => r.error ?? null,
];

type StateRow = Parameters<typeof S.updateHip3MarketState>[1];
const stateCols: ((r: StateRow) => unknown)[] = [
  (r) => r.coin,
  (r) => r.status,
  (r) => r.statusSince,
  (r) => r.reasonsJson,
  (r) => r.metricsJson,
  (r) => r.lastSampleAt,
  (r) => r.updatedAt,
];

/** Runs the named statement `text` once per {@link HIP3_PG_CHUNK} rows, columns as arrays. */
async function batched<R>(
  q: PgDb,
  name: string,
  text: string,
  rows: readonly R[],
  cols: ((r: R) => unknown)[],
): Promise<void> {
  const raw = rawOf(q);
  for (let i = 0; i < rows.length; i += HIP3_PG_CHUNK) {
    const to = Math.min(rows.length, i + HIP3_PG_CHUNK);
    await raw.query({ name, text, values: columns(rows, i, to, cols) });
  }
}

/** The last row of each key, in first-seen key order (what row-by-row upserts leave). */
function lastPerKey<R>(rows: readonly R[], key: (r: R) => string): R[] {
  const m = new Map<string, R>();
  for (const r of rows) m.set(key(r), r);
  return [...m.values()];
}

/** Inserts or refreshes discovered dexes (first-seen time kept). Twin of {@link S.upsertHip3Dexes}. */
export async function upsertHip3Dexes(
  q: PgDb,
  rows: readonly Omit<Hip3DexRow, 'firstSeenAt'>[],
  now: number,
): Promise<ReturnType<typeof S.upsertHip3Dexes>> {
  if (rows.length === 0) return;
  const ex = (c: string) => sql.raw(`excluded.${c}`);
  await q
    .insert(hip3Dexes)
    .values(lastPerKey(rows, (r) => r.name).map((r) => ({ ...r, firstSeenAt: now })))
    .onConflictDoUpdate({
      target: hip3Dexes.name,
      set: {
        fullName: ex('full_name'),
        deployer: ex('deployer'),
        oracleWritersJson: ex('oracle_writers_json'),
        dexIndex: ex('dex_index'),
        totalOiCapUsd: ex('total_oi_cap_usd'),
        lastSeenAt: ex('last_seen_at'),
      },
    });
}

/** Every known dex, by index. Twin of {@link S.listHip3Dexes}. */
export async function listHip3Dexes(q: PgDb): Promise<ReturnType<typeof S.listHip3Dexes>> {
  return q.select().from(hip3Dexes).orderBy(asc(hip3Dexes.dexIndex));
}

/**
 * Registers a market (status `unknown` until evaluated) or refreshes its meta. Twin of
 * {@link S.upsertHip3MarketMeta}.
 */
export async function upsertHip3MarketMeta(
  q: PgDb,
  r: Parameters<typeof S.upsertHip3MarketMeta>[1],
): Promise<ReturnType<typeof S.upsertHip3MarketMeta>> {
  const owner = r.owner ?? LOCAL_WATCHER;
  await q
    .insert(hip3Markets)
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
    });
}

/** Writes the derived status/metrics of a market. Twin of {@link S.updateHip3MarketState}. */
export async function updateHip3MarketState(
  q: PgDb,
  r: StateRow,
): Promise<ReturnType<typeof S.updateHip3MarketState>> {
  await q
    .update(hip3Markets)
    .set({
      status: r.status,
      statusSince: r.statusSince,
      reasonsJson: r.reasonsJson,
      metricsJson: r.metricsJson,
      lastSampleAt: r.lastSampleAt,
      updatedAt: r.updatedAt,
    })
    .where(eq(hip3Markets.coin, r.coin));
}

/** Markets of one dex (or all), by coin. Twin of {@link S.listHip3Markets}. */
export async function listHip3Markets(q: PgDb, dex?: string): Promise<Hip3MarketRow[]> {
  const base = q.select().from(hip3Markets);
  return (dex === undefined ? base : base.where(eq(hip3Markets.dex, dex))).orderBy(
    sql`${hip3Markets.coin} collate "C"`,
  );
}

/** One market, or null. Twin of {@link S.getHip3Market}. */
export async function getHip3Market(q: PgDb, coin: string): Promise<Hip3MarketRow | null> {
  const [row] = await q.select().from(hip3Markets).where(eq(hip3Markets.coin, coin));
  return row ?? null;
}

/**
 * The markets among `coins` (unknown coins are simply absent; order unspecified, as on SQLite).
 * Twin of {@link S.getHip3MarketsByCoin}; the coins travel as one array parameter.
 */
export async function getHip3MarketsByCoin(
  q: PgDb,
  coins: readonly string[],
): Promise<Hip3MarketRow[]> {
  if (coins.length === 0) return [];
  return q
    .select()
    .from(hip3Markets)
    .where(sql`${hip3Markets.coin} = any(${sql.param([...coins])}::text[])`);
}

/**
 * Stores changed samples; a (coin, receivedAt) already present, or earlier in the batch, is
 * skipped (idempotent). Twin of {@link S.insertHip3Samples}.
 */
export async function insertHip3Samples(
  q: PgDb,
  rows: readonly Hip3SampleRow[],
): Promise<ReturnType<typeof S.insertHip3Samples>> {
  await batched(q, 'perpscope_hip3_samples_insert', SAMPLES_SQL, rows, sampleCols);
}

/** Number of stored samples of a market. Twin of {@link S.countHip3Samples}. */
export async function countHip3Samples(q: PgDb, coin: string): Promise<number> {
  const [row] = await q.select({ n: count() }).from(hip3Samples).where(eq(hip3Samples.coin, coin));
  return row?.n ?? 0;
}

/** Stored samples of a market, oldest first. Twin of {@link S.hip3SamplesOf}. */
export async function hip3SamplesOf(
  q: PgDb,
  coin: string,
): Promise<ReturnType<typeof S.hip3SamplesOf>> {
  return q
    .select()
    .from(hip3Samples)
    .where(eq(hip3Samples.coin, coin))
    .orderBy(asc(hip3Samples.receivedAt));
}

/**
 * Stores oracle updates; duplicates (same coin, source, time, tx) are skipped. Twin of
 * {@link S.insertHip3OracleUpdates}.
 */
export async function insertHip3OracleUpdates(
  q: PgDb,
  rows: readonly Hip3OracleUpdateRow[],
): Promise<ReturnType<typeof S.insertHip3OracleUpdates>> {
  await batched(q, 'perpscope_hip3_oracle_insert', ORACLE_SQL, rows, oracleCols);
}

/**
 * A page of oracle updates of one coin, newest first (`at`, then `source`, then `txHash`, each
 * descending in byte order), strictly after `cursor` in that order. Twin of
 * {@link S.hip3OracleUpdatesPage}.
 */
export async function hip3OracleUpdatesPage(
  q: PgDb,
  params: { coin: string; limit: number; cursor: OracleUpdateCursor | null; source?: string },
): Promise<ReturnType<typeof S.hip3OracleUpdatesPage>> {
  const t = hip3OracleUpdates;
  const conds: SQL[] = [eq(t.coin, params.coin)];
  if (params.source) conds.push(eq(t.source, params.source));
  const c = params.cursor;
  if (c) {
    // All three keys descend, so "after" is one row comparison (byte order, as SQLite's BINARY).
    conds.push(
      sql`(${t.at}, ${t.source} collate "C", ${t.txHash} collate "C") < (${c.at}::bigint, ${c.source}::text collate "C", ${c.txHash}::text collate "C")`,
    );
  }
  return q
    .select()
    .from(t)
    .where(and(...conds))
    .orderBy(desc(t.at), sql`${t.source} collate "C" desc`, sql`${t.txHash} collate "C" desc`)
    .limit(params.limit);
}

/** Appends a status transition. Twin of {@link S.insertHip3Transition}. */
export async function insertHip3Transition(
  q: PgDb,
  r: Parameters<typeof S.insertHip3Transition>[1],
): Promise<ReturnType<typeof S.insertHip3Transition>> {
  await q.insert(hip3StatusTransitions).values(r);
}

/** Status transitions of a market, oldest first (the latest `limit`). Twin of {@link S.hip3TransitionsOf}. */
export async function hip3TransitionsOf(
  q: PgDb,
  coin: string,
  limit = 100,
): Promise<ReturnType<typeof S.hip3TransitionsOf>> {
  const rows = await q
    .select()
    .from(hip3StatusTransitions)
    .where(eq(hip3StatusTransitions.coin, coin))
    .orderBy(desc(hip3StatusTransitions.id))
    .limit(limit);
  return rows.reverse();
}

/** Records a stream gap (idempotent on its start + reason). Twin of {@link S.insertHip3StreamGap}. */
export async function insertHip3StreamGap(
  q: PgDb,
  r: Parameters<typeof S.insertHip3StreamGap>[1],
): Promise<ReturnType<typeof S.insertHip3StreamGap>> {
  await q
    .insert(hip3StreamGaps)
    .values(r)
    .onConflictDoUpdate({
      target: [hip3StreamGaps.fromAt, hip3StreamGaps.reason],
      set: { toAt: r.toAt },
    });
}

/** Recorded stream gaps, oldest first. Twin of {@link S.listHip3StreamGaps}. */
export async function listHip3StreamGaps(
  q: PgDb,
): Promise<ReturnType<typeof S.listHip3StreamGaps>> {
  // SQLite's order among gaps of the same start is its primary key's (reason, byte order).
  return q
    .select()
    .from(hip3StreamGaps)
    .orderBy(asc(hip3StreamGaps.fromAt), sql`${hip3StreamGaps.reason} collate "C"`);
}

/**
 * The hot-path writes of {@link prepareHip3Writes}: the methods of SQLite's `Hip3Writes`, async
 * and batched, plus {@link PgHip3Writes.updateMarketStates} (a whole tick's states in one
 * statement).
 */
export type PgHip3Writes = {
  /** As {@link insertHip3Samples}: one statement per {@link HIP3_PG_CHUNK} rows. */
  insertSamples(rows: readonly Hip3SampleRow[]): Promise<void>;
  /** As {@link insertHip3OracleUpdates}: one statement per {@link HIP3_PG_CHUNK} rows. */
  insertOracleUpdates(rows: readonly Hip3OracleUpdateRow[]): Promise<void>;
  /** As {@link updateHip3MarketState} (one row, one statement). */
  updateMarketState(r: StateRow): Promise<void>;
  /**
   * As {@link updateHip3MarketState} for each row in order (a coin given twice ends with its last
   * row), in one statement per {@link HIP3_PG_CHUNK} rows. Coins without a market row are ignored.
   */
  updateMarketStates(rows: readonly StateRow[]): Promise<void>;
};

/**
 * Twin of SQLite's `prepareHip3Writes` (prepared statements on the raw connection): the ingestion
 * hot path's writes of changed samples, oracle updates and market states, bound to `q`. Pass the
 * transaction's handle (`withPgTransaction`) so they commit with the tick's events; creating one is
 * free (no I/O: the statements are named and the server prepares them once per connection, on
 * first use). The SQLite side runs one statement per row of state; call
 * {@link PgHip3Writes.updateMarketStates} with the tick's rows instead of
 * {@link PgHip3Writes.updateMarketState} per row to pay one round trip per table per tick.
 */
export function prepareHip3Writes(q: PgDb): PgHip3Writes {
  return {
    insertSamples: (rows) => insertHip3Samples(q, rows),
    insertOracleUpdates: (rows) => insertHip3OracleUpdates(q, rows),
    updateMarketState: (r) => updateHip3MarketStates(q, [r]),
    updateMarketStates: (rows) => updateHip3MarketStates(q, rows),
  };
}

/** Batched {@link updateHip3MarketState}: one `update … from unnest(…)` per chunk, last row per coin wins. */
async function updateHip3MarketStates(q: PgDb, rows: readonly StateRow[]): Promise<void> {
  const unique = rows.length > 1 ? lastPerKey(rows, (r) => r.coin) : rows;
  await batched(q, 'perpscope_hip3_state_update', STATE_SQL, unique, stateCols);
}

/**
 * Every market's status and metrics as stored (the `/metrics` scrape reads them), by coin. Twin of
 * {@link S.hip3MarketMetricRows} (whose order is SQLite's table order).
 */
export async function hip3MarketMetricRows(
  q: PgDb,
): Promise<ReturnType<typeof S.hip3MarketMetricRows>> {
  return q
    .select({
      coin: hip3Markets.coin,
      dex: hip3Markets.dex,
      status: hip3Markets.status,
      metrics_json: hip3Markets.metricsJson,
      updated_at: hip3Markets.updatedAt,
    })
    .from(hip3Markets)
    .orderBy(sql`${hip3Markets.coin} collate "C"`);
}

/** HIP-3 markets the database knows that are not delisted. Twin of {@link S.countWatchedHip3Markets}. */
export async function countWatchedHip3Markets(q: PgDb): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(hip3Markets)
    .where(eq(hip3Markets.isDelisted, false));
  return row?.n ?? 0;
}
