/**
 * Benchmark (issue 15, not a test): how the HIP-3 subject's cost grows with the market count. For
 * each size it starts the replay server with that many markets (spread over 8 synthetic dexes), the watcher bundle
 * (`perpscope-watcher run`, HIP-3 only) in its own process with an event-loop delay monitor
 * (`loopDelayMonitor.mjs`), and a bare Hono app on `@hono/node-server` serving a cached body of the
 * same size as the watcher's answer (`bareHonoServer.ts`). Once every market has a status it
 * measures, per run: the watcher's event-loop delay p99 and CPU over 10 s of ingestion without
 * HTTP load, then `GET /v1/risk-summary` (50 coins) at 1,000 req/s for 10 s against the watcher and
 * then against the bare server (same run, so the ratio cancels the shared machine's load). Prints
 * every run and the medians; the last line is JSON.
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/benchHip3Scale.ts [markets …]
 * (default 300 1000 3000; `BENCH_RUNS` default 3; `BENCH_BUNDLE` runs another built bundle, e.g. a
 * copy of `dist/cli.mjs` built from an older commit, for before/after tables).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHyperliquidReplay } from '@perpscope/devnet';
import { stringify } from 'yaml';
import { BUNDLE, ensureBundle } from '../bin/bundle.mjs';
import {
  cpuTicks,
  median,
  runLoad as runLoadClient,
  type SpawnWithOptions,
  sleep,
  spawnWith as spawnChild,
  stopProcess,
  WATCHER_LISTENING,
} from './benchSupport.js';

const RATE = 1000;
const LOAD_SECONDS = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// The replay serves only dexes of its recorded perpDexs; the non-xyz ones are padded to size.
const DEXES = ['flx', 'vntl', 'hyna', 'km', 'abcd', 'cash', 'para', 'mkts'];
const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(300, 1000, 3000);
if (sizes.some((n) => !Number.isInteger(n) || n < DEXES.length || n > 10_000)) {
  throw new Error(`market counts must be integers in [${DEXES.length}, 10000]: ${sizes.join(' ')}`);
}
if (process.env.BENCH_BUNDLE === undefined) console.log(await ensureBundle());
const bundle = process.env.BENCH_BUNDLE ?? BUNDLE;
const monitor = fileURLToPath(new URL('./loopDelayMonitor.mjs', import.meta.url));
const bare = fileURLToPath(new URL('./bareHonoServer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-scale-'));
/** Children run with glibc's arenas capped, as on a small box (RSS comparable across runs). */
const spawnWith = (args: string[], pattern: RegExp, lines?: SpawnWithOptions['lines']) =>
  spawnChild(args, pattern, { env: { MALLOC_ARENA_MAX: '2' }, ...(lines ? { lines } : {}) });
const runLoad = (target: string) => runLoadClient(target, RATE, LOAD_SECONDS);

type SizeResult = {
  markets: number;
  loopP99Ms: number;
  loopP999Ms: number;
  loopMaxMs: number;
  cpuPercent: number;
  watcherP99Ms: number;
  bareP99Ms: number;
  ratio: number;
};

