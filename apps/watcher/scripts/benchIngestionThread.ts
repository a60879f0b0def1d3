/**
 * Benchmark (issue 15, not a test): HTTP latency of the watcher while it ingests, as a ratio to a
 * bare Hono app on `@hono/node-server` serving a cached body of the same size, both measured in
 * the same run, for each ingestion thread (`ingestion.thread: worker` — the default — and `main`):
 *
 * - `chains`: 15 devnet chains polled every second; `GET /v1/chains` at 1,000 req/s.
 * - `hip3-<n>`: the HL replay with n HIP-3 markets (8 dexes); `GET /v1/risk-summary` (50 coins) at
 *   1,000 req/s.
 *
 * Per scenario and thread it starts the watcher bundle (`perpscope-watcher run`) in its own process,
 * waits until every chain is up / every market has a status, saves the answer for the bare server,
 * then runs `BENCH_RUNS` rounds of 10 s load against the watcher followed by 10 s against the bare
 * server (open loop, `loadClient.ts`, latency from each request's scheduled start). Each round gives
 * one ratio of p99s; the medians of the rounds are printed with the watcher's RSS (median over the
 * rounds) and CPU, the HTTP thread's event-loop delay over 10 s of ingestion without HTTP load
 * (`loopDelayMonitor.mjs`, main thread only), then the machine's load average. On a shared machine the absolute numbers are
 * noise; only the ratios measured back to back mean something, and even those scatter.
 *
 * Load-independent measures beside them (`loopDelayMonitor.mjs`, from inside the process): per
 * thread CPU ms per s, event-loop utilisation, GC pauses and heap (used / resident MB, V8 malloc,
 * external) — over 10 s of ingestion without HTTP load (the 1 ms loop-delay histogram paused, as it
 * costs ~2.5 % of a core; the process's CPU and RSS are taken over the same window) and over the load — the messages per second the main
 * thread receives from workers, and the bare server's CPU under the same load.
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/benchIngestionThread.ts [scenario …]
 * (default `chains hip3-307 hip3-3000`; `BENCH_RUNS` default 3; `BENCH_THREADS` default
 * `worker,main`; `BENCH_BUNDLE=<dir>/cli.mjs` runs another build, e.g. an older commit's, with its
 * `ingestionWorker.mjs` beside it; `BENCH_NODE_FLAGS` adds node flags to the watcher, e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof`; `BENCH_EXPLORER_HISTORY` the explorer history the replay
 * starts with, default 300 txs per writer; `BENCH_WARMUP_S` seconds of ingestion before the
 * rounds, default 0; `BENCH_EXPLORER_INTERVAL_S` the watcher's explorer poll interval). The last
 * line is JSON.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevnet, startHyperliquidReplay } from '@perpscope/devnet';
import { stringify } from 'yaml';
import { BUNDLE, ensureBundle } from '../bin/bundle.mjs';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';

const RATE = 1000;
/**
 * `setOracle` txs each oracle writer's explorer history holds at the start: by default the
 * explorer's full 300, so every poll repeats the whole window from the first (what a watcher meets
 * at steady state, and at once after a restart on live HL); `BENCH_EXPLORER_HISTORY=0` starts it
 * empty (the replay then fills it in 15 minutes, past the end of the rounds).
 */
const EXPLORER_HISTORY = Number(process.env.BENCH_EXPLORER_HISTORY ?? 300);
/** `hip3.explorer.intervalSeconds` of the watcher (`BENCH_EXPLORER_INTERVAL_S`; default: the config's). */
const EXPLORER_INTERVAL_S =
  process.env.BENCH_EXPLORER_INTERVAL_S === undefined
    ? null
    : Number(process.env.BENCH_EXPLORER_INTERVAL_S);
const LOAD_SECONDS = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/**
 * Seconds of ingestion between the watcher being ready and the first round (default 0). What
 * fills with uptime shows only after it: each market keeps its last 256 oracle intervals (~13
 * minutes at HL's ~3 s cadence), SQLite's per-market index pages fill; `BENCH_WARMUP_S=900`
 * measures the steady state.
 */
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 0);
const THREADS = (process.env.BENCH_THREADS ?? 'worker,main').split(',') as ('worker' | 'main')[];
const CHAINS = 15;
const DEXES = ['flx', 'vntl', 'hyna', 'km', 'abcd', 'cash', 'para', 'mkts'];
const scenarios = process.argv.slice(2);
if (scenarios.length === 0) scenarios.push('chains', 'hip3-307', 'hip3-3000');
for (const s of scenarios)
  if (s !== 'chains' && !/^hip3-\d+$/.test(s))
    throw new Error(`unknown scenario ${s} (chains | hip3-<markets>)`);

