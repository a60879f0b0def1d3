/**
 * Accelerated soak: 15 devnet chains (anvil) and ~300 HIP-3 markets (replay server, demo timeline
 * looping), incident scenarios injected continuously (halts, reorgs, RPC faults), the real watcher
 * CLI as a child process, and its RSS, CPU and database size sampled. Retention is compressed
 * (raw samples kept `--raw-minutes`, pruned every minute) so a bounded database is visible within
 * the run. Not part of the test command.
 *
 *   pnpm --filter @perpscope/watcher soak                      # 30 minutes, the bin as users run it
 *   pnpm --filter @perpscope/watcher soak -- --minutes 5 --out soak.json
 *   pnpm --filter @perpscope/watcher soak -- --tsx             # the bin, forced onto tsx
 *   pnpm --filter @perpscope/watcher soak -- --bundle          # dist/cli.mjs directly, V8 defaults
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type DevnetChain,
  hyperliquidScenarios,
  loadReplayFixtures,
  startDevnet,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { stringify } from 'yaml';
import { ensureBundle } from '../bin/bundle.mjs';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import { bundleWatcher } from './bundleWatcher.js';

const BIN = fileURLToPath(new URL('../bin/perpscope-watcher.mjs', import.meta.url));
const CLK_TCK = 100; // Linux USER_HZ

const { values: args } = parseArgs({
  // `pnpm … soak -- --minutes 5` (the README's form) passes the `--` through.
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    minutes: { type: 'string', default: '30' },
    chains: { type: 'string', default: '15' },
    markets: { type: 'string', default: '300' },
    'sample-seconds': { type: 'string', default: '10' },
    'raw-minutes': { type: 'string', default: '5' },
    'poll-ms': { type: 'string', default: '1000' },
    out: { type: 'string' },
    /** Run the esbuild bundle directly, without the bin's V8 flags. */
    bundle: { type: 'boolean', default: false },
    /** Run the bin forced onto tsx (PERPSCOPE_WATCHER_ENTRY=tsx; the bin's V8 flags still apply). */
    tsx: { type: 'boolean', default: false },
    /** NODE_OPTIONS for the watcher only, e.g. `--max-old-space-size=128`. */
    'node-options': { type: 'string' },
  },
});
const minutes = Number(args.minutes);
const sampleMs = Number(args['sample-seconds']) * 1000;

type Sample = {
  tSeconds: number;
  rssMb: number;
  treeRssMb: number;
  cpuPercent: number;
  dbMb: number;
  walMb: number;
  blocks: number;
  hip3Samples: number;
  events: number;
};

/** RSS (kB) and CPU ticks of a process, from /proc. */
function procStat(pid: number): { rssKb: number; ticks: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rssKb, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/** The process and its descendants (tsx runs an esbuild service beside node). */
function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const out = [root];
  for (let i = 0; i < out.length; i++)
    for (const [pid, pp] of parent) if (pp === out[i]) out.push(pid);
  return out;
}

function fileMb(path: string): number {
  try {
    return statSync(path).size / 1024 / 1024;
  } catch {
    return 0;
  }
}

/**
 * One scrape of `/metrics` per sample, like a Prometheus server (rendering it costs the watcher
 * ~30 ms of CPU: scraping once per series would inflate the CPU being measured).
 */
