import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createManualClock,
  type HyperliquidReplay,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/devnetWatcher.js';
import { startTestSinkServer, type TestSinkServer } from '../../alerts/testSinkServer.js';
import { systemClock } from '../../clock.js';
import { parseConfig } from '../../config/loadConfig.js';
import { Env } from '../../env.js';
import { type RunningWatcher, startWatcher } from '../../runtime/startWatcher.js';
import { type Hip3Internals, hip3SubjectFactory } from '../hip3/hip3Subject.js';
import type { PositionsLoop } from './positionsLoop.js';
import { positionsSubjectFactory } from './positionsSubject.js';

/*
 * The guard values positions at the HIP-3 watch's ctx marks (issue 16: "mark prices from the
 * HIP-3/ctx stream the watcher already runs"): the whole watcher with both subjects, the real SDK
 * against the replay server, a local alert sink. The replay's account state lags (it keeps valuing
 * the position at 100, `holdAccountMark`) while the ctx stream moves to 87:
 *   10 xyz:TSLA long, entry 100, isolated 10× → liquidation 78.947… (mark-independent), so at the
 *   account-state mark 100 the distance is 21.05 % (ok), at the ctx mark 87 it is 9.26 % (< 10: warn).
 * The replay runs on a manual clock (no oracle writes, no noise): its marks are what the test sets.
 */
const USER = '0x00000000000000000000000000000000000a11ce';
const COIN = 'xyz:TSLA';

type Position = {
  coin: string;
  level: string;
  markPrice: string;
  markSource: string;
  markAgeSeconds: number;
  distancePct: string | null;
  venueLiquidationPrice: string | null;
};

describe('position guard: mark from the HIP-3 ctx stream', () => {
  let dir: string;
  let sink: TestSinkServer;
  let hl: HyperliquidReplay;
  let watcher: RunningWatcher | null = null;
  let loop: PositionsLoop | null = null;
  let hip3: Hip3Internals | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-guard-mark-'));
    sink = await startTestSinkServer();
    hl = await startHyperliquidReplay({
      clock: createManualClock(1_770_000_000_000),
      dexes: ['xyz'],
      tickMs: null,
    });
    hl.tick(); // the first step writes the oracle once; after it the manual clock freezes prices
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
        chains: [],
        hip3: {
          enabled: true,
          apiUrl: hl.url,
          wsUrl: hl.wsUrl,
          dexes: ['xyz'],
          explorer: { enabled: false },
          // The replay's oracle is frozen between the test's moves: no fallback/dead escalation.
          thresholds: { fallbackAfterSeconds: 600, deadAfterSeconds: 1200 },
        },
        alerts: {
          sinks: [{ name: 'phone', kind: 'webhook', urlEnv: 'TEST_SINK_URL' }],
          retry: { initialDelayMs: 100, maxDelayMs: 500, pollIntervalMs: 50, timeoutMs: 2_000 },
        },
        positions: {
          pollIntervalSeconds: 3600, // the test runs the cycles
          transport: 'rest',
          ctxMarkMaxAgeSeconds: 2,
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
      factories: [
        hip3SubjectFactory({ onStarted: (i) => (hip3 = i) }),
        positionsSubjectFactory({ onStarted: (l) => (loop = l) }),
      ],
    });
    await waitFor('the first guard cycle', () => (loop?.cycles ?? 0) >= 1, 10_000);
    await waitFor('a ctx sample of xyz:TSLA', () => hip3?.markets.states.get(COIN)?.ctx, 10_000);
  }, 30_000);
  afterAll(async () => {
    await watcher?.stop();
    await hl?.stop();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function position(): Promise<Position> {
    const res = await fetch(`${watcher!.url}/v1/positions/${USER}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { positions: Position[] }).positions[0]!;
  }

  /** Moves the ctx stream's mark (one pushed frame) and waits until the HIP-3 watch has it. */
  async function ctxMarkTo(px: number) {
    hl.setMark(COIN, px);
    hl.tick();
    const want = hl.ctxOf(COIN)?.markPx;
    await waitFor(
      `ctx mark ${px}`,
      () => hip3?.markets.states.get(COIN)?.ctx?.markPx === want,
      5_000,
    );
  }

  it('crosses warn from the ctx mark while the account state still values the position at 100', async () => {
    await ctxMarkTo(100);
    await loop!.runCycle();
    expect(await position()).toMatchObject({ level: 'ok', markSource: 'ctxStream' });

    hl.holdAccountMark(COIN, 100); // the account state lags from here on
    await ctxMarkTo(87);
    await loop!.runCycle();
    const p = await position();
    expect(p).toMatchObject({ level: 'warn', markSource: 'ctxStream', markPrice: '87.0' });
    expect(p.markAgeSeconds).toBeLessThanOrEqual(2);
    // (87 − 78.947…) / 87 — from the ctx mark; the account state alone says 21.05 %.
    expect(Number(p.distancePct)).toBeCloseTo(9.256, 2);
    expect(Number(p.venueLiquidationPrice)).toBeCloseTo(78.947_368, 4);

    const n = () => sink.hits.filter((h) => h.status === 200).length;
    await waitFor('the warn alert', () => n() >= 1, 10_000);
    const warn = sink.hits[0]!.body as { status: string; reasons: string[] };
    expect(warn.status).toBe('warn');
    expect(warn.reasons.join('\n')).toMatch(
      /mark 87 \(was 100\) from the HIP-3 ctx stream, \d s old/,
    );
  });

  it('falls back to the account state’s mark once the ctx mark is older than ctxMarkMaxAgeSeconds', async () => {
    await new Promise((r) => setTimeout(r, 2_300)); // no frame: the ctx mark ages past 2 s
    await loop!.runCycle();
    const p = await position();
    expect(p).toMatchObject({ markSource: 'accountState', markPrice: '100' });
    expect(Number(p.distancePct)).toBeCloseTo(21.05, 2);
    expect(p.level).toBe('ok');
  });
});