// BENCH_BUNDLE: run another build of the CLI (e.g. one of an older commit, for a before/after in
// the same conditions); its ingestionWorker.mjs must sit beside it.
const sourceBundle = process.env.BENCH_BUNDLE ?? BUNDLE;
if (process.env.BENCH_BUNDLE === undefined) console.log(await ensureBundle());
// Run a copy: an edit to any source during the run (another engineer's commit) makes the bundle
// stale, and the bin would refuse it half-way. The copy sits under dist/ so that its external
// packages (better-sqlite3) resolve from this package as the bundle's own do.
const copyDir = join(dirname(sourceBundle), `bench-${process.pid}`);
mkdirSync(copyDir, { recursive: true });
for (const f of ['cli.mjs', 'ingestionWorker.mjs'])
  copyFileSync(join(dirname(sourceBundle), f), join(copyDir, f));
const bundle = join(copyDir, 'cli.mjs');
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(copyDir, { recursive: true, force: true });
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
const bare = fileURLToPath(new URL('./bareHonoServer.ts', import.meta.url));
const loadClient = fileURLToPath(new URL('./loadClient.ts', import.meta.url));
const monitor = fileURLToPath(new URL('./loopDelayMonitor.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'perpscope-ingestion-thread-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};
const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
function cpuTicks(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] as string).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}
const stopProcess = (p: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGTERM');
  });