async function scrapeMetrics(url: string): Promise<(series: string) => number> {
  let text: string | null = null;
  try {
    text = await (await fetch(`${url}/metrics`)).text();
  } catch {}
  return (series) => {
    if (text === null) return Number.NaN;
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line ? Number(line.slice(series.length + 1)) : 0;
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
/** Least-squares slope of `[seconds, value]` points, per minute. */
const slopePerMinute = (points: readonly [number, number][]) => {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return (sxy / sxx) * 60;
};

const dir = mkdtempSync(join(tmpdir(), 'perpscope-soak-'));
const dbPath = join(dir, 'soak.db');
console.log(
  `soak: ${minutes} min, ${args.chains} chains, ~${args.markets} markets, data in ${dir}`,
);
const nChains = Number(args.chains);
const devnet = await startDevnet(
  Array.from({ length: nChains }, (_, i) => ({
    name: `soak-${i + 1}`,
    chainId: 2001 + i,
    blockTime: i % 5 === 4 ? ('tx-driven' as const) : i % 3 === 0 ? 2 : 1,
    rpcCount: 2,
    uptimeFeed: i < 2,
  })),
);
const hip3Dexes = loadReplayFixtures()
  .perpDexs.filter((d) => d !== null)
  .map((d) => d!.name);
const marketsPerDex = Math.ceil(Number(args.markets) / hip3Dexes.length);
const hl = await startHyperliquidReplay({
  dexes: hip3Dexes,
  scenario: hyperliquidScenarios.demo(),
  loop: true,
  ...({ marketsPerDex } as Record<string, unknown>),
});
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  stringify({
    server: { port: 0 },
    database: { path: dbPath },
    log: { level: 'warn' },
    chains: devnet.chains.map((c) =>
      devnetChainEntry(c, { pollIntervalMs: Number(args['poll-ms']), graceSeconds: 30 }),
    ),
    hip3: {
      enabled: true,
      apiUrl: hl.url,
      wsUrl: hl.wsUrl,
      explorerUrl: hl.url,
      explorer: { enabled: false },
      bookCoins: ['xyz:XYZ100', 'xyz:TSLA'],
    },
    retention: { rawDays: Number(args['raw-minutes']) / 1440, intervalMinutes: 1 },
  }),
);

// By default the bin as users run it: scripts/watcher.sh builds the bundle first, so do the same.
if (!args.bundle && !args.tsx) console.log(await ensureBundle());
const cli = args.bundle ? await bundleWatcher() : BIN;
const loadAtStart = loadavg();
const watcher: ChildProcess = spawn(process.execPath, [cli, 'run', '-c', configPath], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: {
    ...process.env,
    ...(args['node-options'] && { NODE_OPTIONS: args['node-options'] }),
    ...(args.tsx && { PERPSCOPE_WATCHER_ENTRY: 'tsx' }),
  },
});
const url = await new Promise<string>((resolve, reject) => {
  let out = '';
  watcher.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /listening on (http:\/\/[^/\s]+)\//.exec(out);
    if (m?.[1]) resolve(m[1]);
  });
  watcher.on('exit', (code) => reject(new Error(`watcher exited with ${code}: ${out}`)));
});
const pid = watcher.pid!;
// The bin re-executes itself (same pid) with its V8 flags: record the command line it ended up with.
const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
const mallocEnv = readFileSync(`/proc/${pid}/environ`, 'utf8')
  .split('\0')
  .filter((v) => v.startsWith('MALLOC_'));
const countMarkets = async () =>
  ((await (await fetch(`${url}/v1/hip3/markets`)).json()) as { markets: unknown[] }).markets.length;
let markets = 0;
for (let i = 0; i < 120 && markets === 0; i++) {
  await new Promise((r) => setTimeout(r, 500));
  markets = await countMarkets();
}
console.log(`watcher pid ${pid} at ${url}`);

// Incident scenarios, continuously: a halt every 45 s (20 s long), a reorg every 60 s, an RPC fault every 90 s.
const randomChain = (): DevnetChain =>
  devnet.chains[Math.floor(Math.random() * devnet.chains.length)]!;
const timers = [
  setInterval(() => {
    const c = randomChain();
    void c.halt().then(() => setTimeout(() => void c.resume().catch(() => {}), 20_000));
  }, 45_000),
  setInterval(
    () =>
      void randomChain()
        .reorg(2)
        .catch(() => {}),
    60_000,
  ),
  setInterval(() => {
    const c = randomChain();
    c.setRpcFault(0, 'timeout');
    setTimeout(() => c.setRpcFault(0, 'none'), 20_000);
  }, 90_000),
];

