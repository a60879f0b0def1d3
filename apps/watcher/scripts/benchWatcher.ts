/**
 * Benchmark (SPEC §6, not a test). Two phases, both against the real `perpscope-watcher run` process:
 *
 * 1. Live: 15 devnet chains (anvil + 2 RPC proxies each, in this process) watched by the watcher.
 *    Reports its RSS (median/max over 20 s of steady state), CPU share of one core, and
 *    `GET /v1/chains` at 1,000 req/s for 10 s while it polls all 15 chains.
 * 2. API only: the devnet is stopped and the watcher restarted on the same database without chain
 *    polling, so `/v1/chains` serves the same 15 chains with the CPU to itself; same load.
 *
 * Each load is 3 runs; every run and the medians of p50/p90/p99/max are printed. The anvils are
 * separate processes (children of this one, not of the watcher); the CPU they, this process (the
 * RPC proxies) and the watcher use is reported, to show how much of the 2 cores the devnet takes.
 * Latency is measured by a separate client process from each request's scheduled start (open loop,
 * queueing counts). Loopback only; bounded loops. Run: pnpm --filter @perpscope/watcher bench:load
 * (`BENCH_NODE_FLAGS` passes V8 flags to the watcher process).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevnetChainSpec, startDevnet } from '@perpscope/devnet';
import { stringify } from 'yaml';
import { ensureBundle } from '../bin/bundle.mjs';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import {
  cpuTicks,
  type LoadResult,
  median,
  rssMb,
  runLoad as runLoadClient,
  sleep,
  spawnWith,
  stopProcess,
  WATCHER_LISTENING,
} from './benchSupport.js';

const CHAINS = 15;
const RATE = 1000;
const LOAD_SECONDS = 10;
const RUNS = 3;

const bin = fileURLToPath(new URL('../bin/perpscope-watcher.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'perpscope-bench-'));
const dbPath = join(dir, 'bench.db');
/** CPU ticks of every running `anvil` process descended from this one (the devnet). */
function anvilTicks(): number {
  const procs = new Map<number, { ppid: number; comm: string; ticks: number }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.set(Number(name), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // exited while we looked
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 10; hops++) {
      if (p === process.pid) return true;
      p = procs.get(p)?.ppid ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, p] of procs) if (p.comm === 'anvil' && ours(pid)) ticks += p.ticks;
  return ticks;
}
/** CPU of the devnet anvils, this process (RPC proxies) and the watcher over `body`, % of one core. */
async function cpuShares<T>(watcherPid: number, body: () => Promise<T>): Promise<[T, string]> {
  const t0 = Date.now();
  const a0 = anvilTicks();
  const w0 = cpuTicks(watcherPid);
  const s0 = process.cpuUsage();
  const out = await body();
  const sec = (Date.now() - t0) / 1000;
  const self = process.cpuUsage(s0);
  const pct = (ticks: number) => ((ticks / 100 / sec) * 100).toFixed(0);
  return [
    out,
    `anvils ${pct(anvilTicks() - a0)} %, RPC proxies + bench process ${(((self.user + self.system) / 1e6 / sec) * 100).toFixed(0)} %, watcher ${pct(cpuTicks(watcherPid) - w0)} % of one core (2 cores = 200 %)`,
  ];
}

async function startWatcherProcess(config: object): Promise<{ child: ChildProcess; url: string }> {
  // The bin falls back to tsx (+~100 MB RSS, slower) when any source changed since the bundle was
  // built — e.g. another engineer's commit during the run: rebuild it first, and insist on it.
  console.log(await ensureBundle());
  const configPath = join(dir, `config-${Date.now()}.yaml`);
  writeFileSync(configPath, stringify(config));
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const watcher = spawnWith([...flags, bin, 'run', '--config', configPath], WATCHER_LISTENING, {
    env: { PERPSCOPE_WATCHER_ENTRY: 'bundle' },
  });
  return { child: watcher.proc, url: await watcher.url };
}