/** Spawns `node … args`, resolves the first stdout match of `pattern`; `lines` sees every line. */
function spawnWith(args: string[], pattern: RegExp, lines?: (line: string) => void) {
  const proc = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
  });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  const url = new Promise<string>((resolve, reject) => {
    let buf = '';
    proc.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        lines?.(line);
        const m = pattern.exec(line);
        if (m?.[1]) resolve(m[1]);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${args.at(-1)} exited ${code}`)));
  });
  return { proc, url };
}

type Load = {
  p50: number;
  p99: number;
  errors: number;
  errorKinds?: Record<string, number>;
  achievedRps: number;
};
async function runLoad(target: string): Promise<Load> {
  const client = spawn(
    process.execPath,
    ['--import', 'tsx', loadClient, target, String(RATE), String(LOAD_SECONDS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  client.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise((r) => client.once('exit', r));
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Load;
}

type Result = {
  scenario: string;
  thread: string;
  watcherP99Ms: number;
  bareP99Ms: number;
  ratio: number;
  ratios: number[];
  rssMb: number;
  cpuPercent: number;
  /** The bare server's CPU (% of a core) under the same load. */
  bareCpuPercent: number;
  errors: number;
  /** The HTTP (main) thread's event-loop delay over 10 s of ingestion without HTTP load. */
  loopP99Ms: number;
  loopMaxMs: number;
  /** Ingestion without HTTP load: the process's CPU (% of a core) and RSS. */
  idleCpuPercent: number;
  idleRssMb: number;
  /** The main (HTTP) thread: CPU ms per s, event-loop utilisation, GC ms per s — idle / under load. */
  mainIdle: { cpuMsPerS: number; elu: number; gcMsPerS: number };
  mainLoad: { cpuMsPerS: number; elu: number; gcMsPerS: number; gcMaxMs: number };
  /** The ingestion worker thread's CPU ms per s without HTTP load (0 with `main`). */
  workerIdleCpuMsPerS: number;
  /** Messages per second the main thread received from workers without HTTP load. */
  messagesPerS: number;
};
/** One thread's measures since the previous sample (`loopDelayMonitor.mjs`). */
type ThreadStats = {
  seconds: number;
  cpuMsPerS: number;
  elu: number;
  gc: { count: number; totalMs: number; maxMs: number; totalMsPerS: number };
  heapUsedMb: number;
  /** What the isolate's heap holds in RAM; V8's own malloc; ArrayBuffers and other external memory. */
  heapPhysicalMb: number;
  mallocedMb: number;
  externalMb: number;
  messagesFromWorkers?: Record<string, { perS: number; itemsPerS: number }>;
};
type LoopDelay = {
  p99: number;
  p999: number;
  max: number;
  threads: Record<string, ThreadStats>;
};
/** `used / resident MB (+ V8 malloc, external)` of one thread's heap. */
const memoryOf = (t: ThreadStats | undefined) =>
  t === undefined
    ? '?'
    : `${t.heapUsedMb.toFixed(0)} / ${t.heapPhysicalMb.toFixed(0)} MB (+ ${t.mallocedMb.toFixed(1)} malloc, ${t.externalMb.toFixed(1)} external)`;
/** The busiest worker thread of a sample (the ingestion worker; the WAL checkpointer idles). */
const busiestWorker = (d: LoopDelay): ThreadStats | undefined =>
  Object.entries(d.threads)
    .filter(([k]) => k !== 'main')
    .map(([, v]) => v)
    .sort((a, b) => b.cpuMsPerS - a.cpuMsPerS)[0];

/** Starts the scenario's upstream, returns the watcher config part, the path to load and a stop. */
async function upstream(scenario: string): Promise<{
  config: Record<string, unknown>;
  ready: (url: string) => Promise<string | null>;
  stop: () => Promise<void>;
}> {
  if (scenario === 'chains') {
    const devnet = await startDevnet(
      Array.from({ length: CHAINS }, (_, i) => ({
        name: `bench-${i}`,
        chainId: 3000 + i,
        blockTime: i % 3 === 0 ? ('tx-driven' as const) : i % 3 === 1 ? 1 : 2,
        rpcCount: 2,
      })),
    );
    return {
      config: {
        chains: devnet.chains.map((c) =>
          devnetChainEntry(c, { pollIntervalMs: 1000, graceSeconds: 30 }),
        ),
      },
      ready: async (url) => {
        const { chains } = (await (await fetch(`${url}/v1/chains`)).json()) as {
          chains: { status: string }[];
        };
        return chains.length === CHAINS && chains.every((c) => c.status === 'up')
          ? '/v1/chains'
          : null;
      },
      stop: () => devnet.stop(),
    };
  }
  const markets = Number(scenario.slice('hip3-'.length));
  const perDex = Math.ceil(markets / DEXES.length);
  const hl = await startHyperliquidReplay({
    dexes: DEXES,
    marketsPerDex: perDex,
    explorerHistoryTxs: EXPLORER_HISTORY,
  });
  return {
    config: {
      chains: [],
      hip3: {
        enabled: true,
        apiUrl: hl.url,
        wsUrl: hl.wsUrl,
        explorerUrl: hl.url,
        ...(EXPLORER_INTERVAL_S === null
          ? {}
          : { explorer: { intervalSeconds: EXPLORER_INTERVAL_S } }),
      },
    },
    ready: async (url) => {
      const ms = (
        (await (await fetch(`${url}/v1/hip3/markets`)).json()) as {
          markets: { coin: string; status: string }[];
        }
      ).markets;
      if (ms.length < DEXES.length * perDex || ms.some((m) => m.status === 'unknown')) return null;
      const coins = ms.slice(0, 50).map((m) => m.coin);
      return `/v1/risk-summary?coins=${encodeURIComponent(coins.join(','))}`;
    },
    stop: () => hl.stop(),
  };
}

async function bench(scenario: string, thread: 'worker' | 'main'): Promise<Result> {
  const up = await upstream(scenario);
  const configPath = join(dir, `config-${scenario}-${thread}.yaml`);
  writeFileSync(
    configPath,
    stringify({
      server: { port: 0 },
      database: { path: join(dir, `${scenario}-${thread}.db`) },
      log: { level: 'warn' },
      ingestion: { thread },
      ...up.config,
    }),
  );
  let onDelay: ((d: LoopDelay) => void) | null = null;
  const watcher = spawnWith(
    [
      '--max-semi-space-size=4',
      '--heap-growing-percent=50',
      ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      '--import',
      monitor,
      bundle,
      'run',
      '--config',
      configPath,
    ],
    /listening on (http:\/\/[^/\s]+)\//,
    (line) => {
      if (line.startsWith('LOOP_DELAY '))
        onDelay?.(JSON.parse(line.slice('LOOP_DELAY '.length)) as LoopDelay);
    },
  );
  /** The main thread's event-loop delay since the previous sample (`loopDelayMonitor.mjs`). */
  const sampleDelay = () =>
    new Promise<LoopDelay>((resolve) => {
      onDelay = resolve;
      watcher.proc.kill('SIGUSR2');
    });
  const bareServer = spawnWith(['--import', 'tsx', bare], /^BARE (http:\S+)/);
  try {
    const url = await watcher.url;
    let path: string | null = null;
    for (let i = 0; path === null; i++) {
      if (i > 600) throw new Error(`${scenario} not ready after 5 min`);
      await sleep(500);
      path = await up.ready(url);
    }
    if (WARMUP_S > 0) {
      console.log(`${scenario}: ingesting ${WARMUP_S} s before the rounds (BENCH_WARMUP_S)`);
      await sleep(WARMUP_S * 1000);
    }
    const body = await (await fetch(`${url}${path}`)).text();
    writeFileSync(join(dir, 'body.json'), body);
    const bareUrl = await bareServer.url;
    await fetch(`${bareUrl}/load?file=${encodeURIComponent(join(dir, 'body.json'))}`);
    await runLoad(`${url}${path}`); // warm-up (JIT) of both
    await runLoad(`${bareUrl}/body`);
    const pid = watcher.proc.pid as number;
    const rounds: {
      w: Load;
      b: Load;
      rss: number;
      cpu: number;
      bareCpu: number;
      delay: LoopDelay;
      loaded: LoopDelay;
      idleCpu: number;
      idleRss: number;
    }[] = [];
    const delays: LoopDelay[] = [];
    for (let run = 1; run <= RUNS; run++) {
      // The HTTP thread's event-loop delay over 10 s of ingestion with no HTTP load.
      await sampleDelay();
      await sleep(10_000);
      const delay = await sampleDelay();
      // The process's CPU and RSS over 10 s of ingestion without HTTP load and without the 1 ms
      // loop-delay histogram (its wake-ups cost ~2.5 % of a core); thread measures over the same.
      watcher.proc.kill('SIGWINCH');
      const i0 = cpuTicks(pid);
      const ti0 = Date.now();
      await sleep(10_000);
      const quiet = await sampleDelay();
      delays.push(delay);
      const idleCpu = ((cpuTicks(pid) - i0) / 100 / ((Date.now() - ti0) / 1000)) * 100;
      const idleRss = rssMb(pid);
      const c0 = cpuTicks(pid);
      const t0 = Date.now();
      const w = await runLoad(`${url}${path}`);
      const cpu = ((cpuTicks(pid) - c0) / 100 / ((Date.now() - t0) / 1000)) * 100;
      const rss = rssMb(pid);
      const loaded = await sampleDelay();
      const bc0 = cpuTicks(bareServer.proc.pid as number);
      const bt0 = Date.now();
      const b = await runLoad(`${bareUrl}/body`);
      const bareCpu =
        ((cpuTicks(bareServer.proc.pid as number) - bc0) / 100 / ((Date.now() - bt0) / 1000)) * 100;
      rounds.push({ w, b, rss, cpu, bareCpu, delay: quiet, loaded, idleCpu, idleRss });
      const m = quiet.threads.main;
      const ml = loaded.threads.main;
      const wk = busiestWorker(quiet);
      const wl = busiestWorker(loaded);
      const msgs = Object.entries(m?.messagesFromWorkers ?? {})
        .map(
          ([k, v]) =>
            `${k} ${v.perS.toFixed(1)}/s${v.itemsPerS ? ` (${v.itemsPerS.toFixed(0)} items/s)` : ''}`,
        )
        .join(', ');
      console.log(
        `${scenario} (${thread}), run ${run}: HTTP thread's loop delay without load p99 ${delay.p99.toFixed(1)} / max ${delay.max.toFixed(1)} ms; watcher p99 ${w.p99.toFixed(2)} ms (${w.errors} errors${w.errors > 0 ? ` ${JSON.stringify(w.errorKinds)}` : ''}, ${w.achievedRps.toFixed(0)} req/s, CPU under load ${cpu.toFixed(0)} %, RSS ${rss.toFixed(0)} MB), bare Hono p99 ${b.p99.toFixed(2)} ms (${body.length} bytes, CPU ${bareCpu.toFixed(0)} %) → ×${(w.p99 / b.p99).toFixed(2)}; load average ${loadavg()[0]?.toFixed(1)}`,
      );
      console.log(
        `  idle: CPU ${idleCpu.toFixed(1)} %, RSS ${idleRss.toFixed(0)} MB; main thread CPU ${m?.cpuMsPerS.toFixed(1)} ms/s, ELU ${m?.elu.toFixed(3)}, GC ${m?.gc.totalMsPerS.toFixed(2)} ms/s (${m?.gc.count}, max ${m?.gc.maxMs.toFixed(1)} ms), heap ${memoryOf(m)}; worker CPU ${wk?.cpuMsPerS.toFixed(1)} ms/s, GC ${wk?.gc.totalMsPerS.toFixed(2)} ms/s, heap ${memoryOf(wk)}; messages ${msgs}`,
      );
      console.log(
        `  load: main thread CPU ${ml?.cpuMsPerS.toFixed(1)} ms/s, ELU ${ml?.elu.toFixed(3)}, GC ${ml?.gc.totalMsPerS.toFixed(2)} ms/s (${ml?.gc.count}, max ${ml?.gc.maxMs.toFixed(1)} ms), heap ${memoryOf(ml)}; worker heap ${memoryOf(wl)}`,
      );
    }
    const ratios = rounds.map((r) => r.w.p99 / r.b.p99);
    return {
      scenario,
      thread,
      watcherP99Ms: median(rounds.map((r) => r.w.p99)),
      bareP99Ms: median(rounds.map((r) => r.b.p99)),
      ratio: median(ratios),
      ratios,
      rssMb: median(rounds.map((r) => r.rss)),
      cpuPercent: median(rounds.map((r) => r.cpu)),
      bareCpuPercent: median(rounds.map((r) => r.bareCpu)),
      errors: rounds.reduce((a, r) => a + r.w.errors, 0),
      loopP99Ms: median(delays.map((d) => d.p99)),
      loopMaxMs: median(delays.map((d) => d.max)),
      idleCpuPercent: median(rounds.map((r) => r.idleCpu)),
      idleRssMb: median(rounds.map((r) => r.idleRss)),
      mainIdle: {
        cpuMsPerS: median(rounds.map((r) => r.delay.threads.main?.cpuMsPerS ?? 0)),
        elu: median(rounds.map((r) => r.delay.threads.main?.elu ?? 0)),
        gcMsPerS: median(rounds.map((r) => r.delay.threads.main?.gc.totalMsPerS ?? 0)),
      },
      mainLoad: {
        cpuMsPerS: median(rounds.map((r) => r.loaded.threads.main?.cpuMsPerS ?? 0)),
        elu: median(rounds.map((r) => r.loaded.threads.main?.elu ?? 0)),
        gcMsPerS: median(rounds.map((r) => r.loaded.threads.main?.gc.totalMsPerS ?? 0)),
        gcMaxMs: median(rounds.map((r) => r.loaded.threads.main?.gc.maxMs ?? 0)),
      },
      workerIdleCpuMsPerS: median(rounds.map((r) => busiestWorker(r.delay)?.cpuMsPerS ?? 0)),
      messagesPerS: median(
        rounds.map((r) =>
          Object.values(r.delay.threads.main?.messagesFromWorkers ?? {}).reduce(
            (a, v) => a + v.perS,
            0,
          ),
        ),
      ),
    };
  } finally {
    await stopProcess(watcher.proc);
    await stopProcess(bareServer.proc);
    await up.stop();
  }
}

