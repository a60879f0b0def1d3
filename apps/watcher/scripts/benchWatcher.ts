/**
 * Benchmark (SPEC §6, not a test): 15 devnet chains watched by the real `perpscope-watcher run`
 * process. Reports the watcher's RSS (median/max over 20 s of steady state), its CPU share of one
 * core, and `GET /v1/chains` latency at 1,000 req/s for 10 s on loopback (p50/p99, latency measured
 * from each request's scheduled start, so queueing counts). Talks to 127.0.0.1 only; bounded loop.
 *
 * Run: pnpm --filter @perpscope/watcher bench:load
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DevnetChainSpec, startDevnet } from '@perpscope/devnet';
import { stringify } from 'yaml';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';

const CHAINS = 15;
const RATE = 1000;
const LOAD_SECONDS = 10;

const bin = fileURLToPath(new URL('../bin/perpscope-watcher.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'perpscope-bench-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (clock ticks, 100/s)
}
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const specs: DevnetChainSpec[] = Array.from({ length: CHAINS }, (_, i) => ({
  name: `bench-${i}`,
  chainId: 3000 + i,
  blockTime: i % 3 === 0 ? 'tx-driven' : i % 3 === 1 ? 1 : 2,
  rpcCount: 2,
}));
console.log(`starting ${CHAINS} devnet chains…`);
const devnet = await startDevnet(specs);
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  stringify({
    server: { port: 0 },
    database: { path: join(dir, 'bench.db') },
    log: { level: 'warn' },
    chains: devnet.chains.map((c) =>
      devnetChainEntry(c, { pollIntervalMs: 1000, graceSeconds: 30 }),
    ),
  }),
);
const child = spawn(process.execPath, [bin, 'run', '--config', configPath], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^/\s]+)\//.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`watcher exited ${code}`)));
  });
  for (;;) {
    const { chains } = (await (await fetch(`${url}/v1/chains`)).json()) as {
      chains: { status: string }[];
    };
    if (chains.length === CHAINS && chains.every((c) => c.status === 'up')) break;
    await sleep(500);
  }
  console.log(`watcher ${url} (pid ${child.pid}) sees ${CHAINS} chains up; steady state 20 s…`);
  const pid = child.pid!;
  const rss: number[] = [];
  const ticks0 = cpuTicks(pid);
  const t0 = Date.now();
  for (let i = 0; i < 20; i++) {
    rss.push(rssMb(pid));
    await sleep(1000);
  }
  const cpuPct = ((cpuTicks(pid) - ticks0) / 100 / ((Date.now() - t0) / 1000)) * 100;

  console.log(
    `load: GET /v1/chains at ${RATE} req/s for ${LOAD_SECONDS} s from a separate process…`,
  );
  const client = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./loadClient.ts', import.meta.url)),
      `${url}/v1/chains`,
      String(RATE),
      String(LOAD_SECONDS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let clientOut = '';
  client.stdout.on('data', (d: Buffer) => {
    clientOut += d.toString();
  });
  await new Promise((r) => client.once('exit', r));
  const load = JSON.parse(clientOut.trim().split('\n').at(-1) ?? '{}') as {
    ok: number;
    errors: number;
    achievedRps: number;
    p50: number;
    p99: number;
    max: number;
  };
  console.log('');
  console.log(
    `RSS with ${CHAINS} chains: median ${quantile(rss, 0.5).toFixed(1)} MB, max ${Math.max(...rss).toFixed(1)} MB`,
  );
  console.log(`CPU at steady state: ${cpuPct.toFixed(1)} % of one core`);
  console.log(
    `GET /v1/chains: ${load.ok} ok, ${load.errors} errors, ${load.achievedRps.toFixed(0)} req/s achieved; p50 ${load.p50.toFixed(2)} ms, p99 ${load.p99.toFixed(2)} ms, max ${load.max.toFixed(1)} ms`,
  );
  console.log(
    `machine: ${(await import('node:os')).cpus().length} cores, load average ${(
      await import('node:os')
    )
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await devnet.stop();
}
