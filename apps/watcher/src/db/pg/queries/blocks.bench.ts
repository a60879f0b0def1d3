import { loadavg } from 'node:os';
import pg from 'pg';
import { test } from 'vitest';
import { startPostgres } from '../../../../test/support/startPostgres.js';
import type { BlockRecord } from '../../queries/blocks.js';
import { migratePg, withPgTransaction } from '../openPgDb.js';
import { insertBlocks } from './blocks.js';

/*
 * The PostgreSQL side of `src/db/queries/blocks.bench.ts` (issue 17: the twin should reach ≥ 0.8× of
 * a raw `pg` floor on the same server). A real server (`startPostgres`: the test settings,
 * `fsync=off`, `synchronous_commit=off`), two databases migrated by the real migrations so neither
 * contender inserts into the other's indexes; each iteration commits one transaction of BATCH new
 * blocks (unique chain + number + hash), the way a poll commits its blocks:
 * - `insertBlocks`: the twin (one named prepared `insert … select from unnest(…) on conflict`);
 * - raw floor: one multi-row `insert … values ($1, …), (…)` of the same rows through the bare
 *   client (5,000 × 8 parameters fits the 65,535 limit in one statement), no conflict clause.
 * The two alternate batch by batch (PAIRS interleaved pairs, after WARMUP), so a change in machine
 * load hits both alike; the ratio reported is the median of the per-pair ratios, with the load.
 */
const BATCH = 5_000;
const WARMUP = 3;
const PAIRS = 40;

test('block ingest on PostgreSQL', async ({ bench }) => {
  const server = await startPostgres();
  const pools: pg.Pool[] = [];
  const open = async (name: string) => {
    const url = await server.createDatabase(name);
    await migratePg({ url });
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    pools.push(pool);
    return pool;
  };
  try {
    const twinPool = await open('bench_twin');
    const rawPool = await open('bench_raw');
    const counters = { twin: 0, raw: 0 };
    const batch = (who: keyof typeof counters): BlockRecord[] =>
      Array.from({ length: BATCH }, () => {
        const n = counters[who]++;
        return {
          chainId: 1 + (n % 15),
          number: 25_000_000_000 + n,
          hash: `0x${n.toString(16).padStart(64, 'a')}`,
          parentHash: `0x${(n - 1).toString(16).padStart(64, 'a')}`,
          timestamp: 1_700_000_000 + n,
          txCount: n % 7,
          seenAt: 1_700_000_000_000 + n,
        };
      });
    const rawText = `insert into blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at, canonical) values ${Array.from(
      { length: BATCH },
      (_, i) =>
        `($${i * 8 + 1}, $${i * 8 + 2}, $${i * 8 + 3}, $${i * 8 + 4}, $${i * 8 + 5}, $${i * 8 + 6}, $${i * 8 + 7}, $${i * 8 + 8})`,
    ).join(', ')}`;
    const rawInsert = async (rows: BlockRecord[]) => {
      const values: unknown[] = [];
      for (const r of rows)
        values.push(
          r.chainId,
          r.number,
          r.hash,
          r.parentHash,
          r.timestamp,
          r.txCount,
          r.seenAt,
          true,
        );
      const client = await rawPool.connect();
      try {
        await client.query('begin');
        await client.query(rawText, values);
        await client.query('commit');
      } finally {
        client.release();
      }
    };
    const rate = (ms: number) => Math.round((BATCH / ms) * 1000);
    const fmt = (n: number) => n.toLocaleString('en-US');
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const twinOnce = async () => {
      const rows = batch('twin');
      const t0 = performance.now();
      await withPgTransaction(twinPool, (q) => insertBlocks(q, rows));
      return performance.now() - t0;
    };
    const rawOnce = async () => {
      const rows = batch('raw');
      const t0 = performance.now();
      await rawInsert(rows);
      return performance.now() - t0;
    };
    for (let i = 0; i < WARMUP; i++) await twinOnce().then(rawOnce);
    const twinMs: number[] = [];
    const rawMs: number[] = [];
    const pairRatios: number[] = [];
    for (let i = 0; i < PAIRS; i++) {
      // Alternate which one goes first, so neither always follows the other's checkpoint work.
      let t: number;
      let r: number;
      if (i % 2 === 0) {
        t = await twinOnce();
        r = await rawOnce();
      } else {
        r = await rawOnce();
        t = await twinOnce();
      }
      twinMs.push(t);
      rawMs.push(r);
      pairRatios.push(r / t); // rows/s ratio of the pair: twin rate over raw rate
    }
    const line = (name: string, xs: number[]) =>
      `${name}: median ${median(xs).toFixed(1)} ms = ${fmt(rate(median(xs)))} blocks/s (best ${Math.min(...xs).toFixed(1)} ms = ${fmt(rate(Math.min(...xs)))} blocks/s)`;
    console.log(line(`insertBlocks (twin), ${BATCH} blocks per transaction`, twinMs));
    console.log(line(`raw pg multi-row insert, ${BATCH} blocks per transaction`, rawMs));
    console.log(
      `insertBlocks / raw floor (rows/s), median of ${PAIRS} interleaved pairs: ${median(pairRatios).toFixed(2)}× (target ≥ 0.8×); ratio of medians ${(median(rawMs) / median(twinMs)).toFixed(2)}×, of bests ${(Math.min(...rawMs) / Math.min(...twinMs)).toFixed(2)}×; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    // Re-ingesting blocks already stored (a restart re-reads the recent range): the conflict path.
    const again = await bench(
      `insertBlocks of stored blocks: ${BATCH} per transaction`,
      async () => {
        counters.twin -= BATCH;
        const rows = batch('twin');
        await withPgTransaction(twinPool, (q) => insertBlocks(q, rows));
      },
    ).run({ time: 3_000 });
    console.log(
      `re-ingest of stored blocks (on conflict, already canonical): median ${again.latency.p50.toFixed(1)} ms = ${fmt(rate(again.latency.p50))} blocks/s`,
    );
  } finally {
    for (const p of pools) await p.end();
    await server.stop();
  }
}, 600_000);
