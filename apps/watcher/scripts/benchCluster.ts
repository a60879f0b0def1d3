/**
 * Benchmarks of the watcher on PostgreSQL (issue 17; not a test — results are printed, with the
 * load average, for the issue's note). Three parts, each on its own throw-away PostgreSQL server
 * (`test/support/startPostgres.ts`: fsync off, as in the tests):
 *
 * 1. `ingest`: rows/s written through the store (`createPgStore`: `store.transaction` →
 *    `q.hip3.writeBatch`, `q.blocks.insertBlocks`) vs raw node-postgres multi-row inserts of the
 *    same rows, same server, interleaved pair by pair (target: store ≥ 0.8× the raw floor).
 * 2. `chains`: `GET /v1/chains` p50/p99 of a watcher process on PostgreSQL vs one on SQLite, both
 *    polling the same devnet chains in the same run, load runs alternating (open-loop client in its
 *    own process, `loadClient.ts`).
 * 3. `failover`: two redundant watchers on one devnet chain; a halt; once the open alert is
 *    delivered the lease holder is SIGKILLed; the time until the next alert (the escalate, due
 *    ~3 s later) reaches the sink (target ≤ lease + one poll). `--kill-after sink` (default) kills
 *    as soon as the sink has the open alert — usually before the holder recorded its outcome, so the
 *    row is still in flight and the next holder re-sends it only when its claim lease ends
 *    (`retry.timeoutMs` + 5 s after the claim; the subject's escalate waits behind it);
 *    `--kill-after recorded` kills once the open row is recorded delivered (the takeover proper).
 *    A line says when the next alert was such a re-send.
 *
 *   pnpm --filter @perpscope/watcher exec tsx scripts/benchCluster.ts [ingest] [chains] [failover]
 *     [--chains 15 --rate 1000 --seconds 10 --runs 3]   (the `chains` part's load)
 *     [--leases 5,5,5,15 --kill-after sink|recorded]     (the `failover` part's trials)
 *
 * @module
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type DevnetChainSpec, startDevnet } from '@perpscope/devnet';
import pg from 'pg';
import { stringify } from 'yaml';
import type { BlockRecord } from '../src/db/queries/blocks.js';
import type { Hip3SampleRow } from '../src/db/queries/hip3.js';
import { createPgStore } from '../src/db/store/createPgStore.js';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import {
  chainOf,
  spawnClusterWatcher,
  startClusterHarness,
  type WatcherProcess,
} from '../test/cluster/clusterHarness.js';
import { waitFor } from '../test/support/devnetWatcher.js';
import { startPostgres } from '../test/support/startPostgres.js';
import { type LoadResult, median, runLoad } from './benchSupport.js';
import { bundleWatcher } from './bundleWatcher.js';

const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Part 1: store vs raw `pg` on the same server, interleaved. */
export async function benchIngest(log: (line: string) => void): Promise<void> {
  const server = await startPostgres();
  const pools: pg.Pool[] = [];
  try {
    const storeUrl = await server.createDatabase('bench_store');
    const rawUrl = await server.createDatabase('bench_raw');
    const store = await createPgStore({ url: storeUrl, maxConnections: 2 }); // migrates
    await (await createPgStore({ url: rawUrl, maxConnections: 1 })).close(); // same schema
    const raw = new pg.Pool({ connectionString: rawUrl, max: 2 });
    raw.on('error', () => {});
    pools.push(raw);
    const rawTx = async (text: string, values: unknown[]) => {
      const c = await raw.connect();
      try {
        await c.query('begin');
        await c.query(text, values);
        await c.query('commit');
      } finally {
        c.release();
      }
    };

    // HIP-3 samples: one tick of MARKETS changed markets per transaction.
    const MARKETS = 3_000;
    const coins = Array.from({ length: MARKETS }, (_, i) => `dx${i % 10}:M${i}`);
    const ticks = { store: 0, raw: 0 };
    const tick = (who: keyof typeof ticks): Hip3SampleRow[] => {
      const at = 1_790_000_000_000 + ++ticks[who] * 1_000;
      return coins.map((coin, i) => {
        const px = (100 + i / 7).toPrecision(6);
        return {
          coin,
          receivedAt: at,
          oraclePx: px,
          markPx: px,
          midPx: px,
          funding: '0.0000125',
          premium: '-0.00012',
          openInterest: `${10_000 + i}.5`,
          dayNtlVlm: `${1_000_000 + i * 13}.25`,
          markDeviation: ((i % 17) - 8) / 100_000,
          source: 'ws',
        };
      });
    };
    const sampleText = `insert into hip3_samples (coin, received_at, oracle_px, mark_px, mid_px, funding, premium,
      open_interest, day_ntl_vlm, mark_deviation, source) values ${Array.from(
        { length: MARKETS },
        (_, r) => `(${Array.from({ length: 11 }, (_, k) => `$${r * 11 + k + 1}`).join(',')})`,
      ).join(',')}`;
    await interleave(
      log,
      `HIP-3 samples, ${MARKETS} per transaction`,
      MARKETS,
      async () => {
        const samples = tick('store');
        await store.transaction((q) =>
          q.hip3.writeBatch({ samples, oracleUpdates: [], marketStates: [] }),
        );
      },
      async () => {
        const values: unknown[] = [];
        for (const s of tick('raw'))
          values.push(
            s.coin,
            s.receivedAt,
            s.oraclePx,
            s.markPx,
            s.midPx ?? null,
            s.funding,
            s.premium ?? null,
            s.openInterest,
            s.dayNtlVlm,
            s.markDeviation ?? null,
            s.source,
          );
        await rawTx(sampleText, values);
      },
    );

    // Blocks: BATCH new blocks per transaction (a poll commits its blocks in one).
    const BATCH = 5_000;
    const counters = { store: 0, raw: 0 };
    const blocks = (who: keyof typeof counters): BlockRecord[] =>
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
    const blockText = `insert into blocks (chain_id, number, hash, parent_hash, timestamp, tx_count, seen_at, canonical) values ${Array.from(
      { length: BATCH },
      (_, i) => `(${Array.from({ length: 8 }, (_, k) => `$${i * 8 + k + 1}`).join(', ')})`,
    ).join(', ')}`;
    await interleave(
      log,
      `blocks, ${BATCH} per transaction`,
      BATCH,
      async () => {
        const rows = blocks('store');
        await store.transaction((q) => q.blocks.insertBlocks(rows));
      },
      async () => {
        const values: unknown[] = [];
        for (const r of blocks('raw'))
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
        await rawTx(blockText, values);
      },
    );
    await store.close();
  } finally {
    for (const p of pools) await p.end();
    await server.stop();
  }
}

