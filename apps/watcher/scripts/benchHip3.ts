/**
 * Benchmark (SPEC §6 / issue 5, not a test): the real `perpscope-watcher run` process watching ~300
 * HIP-3 markets across 9 dexes on the local Hyperliquid replay server (ctx frames at a 1 s
 * cadence, setOracle every 3 s, 10 books polled, explorer polled). Reports the watcher's CPU share
 * of one core (median of 5 s windows over 30 s of steady state) and `GET /v1/risk-summary` for 50
 * coins at 1,000 req/s for 10 s on loopback (p50/p90/p99; latency measured from each request's
 * scheduled start, so queueing counts): 3 runs while ingesting, then 3 runs "API only" — the same
 * database served by a second watcher process with HIP-3 disabled, so the difference is what
 * ingestion costs the API. Prints each run and the medians of the 3 runs. The load client runs in
 * its own process. 127.0.0.1 only; bounded loops.
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/benchHip3.ts (`BENCH_NODE_FLAGS` passes
 * V8/Node flags to the watcher processes, e.g. `--cpu-prof` or `--import <monitor>`).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHyperliquidReplay } from '@perpscope/devnet';
import { parseCoin } from '@perpscope/hyperliquid';
import { stringify } from 'yaml';
import { ensureBundle } from '../bin/bundle.mjs';
import {
  cpuTicks,
  type LoadResult,
  quantile,
  runLoad as runLoadClient,
  sleep,
  spawnWith,
  stopProcess,
  WATCHER_LISTENING,
} from './benchSupport.js';

const DEXES = ['xyz', 'flx', 'vntl', 'hyna', 'km', 'abcd', 'cash', 'para', 'mkts'];
const RATE = 1000;
const LOAD_SECONDS = 10;
const RUNS = 3;

const bin = fileURLToPath(new URL('../bin/perpscope-watcher.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-bench-'));

const hl = await startHyperliquidReplay({ dexes: DEXES, marketsPerDex: 33 });
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  stringify({
    server: { port: 0 },
    database: { path: join(dir, 'bench.db') },
    log: { level: 'warn' },
    chains: [],
    hip3: {
      enabled: true,
      apiUrl: hl.url,
      wsUrl: hl.wsUrl,
      explorerUrl: hl.url,
      bookCoins: [
        'xyz:TSLA',
        'xyz:NVDA',
        'xyz:GOLD',
        'xyz:XYZ100',
        'flx:GOLD',
        'flx:OIL',
        'km:TSLA',
        'cash:TSLA',
        'hyna:BTC',
        'para:BTCD',
      ],
      explorer: { enabled: true, intervalSeconds: 60 },
    },
  }),
);
function startWatcherProcess(config: string) {
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  return spawnWith([...flags, bin, 'run', '--config', config], WATCHER_LISTENING, {
    env: { PERPSCOPE_WATCHER_ENTRY: 'bundle' },
  });
}
/** One run of the open-loop keep-alive client of benchWatcher.ts, in its own process. */
const runLoad = (target: string) => runLoadClient(target, RATE, LOAD_SECONDS);
const fmt = (l: LoadResult) =>
  `${l.ok} ok, ${l.errors} errors, ${l.achievedRps.toFixed(0)} req/s; p50 ${l.p50.toFixed(2)} ms, p90 ${l.p90.toFixed(2)} ms, p99 ${l.p99.toFixed(2)} ms, max ${l.max.toFixed(2)} ms; load client ${l.clientCpuPercent.toFixed(0)} % of one core, its loop delay p99 ${l.clientLoopDelayP99.toFixed(1)} / max ${l.clientLoopDelayMax.toFixed(1)} ms`;
const medians = (rs: LoadResult[]) =>
  (['p50', 'p90', 'p99', 'max'] as const)
    .map(
      (k) =>
        `${k} ${quantile(
          rs.map((r) => r[k]),
          0.5,
        ).toFixed(2)} ms`,
    )
    .join(', ');

// The bin falls back to tsx (+~100 MB RSS, slower) when any source changed since the bundle was
// built — e.g. another engineer's commit during the run: rebuild it before each start, and insist on it.
console.log(await ensureBundle());
const ingestingWatcher = startWatcherProcess(configPath);
let child: ChildProcess = ingestingWatcher.proc;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    child.kill('SIGTERM');
    process.exit(1);
  });
}
try {
  const url = await ingestingWatcher.url;
  let markets: { coin: string; status: string; isDelisted: boolean }[] = [];
  for (;;) {
    markets = (
      (await (await fetch(`${url}/v1/hip3/markets`)).json()) as { markets: typeof markets }
    ).markets;
    const live = markets.filter((m) => !m.isDelisted);
    if (live.length >= 290 && live.every((m) => m.status !== 'unknown')) break;
    await sleep(500);
  }
  const dexCount = new Set(markets.map((m) => parseCoin(m.coin).dex)).size;
  console.log(
    `watcher ${url} (pid ${child.pid}) evaluates ${markets.length} markets on ${dexCount} dexes; steady state 30 s…`,
  );
  const pid = child.pid!;
  const windows: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t0 = Date.now();
    const c0 = cpuTicks(pid);
    await sleep(5000);
    windows.push(((cpuTicks(pid) - c0) / 100 / ((Date.now() - t0) / 1000)) * 100);
  }
  console.log(
    `CPU of the watcher (% of one core, 5 s windows): median ${quantile(windows, 0.5).toFixed(1)} %, max ${Math.max(...windows).toFixed(1)} % [${windows.map((w) => w.toFixed(1)).join(', ')}]`,
  );

  const coins = markets.slice(0, 50).map((m) => m.coin);
  const query = `/v1/risk-summary?coins=${encodeURIComponent(coins.join(','))}`;
  const check = (await (await fetch(`${url}${query}`)).json()) as { markets: unknown[] };
  if (check.markets.length !== 50)
    throw new Error(`risk-summary returned ${check.markets.length} markets`);
  const ingesting: LoadResult[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const l = await runLoad(`${url}${query}`);
    ingesting.push(l);
    console.log(`while ingesting, run ${run}: ${fmt(l)}`);
  }

  // API only: the same database, served by a watcher that ingests nothing.
  await stopProcess(child);
  const apiOnlyConfig = join(dir, 'api-only.yaml');
  writeFileSync(
    apiOnlyConfig,
    stringify({
      server: { port: 0 },
      database: { path: join(dir, 'bench.db') },
      log: { level: 'warn' },
      chains: [],
      hip3: { enabled: false },
    }),
  );
  console.log(await ensureBundle());
  const apiOnlyWatcher = startWatcherProcess(apiOnlyConfig);
  child = apiOnlyWatcher.proc;
  const apiUrl = await apiOnlyWatcher.url;
  const again = (await (await fetch(`${apiUrl}${query}`)).json()) as { markets: unknown[] };
  if (again.markets.length !== 50) {
    throw new Error(`API-only risk-summary returned ${again.markets.length} markets`);
  }
  const apiOnly: LoadResult[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const l = await runLoad(`${apiUrl}${query}`);
    apiOnly.push(l);
    console.log(`API only, run ${run}: ${fmt(l)}`);
  }
  console.log(
    `GET /v1/risk-summary (50 coins) at ${RATE} req/s for ${LOAD_SECONDS} s, medians of ${RUNS} runs — while ingesting ${markets.length} markets: ${medians(ingesting)}; API only: ${medians(apiOnly)}`,
  );
} finally {
  await stopProcess(child);
  await hl.stop();
}
