import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DevnetChain,
  type HyperliquidReplay,
  startDevnet,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { devnetChainEntry } from '../../src/demo/devnetChainEntry.js';
import { Env } from '../../src/env.js';
import { type RunningWatcher, startWatcher } from '../../src/runtime/startWatcher.js';
import { waitFor } from '../support/devnetWatcher.js';
import { type FaultProxy, startFaultProxy } from './faultProxy.js';

/*
 * Fault suite: one real watcher (SQLite file, HTTP server) against a devnet chain and the HL replay
 * server behind a fault proxy. Each fault must leave the process up and answering, be reported
 * honestly (`unknown` / not ready — never a stale `up`), and heal by itself once the fault is gone.
 * HIP-3 timings are compressed (samples stale after 3 s, WS stale after 2 s, REST fallback 1 s).
 */
let chain: DevnetChain;
let hl: HyperliquidReplay;
let proxy: FaultProxy;
let watcher: RunningWatcher;
let stopDevnet: () => Promise<void>;
let dir: string;

async function get<T>(path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${watcher.url}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}
const chainStatus = async () =>
  (await get<{ chains: { status: string }[] }>('/v1/chains')).body.chains[0]?.status;
/** Statuses of the listed markets (delisted ones stay `halted` whatever the stream does). */
const marketStatuses = async () =>
  (
    await get<{ markets: { status: string; isDelisted: boolean }[] }>('/v1/hip3/markets')
  ).body.markets
    .filter((m) => !m.isDelisted)
    .map((m) => m.status);