async function benchSize(markets: number): Promise<SizeResult> {
  const perDex = Math.ceil(markets / DEXES.length);
  const hl = await startHyperliquidReplay({ dexes: DEXES, marketsPerDex: perDex });
  const configPath = join(dir, `config-${markets}.yaml`);
  writeFileSync(
    configPath,
    stringify({
      server: { port: 0 },
      database: { path: join(dir, `bench-${markets}.db`) },
      log: { level: 'warn' },
      chains: [],
      hip3: { enabled: true, apiUrl: hl.url, wsUrl: hl.wsUrl, explorerUrl: hl.url },
    }),
  );
  const delays: { p99: number; p999: number; max: number }[] = [];
  let onDelay: (() => void) | null = null;
  const watcher = spawnWith(
    [
      '--max-semi-space-size=4',
      '--heap-growing-percent=50',
      '--import',
      monitor,
      bundle,
      'run',
      '--config',
      configPath,
    ],
    WATCHER_LISTENING,
    (line) => {
      if (!line.startsWith('LOOP_DELAY ')) return;
      delays.push(JSON.parse(line.slice('LOOP_DELAY '.length)) as (typeof delays)[number]);
      onDelay?.();
    },
  );
  const bareServer = spawnWith(['--import', 'tsx', bare], /^BARE (http:\S+)/);
  try {
    const url = await watcher.url;
    const expected = DEXES.length * perDex;
    let coins: string[] = [];
    for (let i = 0; ; i++) {
      const ms = (
        (await (await fetch(`${url}/v1/hip3/markets`)).json()) as {
          markets: { coin: string; status: string }[];
        }
      ).markets;
      if (ms.length >= expected && ms.every((m) => m.status !== 'unknown')) {
        coins = ms.slice(0, 50).map((m) => m.coin);
        break;
      }
      if (i > 600) throw new Error(`${ms.length}/${expected} markets evaluated after 5 min`);
      await sleep(500);
    }
    const query = `/v1/risk-summary?coins=${encodeURIComponent(coins.join(','))}`;
    const body = await (await fetch(`${url}${query}`)).text();
    writeFileSync(join(dir, 'body.json'), body);
    const bareUrl = await bareServer.url;
    await fetch(`${bareUrl}/load?file=${encodeURIComponent(join(dir, 'body.json'))}`);
    const pid = watcher.proc.pid as number;
    const sample = () =>
      new Promise<void>((resolve) => {
        onDelay = resolve;
        watcher.proc.kill('SIGUSR2');
      });
    const runs: SizeResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      await sample(); // resets the histogram
      const c0 = cpuTicks(pid);
      const t0 = Date.now();
      await sleep(10_000);
      await sample();
      const cpuPercent = ((cpuTicks(pid) - c0) / 100 / ((Date.now() - t0) / 1000)) * 100;
      const d = delays.at(-1) as (typeof delays)[number];
      const loopP99Ms = d.p99;
      const w = await runLoad(`${url}${query}`);
      const b = await runLoad(`${bareUrl}/body`);
      const r = {
        markets: expected,
        loopP99Ms,
        loopP999Ms: d.p999,
        loopMaxMs: d.max,
        cpuPercent,
        watcherP99Ms: w.p99,
        bareP99Ms: b.p99,
        ratio: w.p99 / b.p99,
      };
      runs.push(r);
      console.log(
        `${expected} markets, run ${run}: loop delay p99 ${loopP99Ms.toFixed(1)} / p99.9 ${d.p999.toFixed(1)} / max ${d.max.toFixed(1)} ms, CPU ${cpuPercent.toFixed(1)} %; risk-summary p99 ${w.p99.toFixed(2)} ms (${w.errors} errors, ${w.achievedRps.toFixed(0)} req/s), bare Hono p99 ${b.p99.toFixed(2)} ms → ×${r.ratio.toFixed(2)}`,
      );
    }
    return {
      markets: expected,
      loopP99Ms: median(runs.map((r) => r.loopP99Ms)),
      loopP999Ms: median(runs.map((r) => r.loopP999Ms)),
      loopMaxMs: median(runs.map((r) => r.loopMaxMs)),
      cpuPercent: median(runs.map((r) => r.cpuPercent)),
      watcherP99Ms: median(runs.map((r) => r.watcherP99Ms)),
      bareP99Ms: median(runs.map((r) => r.bareP99Ms)),
      ratio: median(runs.map((r) => r.ratio)),
    };
  } finally {
    await stopProcess(watcher.proc);
    await stopProcess(bareServer.proc);
    await hl.stop();
  }
}

const results: SizeResult[] = [];
for (const n of sizes) {
  const r = await benchSize(n);
  results.push(r);
  console.log(
    `median of ${RUNS}: ${r.markets} markets: loop delay p99 ${r.loopP99Ms.toFixed(1)} / p99.9 ${r.loopP999Ms.toFixed(1)} / max ${r.loopMaxMs.toFixed(1)} ms, CPU ${r.cpuPercent.toFixed(1)} %, risk-summary p99 ${r.watcherP99Ms.toFixed(2)} ms vs bare ${r.bareP99Ms.toFixed(2)} ms, ratio ×${r.ratio.toFixed(2)}`,
  );
}
console.log(JSON.stringify({ bundle, results }));