const results: Result[] = [];
for (const scenario of scenarios)
  for (const thread of THREADS) {
    const r = await bench(scenario, thread);
    results.push(r);
    console.log(
      `median of ${RUNS}: ${scenario} (${thread}): watcher p99 ${r.watcherP99Ms.toFixed(2)} ms vs bare ${r.bareP99Ms.toFixed(2)} ms → ×${r.ratio.toFixed(2)} (rounds ${r.ratios.map((x) => x.toFixed(2)).join(', ')}); HTTP thread's loop delay without load p99 ${r.loopP99Ms.toFixed(1)} / max ${r.loopMaxMs.toFixed(1)} ms; RSS ${r.rssMb.toFixed(0)} MB, CPU under load ${r.cpuPercent.toFixed(0)} % (bare ${r.bareCpuPercent.toFixed(0)} %); without HTTP load CPU ${r.idleCpuPercent.toFixed(1)} %, RSS ${r.idleRssMb.toFixed(0)} MB; main thread idle ${r.mainIdle.cpuMsPerS.toFixed(1)} ms/s ELU ${r.mainIdle.elu.toFixed(3)} GC ${r.mainIdle.gcMsPerS.toFixed(2)} ms/s, under load ${r.mainLoad.cpuMsPerS.toFixed(0)} ms/s ELU ${r.mainLoad.elu.toFixed(3)} GC ${r.mainLoad.gcMsPerS.toFixed(1)} ms/s (max ${r.mainLoad.gcMaxMs.toFixed(1)} ms); worker ${r.workerIdleCpuMsPerS.toFixed(1)} ms/s; ${r.messagesPerS.toFixed(1)} messages/s`,
    );
  }
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (shared: absolute numbers are noise, compare the ratios)`,
);
console.log(JSON.stringify({ bundle: sourceBundle, results }));
process.exit(0);