const runLoadOnce = (url: string) => runLoadClient(`${url}/v1/chains`, RATE, LOAD_SECONDS);
/** {@link RUNS} load runs; prints each, returns the medians line. */
async function runLoad(url: string, label: string): Promise<string> {
  const runs: LoadResult[] = [];
  for (let i = 1; i <= RUNS; i++) {
    const l = await runLoadOnce(url);
    runs.push(l);
    console.log(
      `  ${label}, run ${i}: ${l.ok} ok, ${l.errors} errors, ${l.achievedRps.toFixed(0)} req/s; p50 ${l.p50.toFixed(2)}, p90 ${l.p90.toFixed(2)}, p99 ${l.p99.toFixed(2)}, max ${l.max.toFixed(2)} ms; load client ${l.clientCpuPercent.toFixed(0)} % of one core, its loop delay p99 ${l.clientLoopDelayP99.toFixed(1)} / max ${l.clientLoopDelayMax.toFixed(1)} ms`,
    );
  }
  const m = (k: keyof LoadResult) => median(runs.map((r) => r[k])).toFixed(2);
  return `medians of ${RUNS} runs: p50 ${m('p50')} ms, p90 ${m('p90')} ms, p99 ${m('p99')} ms, max ${m('max')} ms (${runs.reduce((a, r) => a + r.errors, 0)} errors)`;
}

const results: string[] = [];
const specs: DevnetChainSpec[] = Array.from({ length: CHAINS }, (_, i) => ({
  name: `bench-${i}`,
  chainId: 3000 + i,
  blockTime: i % 3 === 0 ? 'tx-driven' : i % 3 === 1 ? 1 : 2,
  rpcCount: 2,
}));
console.log(`phase 1: starting ${CHAINS} devnet chains…`);
const devnet = await startDevnet(specs);
const live = await startWatcherProcess({
  server: { port: 0 },
  database: { path: dbPath },
  log: { level: 'warn' },
  chains: devnet.chains.map((c) => devnetChainEntry(c, { pollIntervalMs: 1000, graceSeconds: 30 })),
});
try {
  for (;;) {
    const { chains } = (await (await fetch(`${live.url}/v1/chains`)).json()) as {
      chains: { status: string }[];
    };
    if (chains.length === CHAINS && chains.every((c) => c.status === 'up')) break;
    await sleep(500);
  }
  const pid = live.child.pid!;
  console.log(`watcher pid ${pid} sees ${CHAINS} chains up; sampling 20 s of steady state…`);
  const rss: number[] = [];
  const ticks0 = cpuTicks(pid);
  const t0 = Date.now();
  const [, steadyShares] = await cpuShares(pid, async () => {
    for (let i = 0; i < 20; i++) {
      rss.push(rssMb(pid));
      await sleep(1000);
    }
  });
  const cpuPct = ((cpuTicks(pid) - ticks0) / 100 / ((Date.now() - t0) / 1000)) * 100;
  results.push(
    `RSS watching ${CHAINS} devnet chains: median ${median(rss).toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB`,
  );
  results.push(`CPU at steady state: ${cpuPct.toFixed(1)} % of one core`);
  results.push(`CPU at steady state, by process: ${steadyShares}`);
  console.log(`load while polling: GET /v1/chains at ${RATE} req/s for ${LOAD_SECONDS} s…`);
  const [polling, loadShares] = await cpuShares(pid, () => runLoad(live.url, 'while polling'));
  results.push(`GET /v1/chains while polling ${CHAINS} chains: ${polling}`);
  results.push(`CPU during that load, by process: ${loadShares}`);
} finally {
  await stopProcess(live.child);
  await devnet.stop();
}

console.log('phase 2: same database, API only…');
const apiOnly = await startWatcherProcess({
  server: { port: 0 },
  database: { path: dbPath },
  log: { level: 'warn' },
  chains: [],
});
try {
  const { chains } = (await (await fetch(`${apiOnly.url}/v1/chains`)).json()) as {
    chains: unknown[];
  };
  if (chains.length !== CHAINS) throw new Error(`expected ${CHAINS} chains, got ${chains.length}`);
  await runLoadOnce(apiOnly.url); // warm-up (JIT)
  results.push(
    `GET /v1/chains, ${CHAINS} chains, API only: ${await runLoad(apiOnly.url, 'API only')}`,
  );
} finally {
  await stopProcess(apiOnly.child);
}
console.log('');
for (const r of results) console.log(r);
console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
