/**
 * Benchmark (SPEC §6 / issue 5, not a test): the real `perpscope-watcher run` process watching ~300
 * HIP-3 markets across 9 dexes on the local Hyperliquid replay server (ctx frames at a 1 s
 * cadence, setOracle every 3 s, 10 books polled, explorer polled). Reports the watcher's CPU share
 * of one core (median of 5 s windows over 30 s of steady state) and `GET /v1/risk-summary` for 50
 * coins at 1,000 req/s for 10 s on loopback (p50/p99; latency measured from each request's
 * scheduled start, so queueing counts). 127.0.0.1 only; bounded loop.
 *
 * Run: pnpm --filter @perpscope/watcher exec tsx scripts/benchHip3.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHyperliquidReplay } from '@perpscope/devnet';
import { stringify } from 'yaml';

const DEXES = ['xyz', 'flx', 'vntl', 'hyna', 'km', 'abcd', 'cash', 'para', 'mkts'];
const RATE = 1000;
const LOAD_SECONDS = 10;

const bin = fileURLToPath(new URL('../bin/perpscope-watcher.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-bench-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function cpuTicks(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime (clock ticks, 100/s)
}
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

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
const child = spawn(process.execPath, [bin, 'run', '--config', configPath], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    child.kill('SIGTERM');
    process.exit(1);
  });
}
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
  let markets: { coin: string; status: string; isDelisted: boolean }[] = [];
  for (;;) {
    markets = (
      (await (await fetch(`${url}/v1/hip3/markets`)).json()) as { markets: typeof markets }
    ).markets;
    const live = markets.filter((m) => !m.isDelisted);
    if (live.length >= 290 && live.every((m) => m.status !== 'unknown')) break;
    await sleep(500);
  }
  const dexCount = new Set(markets.map((m) => m.coin.split(':')[0])).size;
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
  const target = `${url}/v1/risk-summary?coins=${encodeURIComponent(coins.join(','))}`;
  const check = (await (await fetch(target)).json()) as { markets: unknown[] };
  if (check.markets.length !== 50)
    throw new Error(`risk-summary returned ${check.markets.length} markets`);
  // The open-loop keep-alive client of benchWatcher.ts, in its own process.
  const client = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./loadClient.ts', import.meta.url)),
      target,
      String(RATE),
      String(LOAD_SECONDS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  client.stdout.on('data', (d: Buffer) => {
    out += d.toString();
  });
  await new Promise((r) => client.once('exit', r));
  const l = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
  const f = (k: string) => (l[k] ?? Number.NaN).toFixed(2);
  console.log(
    `GET /v1/risk-summary (50 coins) at ${RATE} req/s for ${LOAD_SECONDS} s while ingesting: ${l.ok} ok, ${l.errors} errors, ${(l.achievedRps ?? 0).toFixed(0)} req/s achieved; p50 ${f('p50')} ms, p90 ${f('p90')} ms, p99 ${f('p99')} ms, max ${f('max')} ms`,
  );
} finally {
  child.kill('SIGTERM');
  await hl.stop();
}
