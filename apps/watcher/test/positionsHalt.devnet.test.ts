import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyChainAction,
  createManualClock,
  type DevnetChain,
  type HyperliquidReplay,
  type MarkWalkDuringHaltScenario,
  positionScenarios,
  startDevnet,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSinkServer, type TestSinkServer } from '../src/alerts/testSinkServer.js';
import { systemClock } from '../src/clock.js';
import { parseConfig } from '../src/config/loadConfig.js';
import { chainStatusesByKey } from '../src/db/queries/positions.js';
import { alertOutbox } from '../src/db/schema/alerts.js';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import { Env } from '../src/env.js';
import { type RunningWatcher, startWatcher } from '../src/runtime/startWatcher.js';
import type { PositionsLoop } from '../src/subjects/positions/positionsLoop.js';
import { positionsSubjectFactory } from '../src/subjects/positions/positionsSubject.js';
import { createChainsSubject } from '../src/subjects/sequencer/chainsSubject.js';
import { waitFor } from './support/devnetWatcher.js';

/*
 * Issue 16, "the halt multiplier applied only for a `prices` dependency", end to end: the real
 * watcher (chains subject + position guard), real anvil chains halted through the devnet, the real
 * `@nktkas/hyperliquid` SDK against the replay server, the real alert outbox delivering to a local
 * HTTP sink. The same `positionScenarios.markWalkDuringHalt` walk (xyz:TSLA 100 → its liquidation
 * price 78.947… in 20 steps) runs twice:
 *   1. during a halt of `arbitrum-one` (an anvil standing in for it): Hyperliquid depends on Arbitrum
 *      One for its bridge only (`VENUE_CHAIN_IMPACT`), so the thresholds stay 10 / 5 %:
 *      warn at step 12 (mark 87.37, 9.64 %), critical at step 17 (mark 82.11, 3.85 %);
 *   2. during a halt of `oracle-l2`, which the config declares a `prices` dependency
 *      (`positions.dependencies.hyperliquid`): thresholds ×2 = 20 / 10 %, so warn arrives at step 2
 *      (mark 97.895 as HL prints it, 19.36 %) and critical at step 12 (9.64 %), the text naming the halt and the ×2.
 * Distances d(m) = (m − 78.947)/m; each step is one guard cycle run by the test (deterministic).
 */
const USER = '0x00000000000000000000000000000000000a11ce';
const COIN = 'xyz:TSLA';
const LIQ = 100 - 200 / 10 / 0.95;

type Hit = { subject: string; transition: string; status: string; reasons: string[] };

const walk = (chain: { name: string; chainId: number }) =>
  positionScenarios.markWalkDuringHalt({
    coin: COIN,
    fromPx: 100,
    toPx: LIQ,
    steps: 20,
    chain: { ...chain, blockTime: 1 },
  });

