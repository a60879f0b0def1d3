/**
 * Benchmark (issue 15, not a test): how the watcher's CPU, disk writes and RSS move with uptime
 * while it ingests the HL replay with n HIP-3 markets (8 dexes), without HTTP load — what the
 * 3-round `benchIngestionThread.ts` cannot show (its rounds end ~2 minutes after start) and the
 * 30-minute soak shows only at ~300 markets. No chains unless `CHAINS=builtin` (the built-in
 * registry, whose public RPCs a bench machine cannot reach).
 *
 * It starts the replay and the watcher bundle (`perpscope-watcher run`, default ingestion thread),
 * then prints every 20 s the process's CPU (% of one core, from /proc/<pid>/stat), bytes it wrote
 * to storage per second (`write_bytes` of /proc/<pid>/io: WAL appends and checkpoints), RSS and
 * the machine's load average, and stops after the given seconds. On a shared machine compare runs
 * made back to back; `FLAGS` adds node flags to the watcher (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof`, then read a window of the profile to see what grew).
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/benchUptime.ts [markets=3000]
 *   [seconds=240] [bundle=dist/cli.mjs] (an older build's bundle for a before/after; its
 *   ingestionWorker.mjs beside it). The data folder is printed at the end and kept.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHyperliquidReplay } from '@perpscope/devnet';
import { stringify } from 'yaml';
import { BUNDLE, ensureBundle } from '../bin/bundle.mjs';
import { cpuTicks, rssMb, sleep, stopProcess } from './benchSupport.js';

const markets = Number(process.argv[2] ?? 3000);
const seconds = Number(process.argv[3] ?? 240);
const bundle = process.argv[4] ?? BUNDLE;
if (process.argv[4] === undefined) console.log(await ensureBundle());
const WINDOW_S = 20;
const DEXES = ['flx', 'vntl', 'hyna', 'km', 'abcd', 'cash', 'para', 'mkts'];

// `EXPLORER_HISTORY` txs per writer in the explorer at the start (default 0: the replay's history
// starts with the run and reaches the explorer's 300 in 15 minutes; 300 starts at steady state).
const hl = await startHyperliquidReplay({
  dexes: DEXES,
  marketsPerDex: Math.ceil(markets / DEXES.length),
  explorerHistoryTxs: Number(process.env.EXPLORER_HISTORY ?? 0),
});
const dir = mkdtempSync(join(tmpdir(), 'perpscope-uptime-'));
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  stringify({
    server: { port: 0 },
    database: { path: join(dir, 'watcher.db') },
    log: { level: 'warn' },
    // No chains by default, as `benchIngestionThread.ts`'s hip3 scenarios: the built-in registry's
    // public RPCs are unreachable from a bench machine, and polling them measured a failure path
    // (a DNS lookup and a new TLS context per attempt, ~3 ms/s of the worker): every RPC down, not
    // the HIP-3 steady state. `CHAINS=builtin` keeps the registry (runs before 2026-12-07 did).
    ...(process.env.CHAINS === 'builtin' ? {} : { chains: [] }),
    hip3: {
      enabled: true,
      apiUrl: hl.url,
      wsUrl: hl.wsUrl,
      explorerUrl: hl.url,
      // `EXPLORER_INTERVAL_S`: the watcher's explorer poll interval (default: the config's).
      ...(process.env.EXPLORER_INTERVAL_S === undefined
        ? {}
        : { explorer: { intervalSeconds: Number(process.env.EXPLORER_INTERVAL_S) } }),
    },
  }),
);
const flags = process.env.FLAGS?.split(' ').filter(Boolean) ?? [];
// The same V8 and allocator settings as benchIngestionThread.ts and the soak.
const watcher = spawn(
  process.execPath,
  [
    '--max-semi-space-size=4',
    '--heap-growing-percent=50',
    ...flags,
    bundle,
    'run',
    '--config',
    configPath,
  ],
  { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, MALLOC_ARENA_MAX: '2' } },
);
const pid = watcher.pid;
if (pid === undefined) throw new Error(`could not start ${bundle}`);
/** Bytes the watcher has written to storage so far (`write_bytes` of /proc/<pid>/io). */
const writtenBytes = () =>
  Number(/write_bytes: (\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);

const start = Date.now();
let ticks = cpuTicks(pid);
let written = writtenBytes();
while (Date.now() - start < seconds * 1000) {
  await sleep(WINDOW_S * 1000);
  const t = cpuTicks(pid);
  const w = writtenBytes();
  // /proc/<pid>/stat counts CPU in clock ticks of 10 ms: ticks per second = % of one core.
  console.log(
    `t=${Math.round((Date.now() - start) / 1000)}s cpu ${((t - ticks) / WINDOW_S).toFixed(1)} % ` +
      `writes ${((w - written) / WINDOW_S / 1e6).toFixed(1)} MB/s rss ${rssMb(pid).toFixed(0)} MB ` +
      `load ${readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}`,
  );
  ticks = t;
  written = w;
}
await stopProcess(watcher);
await hl.stop();
console.log(`data in ${dir}`);
