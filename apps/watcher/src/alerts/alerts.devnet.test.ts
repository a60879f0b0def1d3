import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevnetChain, startDevnet } from '@perpscope/devnet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/support/devnetWatcher.js';
import { systemClock } from '../clock.js';
import { parseConfig } from '../config/loadConfig.js';
import { devnetChainEntry } from '../demo/devnetChainEntry.js';
import { Env } from '../env.js';
import { type RunningWatcher, startWatcher } from '../runtime/startWatcher.js';
import { startTestSinkServer, type TestSinkServer } from './testSinkServer.js';

/*
 * Alerts end to end: a real anvil chain halts and recovers while a real watcher (SQLite file) feeds
 * incident transitions through the outbox to a local HTTP sink that fails with 500 at first. The
 * watcher is stopped and started again while the first alert is still being retried.
 */
type Hit = {
  transition: string;
  severity: string;
  incidentId: string;
  reasons: string[];
  guidance: string;
};

describe('alerts against a devnet chain', () => {
  let dir: string;
  let sink: TestSinkServer;
  let chain: DevnetChain;
  let stopDevnet: () => Promise<void>;
  let watcher: RunningWatcher | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-alerts-devnet-'));
    sink = await startTestSinkServer();
    const devnet = await startDevnet([
      { name: 'alert-op', chainId: 1201, blockTime: 1, rpcCount: 2 },
    ]);
    chain = devnet.chains[0]!;
    stopDevnet = devnet.stop;
  }, 60_000);
  afterAll(async () => {
    await watcher?.stop();
    await stopDevnet?.();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot() {
    const config = parseConfig({
      raw: {
        server: { port: 0 },
        database: { path: join(dir, 'w.db') },
        chains: [devnetChainEntry(chain, { pollIntervalMs: 250, graceSeconds: 3 })],
        alerts: {
          sinks: [
            { name: 'hook', kind: 'webhook', urlEnv: 'TEST_SINK_URL', minSeverity: 'warning' },
          ],
          retry: { initialDelayMs: 300, maxDelayMs: 1_000, pollIntervalMs: 100, timeoutMs: 2_000 },
        },
      },
      source: 'test',
      env: Env.parse({}),
    });
    return startWatcher({
      config,
      clock: systemClock,
      logger: pino({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' }),
      version: 'test',
      secrets: { TEST_SINK_URL: `${sink.url}/alerts` },
    });
  }

  /** Delivered (2xx) messages of the sequencer incident. */
  const delivered = () =>
    sink.hits
      .filter((h) => h.status === 200)
      .map((h) => h.body as Hit)
      .filter((b) => b.reasons[0]?.includes('sequencer'));

  it('sends open → escalate → resolve once each, retrying 500s and surviving a restart mid-retry', async () => {
    watcher = await boot();
    await waitFor(
      'chain up',
      async () => {
        const res = await fetch(`${watcher!.url}/v1/chains`);
        const body = (await res.json()) as { chains: { status: string }[] };
        return body.chains[0]?.status === 'up';
      },
      30_000,
    );
    sink.defaultStatus = 500;
    await chain.halt();
    // The open (degraded) alert is attempted and refused at least once…
    await waitFor('a refused delivery', () => sink.hits.some((h) => h.status === 500), 15_000);
    // …then the watcher goes away while the row is still pending, and comes back.
    await watcher.stop();
    watcher = null;
    sink.defaultStatus = 200;
    watcher = await boot();
    await waitFor('open delivered', () => delivered().some((b) => b.transition === 'open'), 15_000);
    await waitFor(
      'escalate delivered',
      () => delivered().some((b) => b.transition === 'escalate'),
      20_000,
    );
    await chain.resume();
    await waitFor(
      'resolve delivered',
      () => delivered().some((b) => b.transition === 'resolve'),
      30_000,
    );
    // Give a late duplicate the chance to show up before counting.
    await new Promise((r) => setTimeout(r, 1_000));

    const messages = delivered();
    expect(messages.map((m) => m.transition)).toEqual(['open', 'escalate', 'resolve']);
    expect(new Set(messages.map((m) => m.incidentId)).size).toBe(1);
    expect(messages.map((m) => m.severity)).toEqual(['warning', 'critical', 'info']);
    expect(messages[1]?.guidance).toContain('2× normal');
    const refused = sink.hits
      .filter((h) => h.status === 500)
      .map((h) => (h.body as Hit).transition);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.every((t) => t === 'open')).toBe(true);
    expect(sink.hits.every((h) => h.path === '/alerts')).toBe(true);

    const metrics = await (await fetch(`${watcher.url}/metrics`)).text();
    expect(metrics).toMatch(/perpscope_alerts_total\{sink="hook",outcome="delivered"\} [1-9]/);
  }, 120_000);
});