describe('position guard during a devnet chain halt (alerts to a local sink)', () => {
  const bridgeWalk = walk({ name: 'arbitrum-one', chainId: 1902 });
  const pricesWalk = walk({ name: 'oracle-l2', chainId: 1901 });
  let dir: string;
  let sink: TestSinkServer;
  let hl: HyperliquidReplay;
  let devnet: Awaited<ReturnType<typeof startDevnet>>;
  let watcher: RunningWatcher;
  let loop: PositionsLoop | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-guard-halt-'));
    sink = await startTestSinkServer();
    devnet = await startDevnet([...bridgeWalk.chain.chains, ...pricesWalk.chain.chains]);
    hl = await startHyperliquidReplay({
      clock: createManualClock(1_770_000_000_000),
      dexes: ['xyz'],
      tickMs: null,
    });
    hl.tick();
    hl.setMark(COIN, 100);
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        {
          coin: COIN,
          szi: '10',
          entryPx: '100',
          leverage: { type: 'isolated', value: 10, rawUsd: '-750' },
        },
      ],
    });
    const config = parseConfig({
      raw: {
        server: { port: 0 },
        database: { path: join(dir, 'w.db') },
        chains: devnet.chains.map((c) =>
          devnetChainEntry(c, { pollIntervalMs: 250, graceSeconds: 4 }),
        ),
        hip3: { apiUrl: hl.url, wsUrl: hl.wsUrl },
        alerts: {
          sinks: [{ name: 'phone', kind: 'webhook', urlEnv: 'TEST_SINK_URL' }],
          retry: { initialDelayMs: 100, maxDelayMs: 500, pollIntervalMs: 50, timeoutMs: 2_000 },
        },
        positions: {
          pollIntervalSeconds: 3600, // the test runs the cycles
          transport: 'rest',
          dependencies: { hyperliquid: { 'oracle-l2': 'prices' } },
          accounts: [{ address: USER, label: 'main', sinks: ['phone'] }],
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
      secrets: { TEST_SINK_URL: `${sink.url}/hook` },
      factories: [createChainsSubject, positionsSubjectFactory({ onStarted: (l) => (loop = l) })],
    });
    await waitFor('the first guard cycle', () => (loop?.cycles ?? 0) >= 1, 10_000);
    await waitFor('both chains up', () => statuses().every((c) => c.status === 'up'), 30_000);
  }, 60_000);
  afterAll(async () => {
    await watcher?.stop();
    await devnet?.stop();
    await hl?.stop();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const statuses = () => chainStatusesByKey(watcher.ops.database!.db);
  const statusOf = (key: string) => statuses().find((c) => c.key === key)?.status;
  const chainOf = (name: string): DevnetChain => devnet.chains.find((c) => c.name === name)!;
  /** Every alert delivered (the chain incidents' too). */
  const deliveredAll = () => sink.hits.filter((h) => h.status === 200).map((h) => h.body as Hit);
  /** The position guard's alerts delivered. */
  const delivered = () => deliveredAll().filter((h) => h.subject.startsWith('position:'));

  async function position() {
    const res = await fetch(`${watcher.url}/v1/positions/${USER}`);
    return (
      (await res.json()) as {
        positions: { level: string; thresholds: { warnPct: number; multiplier: number } }[];
      }
    ).positions[0]!;
  }

  /**
   * Plays the scenario's timeline one step per guard cycle: the chain's halt (waiting until the
   * watcher reads it halted), then each mark step followed by a cycle. Returns the level after
   * each step and the alerts delivered during the walk.
   */
  async function play(s: MarkWalkDuringHaltScenario) {
    const [halt, resume] = s.chain.steps;
    const chain = chainOf(halt!.chain);
    await applyChainAction(chain, halt!.action);
    await waitFor(`${chain.name} halted`, () => statusOf(chain.name) === 'halted', 30_000);
    const before = delivered().length;
    const levels: string[] = [];
    let thresholds: { warnPct: number; multiplier: number } | null = null;
    for (const step of s.market.steps) {
      hl.apply(step.action);
      await loop!.runCycle();
      const p = await position();
      levels.push(p.level);
      thresholds = p.thresholds;
    }
    expect(statusOf(chain.name)).toBe('halted'); // the whole walk ran inside the halt
    await applyChainAction(chain, resume!.action);
    const queued = () => watcher.ops.database!.db.select().from(alertOutbox).all().length;
    await waitFor('every alert delivered', () => deliveredAll().length >= queued(), 10_000);
    return { levels, thresholds, alerts: delivered().slice(before) };
  }

  it('a bridge dependency (Hyperliquid ↔ Arbitrum One) halted: thresholds not multiplied', async () => {
    const { levels, thresholds, alerts } = await play(bridgeWalk);
    expect(levels.indexOf('warn')).toBe(12);
    expect(levels.indexOf('critical')).toBe(17);
    expect(thresholds).toMatchObject({ warnPct: 10, multiplier: 1 });
    expect(alerts.map((a) => [a.transition, a.status])).toEqual([
      ['open', 'warn'],
      ['escalate', 'critical'],
    ]);
    const warn = alerts[0]!.reasons.join('\n');
    expect(warn).toContain('distance to liquidation 9.64 %');
    expect(warn).toContain('warn below 10 %');
    expect(warn).not.toContain('thresholds ×');
  });

  it('a declared prices dependency halted: warn arrives at the doubled threshold, naming the halt', async () => {
    // Back to mark 100: the episode ends (resolved), and the arbitrum-one halt no longer matters.
    hl.setMark(COIN, 100);
    await loop!.runCycle();
    expect((await position()).level).toBe('ok');
    await waitFor('the resolve alert', () => delivered().at(-1)?.status === 'ok', 10_000);
    const { levels, thresholds, alerts } = await play(pricesWalk);
    expect(levels.indexOf('warn')).toBe(2);
    expect(levels.indexOf('critical')).toBe(12);
    expect(thresholds).toMatchObject({ warnPct: 20, multiplier: 2 });
    expect(alerts.map((a) => [a.transition, a.status])).toEqual([
      ['open', 'warn'],
      ['escalate', 'critical'],
    ]);
    const warn = alerts[0]!.reasons.join('\n');
    expect(warn).toContain('distance to liquidation 19.36 %');
    expect(warn).toContain('warn below 20 %');
    expect(warn).toContain('thresholds ×2 while oracle-l2 is halted or recovering');
    expect(warn).not.toContain('arbitrum-one');
    // The chain's own incident reached the same sink.
    expect(deliveredAll().some((h) => h.status === 'halted' && h.subject.includes('1901'))).toBe(
      true,
    );
  });
});