const metric = async (series: string) => {
  const text = await (await fetch(`${watcher.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perpscope-faults-'));
  const devnet = await startDevnet([
    { name: 'fault-op', chainId: 1301, blockTime: 1, rpcCount: 2 },
  ]);
  stopDevnet = devnet.stop;
  chain = devnet.chains[0]!;
  hl = await startHyperliquidReplay({ dexes: ['xyz'] });
  proxy = await startFaultProxy(hl.url);
  const config = parseConfig({
    raw: {
      server: { port: 0 },
      database: { path: join(dir, 'w.db') },
      chains: [devnetChainEntry(chain, { pollIntervalMs: 250, graceSeconds: 3 })],
      hip3: {
        enabled: true,
        apiUrl: proxy.url,
        wsUrl: proxy.wsUrl,
        explorerUrl: proxy.url,
        explorer: { enabled: false },
        dexes: ['xyz'],
        wsStaleSeconds: 2,
        restFallbackIntervalSeconds: 1,
        thresholds: { sampleStaleSeconds: 3 },
      },
    },
    source: 'test',
    env: Env.parse({}),
  });
  watcher = await startWatcher({
    config,
    clock: systemClock,
    logger: pino({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' }),
    version: 'test',
    // The fault tests set pragmas on the writing connection (`ops.database!.sqlite`): one thread.
    ingestion: { thread: 'main' },
  });
  await waitFor('chain up', async () => (await chainStatus()) === 'up', 30_000);
  await waitFor(
    'markets with data',
    async () => {
      const s = await marketStatuses();
      return s.length > 0 && s.every((x) => x !== 'unknown');
    },
    30_000,
  );
}, 90_000);

afterAll(async () => {
  await watcher?.stop();
  await proxy?.close();
  await hl?.stop();
  await stopDevnet?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('fault suite (process stays up, reports honestly, recovers)', () => {
  it('RPC timeouts, garbage and 5xx on every endpoint: unknown (never up), then up again', async () => {
    chain.setRpcFault(0, 'timeout');
    chain.setRpcFault(1, 'garbage');
    await waitFor('unknown', async () => (await chainStatus()) === 'unknown', 10_000);
    expect(await metric('perpscope_chain_status{chain="fault-op",status="unknown"}')).toBe(1);
    chain.setRpcFault(0, 'http500');
    chain.setRpcFault(1, 'http500');
    for (let i = 0; i < 8; i++) {
      expect(await chainStatus()).toBe('unknown');
      expect((await fetch(`${watcher.url}/healthz`)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 250));
    }
    const rpcHealth = (await get<{ rpcs: { health: string }[] }>('/v1/chains/1301')).body.rpcs;
    expect(rpcHealth.map((r) => r.health)).toEqual(['failing', 'failing']);
    chain.setRpcFault(0, 'none');
    chain.setRpcFault(1, 'none');
    await waitFor('up again', async () => (await chainStatus()) === 'up', 15_000);
  }, 60_000);

  it('HL answering 500 with the WebSocket dropped for a long while: markets unknown, chains unaffected, then recovered', async () => {
    proxy.setFailing(true);
    await waitFor(
      'all markets unknown',
      async () => (await marketStatuses()).every((s) => s === 'unknown'),
      15_000,
    );
    // "Minutes" of outage, compressed: keep failing well past every stale threshold.
    await new Promise((r) => setTimeout(r, 4_000));
    expect((await marketStatuses()).every((s) => s === 'unknown')).toBe(true);
    expect(proxy.refused).toBeGreaterThan(3);
    expect(await chainStatus()).toBe('up');
    expect((await fetch(`${watcher.url}/healthz`)).status).toBe(200);
    proxy.setFailing(false);
    await waitFor(
      'markets back',
      async () => (await marketStatuses()).every((s) => s !== 'unknown'),
      30_000,
    );
  }, 60_000);

  it('read-only database: HIP-3 markets and the risk summary say unknown while their writes fail (issue 14 item 6)', async () => {
    const { sqlite } = watcher.ops.database!;
    const failedWrites = async () =>
      (await metric('perpscope_db_write_errors_total{component="hip3"}')) ?? 0;
    const before = await failedWrites();
    sqlite.pragma('query_only = 1');
    try {
      await waitFor(
        'markets unknown',
        async () => (await marketStatuses()).every((s) => s === 'unknown'),
        10_000,
      );
      const markets = (
        await get<{ markets: { coin: string; reasons: { code: string; message: string }[] }[] }>(
          '/v1/hip3/markets',
        )
      ).body.markets;
      expect(markets[0]?.reasons[0]?.code).toBe('no_data');
      expect(markets[0]?.reasons[0]?.message).toMatch(/^database writes failing/);
      const risk = await get<{ markets: { status: string }[]; chains: { status: string }[] }>(
        `/v1/risk-summary?coins=${encodeURIComponent(markets[0]!.coin)}&chains=fault-op`,
      );
      expect(risk.body.markets[0]?.status).toBe('unknown');
      await waitFor(
        'chain unknown in the risk summary',
        async () =>
          (
            await get<{ chains: { status: string }[] }>(
              `/v1/risk-summary?coins=${encodeURIComponent(markets[0]!.coin)}&chains=fault-op`,
            )
          ).body.chains[0]?.status === 'unknown',
        5_000,
      );
      expect(await failedWrites()).toBeGreaterThan(before);
      expect((await fetch(`${watcher.url}/readyz`)).status).toBe(503);
    } finally {
      sqlite.pragma('query_only = 0');
    }
    await waitFor(
      'markets back',
      async () => (await marketStatuses()).every((s) => s !== 'unknown'),
      15_000,
    );
    await waitFor('chain up', async () => (await chainStatus()) === 'up', 15_000);
    await waitFor(
      'ready again',
      async () => (await fetch(`${watcher.url}/readyz`)).status === 200,
      10_000,
    );
  }, 60_000);

  it('disk full (SQLite page limit): not ready and reported, still serving; recovers when space returns', async () => {
    const { sqlite } = watcher.ops.database!;
    const rows = () =>
      (sqlite.prepare('SELECT max(rowid) AS n FROM blocks').get() as { n: number }).n;
    // Fill the free pages first so the limit bites at once, then forbid growth.
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    await waitFor(
      'not ready',
      async () => (await fetch(`${watcher.url}/readyz`)).status === 503,
      5_000,
    );
    const ready = await get<{ checks: Record<string, boolean> }>('/readyz');
    expect(ready.body.checks.storage).toBe(false);
    expect(await metric('perpscope_db_writable')).toBe(0);
    // Growing the file is refused (what the ingestion loops hit: SQLITE_FULL).
    expect(() =>
      sqlite
        .prepare('INSERT INTO alert_cursor (name, last_event_id) VALUES (?, 0)')
        .run('x'.repeat(50_000)),
    ).toThrow(/full/);
    const before = rows();
    await new Promise((r) => setTimeout(r, 3_000));
    // The process is alive and serving the last committed state.
    expect((await fetch(`${watcher.url}/healthz`)).status).toBe(200);
    expect((await get<{ chains: unknown[] }>('/v1/chains')).status).toBe(200);
    sqlite.pragma('max_page_count = 1073741823');
    await waitFor(
      'ready again',
      async () => (await fetch(`${watcher.url}/readyz`)).status === 200,
      10_000,
    );
    await waitFor('blocks stored again', () => rows() > before + 3, 10_000);
    await waitFor('chain up', async () => (await chainStatus()) === 'up', 15_000);
    expect(await metric('perpscope_db_writable')).toBe(1);
  }, 60_000);
});