/** Runs `viaStore` and `viaRaw` alternately (after a warm-up) and logs rows/s and the ratio. */
async function interleave(
  log: (line: string) => void,
  what: string,
  rows: number,
  viaStore: () => Promise<void>,
  viaRaw: () => Promise<void>,
): Promise<void> {
  const time = async (f: () => Promise<void>) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  for (let i = 0; i < 3; i++) await viaStore().then(viaRaw);
  const s: number[] = [];
  const r: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < 30; i++) {
    const [a, b] =
      i % 2 === 0
        ? [await time(viaStore), await time(viaRaw)]
        : [await time(viaRaw), await time(viaStore)].reverse();
    s.push(a as number);
    r.push(b as number);
    ratios.push((b as number) / (a as number));
  }
  const rate = (ms: number) => fmt((rows / ms) * 1000);
  log(
    `ingest ${what}: store ${rate(median(s))} rows/s (median ${median(s).toFixed(1)} ms), raw pg ${rate(median(r))} rows/s (median ${median(r).toFixed(1)} ms); store / raw floor, median of 30 interleaved pairs: ${median(ratios).toFixed(2)}× (target ≥ 0.8×); ${load()}`,
  );
}

/** Part 2: `/v1/chains` on PostgreSQL vs SQLite, the same devnet chains, the same run. */
export async function benchChains(
  log: (line: string) => void,
  p: { chains: number; rate: number; seconds: number; runs: number } = {
    chains: 15,
    rate: 1000,
    seconds: 10,
    runs: 3,
  },
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-bench-cluster-'));
  const server = await startPostgres();
  const specs: DevnetChainSpec[] = Array.from({ length: p.chains }, (_, i) => ({
    name: `bc-${i}`,
    chainId: 3100 + i,
    blockTime: i % 3 === 0 ? 'tx-driven' : i % 3 === 1 ? 1 : 2,
    rpcCount: 2,
  }));
  const devnet = await startDevnet(specs);
  const procs: WatcherProcess[] = [];
  try {
    const cli = await bundleWatcher();
    const url = await server.createDatabase('bench_chains');
    const chains = devnet.chains.map((c) =>
      devnetChainEntry(c, { pollIntervalMs: 1000, graceSeconds: 30 }),
    );
    const write = (name: string, database: object) => {
      const path = join(dir, `${name}.yaml`);
      writeFileSync(
        path,
        stringify({ server: { port: 0 }, database, log: { level: 'warn' }, chains }),
      );
      return path;
    };
    const sqlite = await spawnClusterWatcher(
      cli,
      'sqlite',
      write('sqlite', { path: join(dir, 'w.db') }),
      {},
    );
    procs.push(sqlite as WatcherProcess);
    const postgres = await spawnClusterWatcher(cli, 'postgres', write('postgres', { url }), {});
    procs.push(postgres as WatcherProcess);
    for (const w of [sqlite, postgres])
      await waitFor(
        `${w.id}: all ${p.chains} chains up`,
        async () => {
          const cs = await w.chains();
          return cs.length === p.chains && cs.every((c) => c.status === 'up');
        },
        120_000,
        500,
      );
    const results: Record<string, LoadResult[]> = { sqlite: [], postgres: [] };
    for (const w of [sqlite, postgres]) await runLoad(`${w.url}/v1/chains`, p.rate, 2); // warm-up
    for (let i = 0; i < p.runs; i++)
      for (const w of i % 2 === 0 ? [sqlite, postgres] : [postgres, sqlite]) {
        const r = await runLoad(`${w.url}/v1/chains`, p.rate, p.seconds);
        results[w.id]!.push(r);
        log(
          `  ${w.id} run ${i + 1}: ${r.ok} ok, ${r.errors} errors${r.errors > 0 ? ` ${JSON.stringify((r as LoadResult & { errorKinds?: unknown }).errorKinds)}` : ''}, ${r.achievedRps.toFixed(0)} req/s; p50 ${r.p50.toFixed(2)}, p99 ${r.p99.toFixed(2)}, max ${r.max.toFixed(2)} ms; client loop delay p99 ${r.clientLoopDelayP99.toFixed(1)} ms; ${load()}`,
        );
      }
    for (const id of ['sqlite', 'postgres'])
      log(
        `GET /v1/chains, ${p.chains} chains polled, ${p.rate} req/s × ${p.seconds} s, ${id}: medians of ${p.runs} runs p50 ${median(results[id]!.map((r) => r.p50)).toFixed(2)} ms, p99 ${median(results[id]!.map((r) => r.p99)).toFixed(2)} ms`,
      );
  } finally {
    for (const w of procs) await w.stop();
    await devnet.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Part 3: SIGKILL of the lease holder → the next alert delivered, `trials` times per lease. */
export async function benchFailover(
  log: (line: string) => void,
  leases: readonly number[] = [5, 5, 5, 15],
  killAfter: 'sink' | 'recorded' = 'sink',
): Promise<void> {
  const CHAIN_ID = 3201;
  const devnet = await startDevnet([
    { name: 'fo-op', chainId: CHAIN_ID, blockTime: 1, rpcCount: 2, uptimeFeed: false },
  ]);
  const chain = devnet.chains[0]!;
  const h = await startClusterHarness('bench_failover');
  const delivered = () =>
    h.sink.hits
      .filter((x) => x.status >= 200 && x.status < 300)
      .map((x) => x.body as { transition: string; incidentId: string; subject: string });
  try {
    let n = 0;
    for (const leaseSeconds of leases) {
      n++;
      const o = { mode: 'redundant', leaseSeconds, chains: [chain] } as const;
      const holder = await h.startWatcher({ id: `fo-a${n}`, ...o });
      await waitFor(
        'holder has the leases',
        async () =>
          (await h.leaseHolder('alerts')) === holder.id &&
          (await h.leaseHolder('incidents')) === holder.id,
        60_000,
        100,
      );
      const other = await h.startWatcher({ id: `fo-b${n}`, ...o });
      await waitFor(
        'both up',
        async () =>
          chainOf(await other.chains(), CHAIN_ID)?.status === 'up' &&
          chainOf(await holder.chains(), CHAIN_ID)?.status === 'up',
        60_000,
        200,
      );
      const before = delivered().length;
      await chain.halt();
      await waitFor(
        'open delivered',
        () =>
          delivered()
            .slice(before)
            .some((x) => x.transition === 'open'),
        30_000,
        20,
      );
      if (killAfter === 'recorded')
        await waitFor(
          'open recorded delivered',
          async () =>
            (
              await h.pool.query(
                `select 1 from alert_outbox where transition = 'open' and state = 'delivered' and id = (select max(id) from alert_outbox where transition = 'open')`,
              )
            ).rowCount === 1,
          30_000,
          10,
        );
      const killedAt = performance.now();
      await holder.kill();
      const afterKill = delivered().length;
      const takeover = waitFor(
        'the other watcher to hold the incidents and alerts leases',
        async () =>
          (await h.leaseHolder('incidents')) === other.id &&
          (await h.leaseHolder('alerts')) === other.id &&
          performance.now() - killedAt,
        120_000,
        20,
      );
      await waitFor('next alert after the kill', () => delivered().length > afterKill, 120_000, 20);
      const ms = performance.now() - killedAt;
      const takeoverMs = await takeover;
      const next = delivered()[afterKill]!;
      // A copy of an alert the sink already had: the row the killed holder was sending (in flight).
      const resent = delivered()
        .slice(0, afterKill)
        .some((x) => x.incidentId === next.incidentId && x.transition === next.transition);
      log(
        `failover, leaseSeconds ${leaseSeconds}: SIGKILL of the holder → next alert (${next.transition}) delivered in ${(ms / 1000).toFixed(2)} s (kill after ${killAfter}${resent ? '; a re-send of the alert in flight at the kill' : ''}), both leases taken over after ${(takeoverMs / 1000).toFixed(2)} s (target ≤ lease + one poll = ${leaseSeconds} s + 0.25 s chain poll / 0.1 s outbox poll); ${load()}`,
      );
      await chain.resume();
      await waitFor(
        'resolve delivered',
        () =>
          delivered()
            .slice(afterKill)
            .some((x) => x.transition === 'resolve'),
        60_000,
        50,
      );
      await other.stop();
    }
  } finally {
    await h.stop();
    await devnet.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals: parts } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    allowPositionals: true,
    options: {
      chains: { type: 'string', default: '15' },
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '10' },
      runs: { type: 'string', default: '3' },
      leases: { type: 'string', default: '5,5,5,15' },
      'kill-after': { type: 'string', default: 'sink' },
    },
  });
  const all = parts.length === 0;
  const log = (line: string) => console.log(line);
  if (all || parts.includes('ingest')) await benchIngest(log);
  if (all || parts.includes('chains'))
    await benchChains(log, {
      chains: Number(values.chains),
      rate: Number(values.rate),
      seconds: Number(values.seconds),
      runs: Number(values.runs),
    });
  const killAfter = values['kill-after'];
  if (killAfter !== 'sink' && killAfter !== 'recorded')
    throw new Error(`--kill-after must be sink or recorded, got ${killAfter}`);
  if (all || parts.includes('failover'))
    await benchFailover(log, values.leases.split(',').map(Number), killAfter);
  process.exit(0);
}