const samples: Sample[] = [];
const start = Date.now();
let prevTicks = procStat(pid)?.ticks ?? 0;
let prevAt = Date.now();
while (Date.now() - start < minutes * 60_000) {
  await new Promise((r) => setTimeout(r, sampleMs));
  const own = procStat(pid);
  if (!own) break;
  const tree = processTree(pid)
    .map(procStat)
    .reduce((sum, s) => sum + (s?.rssKb ?? 0), 0);
  const now = Date.now();
  const cpu = ((own.ticks - prevTicks) / CLK_TCK / ((now - prevAt) / 1000)) * 100;
  prevTicks = own.ticks;
  prevAt = now;
  const metric = await scrapeMetrics(url);
  const s: Sample = {
    tSeconds: Math.round((now - start) / 1000),
    rssMb: round(own.rssKb / 1024),
    treeRssMb: round(tree / 1024),
    cpuPercent: round(cpu),
    dbMb: round(fileMb(dbPath), 2),
    walMb: round(fileMb(`${dbPath}-wal`), 2),
    blocks: metric('perpscope_ingest_rows_total{table="blocks"}'),
    hip3Samples: metric('perpscope_ingest_rows_total{table="hip3_samples"}'),
    events: metric('perpscope_ingest_rows_total{table="events"}'),
  };
  samples.push(s);
  console.log(
    `t=${s.tSeconds}s rss=${s.rssMb}MB (tree ${s.treeRssMb}MB) cpu=${s.cpuPercent}% db=${s.dbMb}MB wal=${s.walMb}MB rows: blocks ${s.blocks}, hip3 ${s.hip3Samples}, events ${s.events}`,
  );
}
for (const t of timers) clearInterval(t);

// Steady state: after the first two minutes (or the second half of a short run).
const warmup = Math.min(120, (minutes * 60) / 2);
const steady = samples.filter((s) => s.tSeconds > warmup);
const last = samples.at(-1);
const first = steady[0] ?? samples[0];
const elapsed = last && first ? last.tSeconds - first.tSeconds : 0;
const summary = {
  minutes,
  entryPoint: args.bundle
    ? 'dist/cli.mjs directly'
    : args.tsx
      ? 'bin/perpscope-watcher.mjs, forced onto tsx'
      : 'bin/perpscope-watcher.mjs (bundle)',
  nodeOptions: args['node-options'] ?? null,
  nodeFlags: commandLine.slice(1).filter((a) => a.startsWith('--')),
  mallocEnv,
  chains: devnet.chains.length,
  markets,
  samples: samples.length,
  steadyStateFromSeconds: warmup,
  rssMb: {
    median: median(steady.map((s) => s.rssMb)),
    max: Math.max(...samples.map((s) => s.rssMb)),
  },
  treeRssMb: {
    median: median(steady.map((s) => s.treeRssMb)),
    max: Math.max(...samples.map((s) => s.treeRssMb)),
  },
  cpuPercentOfOneCore: {
    median: median(steady.map((s) => s.cpuPercent)),
    max: Math.max(...steady.map((s) => s.cpuPercent)),
  },
  /** RSS at whole minutes (the sample nearest each), to see whether it levels off. */
  rssMbAtMinute: Object.fromEntries(
    [2, 5, 10, 15, 20, 25, 30]
      .filter((m) => m * 60 <= (last?.tSeconds ?? 0) + sampleMs / 2000)
      .map((m) => [
        m,
        samples.reduce<Sample | undefined>(
          (best, s) =>
            best === undefined || Math.abs(s.tSeconds - m * 60) < Math.abs(best.tSeconds - m * 60)
              ? s
              : best,
          undefined,
        )?.rssMb,
      ]),
  ),
  /** Least-squares slope of RSS over the steady state, MB per minute (≈ 0 when flat). */
  rssSlopeMbPerMinute: round(slopePerMinute(steady.map((s) => [s.tSeconds, s.rssMb])), 2),
  dbMb: { end: last?.dbMb, max: Math.max(...samples.map((s) => s.dbMb + s.walMb)) },
  ingestPerSecond:
    last && first && elapsed > 0
      ? {
          blocks: round((last.blocks - first.blocks) / elapsed),
          hip3Samples: round((last.hip3Samples - first.hip3Samples) / elapsed),
          events: round((last.events - first.events) / elapsed, 2),
        }
      : null,
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
  loadAverage1m: { start: round(loadAtStart[0]!, 2), end: round(loadavg()[0]!, 2) },
};
console.log(JSON.stringify(summary, null, 2));
if (args.out) writeFileSync(args.out, JSON.stringify({ summary, samples }, null, 2));

await new Promise<void>((resolve) => {
  watcher.once('exit', () => resolve());
  watcher.kill('SIGTERM');
  setTimeout(() => watcher.kill('SIGKILL'), 15_000).unref();
});
await hl.stop();
await devnet.stop();
rmSync(dir, { recursive: true, force: true });
