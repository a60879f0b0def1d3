import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HyperliquidReplay, startHyperliquidReplay } from '@perpscope/devnet';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/devnetWatcher.js';
import { startTestSinkServer, type TestSinkServer } from '../../alerts/testSinkServer.js';
import { systemClock } from '../../clock.js';
import { parseConfig } from '../../config/loadConfig.js';
import { latestEvents } from '../../db/queries/events.js';
import { alertOutbox } from '../../db/schema/alerts.js';
import { Env } from '../../env.js';
import { type RunningWatcher, startWatcher } from '../../runtime/startWatcher.js';
import type { AccountStateStream } from './createAccountStateStream.js';
import { addressHash } from './guardedAddress.js';
import type { PositionsLoop } from './positionsLoop.js';
import { positionsSubjectFactory } from './positionsSubject.js';

/*
 * The position guard end to end: the real `@nktkas/hyperliquid` SDK over HTTP against the replay
 * server, a real SQLite file, the real alert outbox delivering to a local webhook sink. The mark of
 * a watched isolated long walks towards its liquidation price (one tier at 10×: mmr 5 %):
 *   10 xyz:TSLA long, entry 100, isolated margin 250 → liquidation at 78.947… (constant), so the
 *   distance at mark m is (m − 78.947)/m: warn (< 10 %) below 87.72, critical (< 5 %) below 83.10;
 *   with 1 point of hysteresis warn is left only at ≥ 11 % (m ≥ 88.70), critical at ≥ 6 % (m ≥ 83.99).
 * Cycles are run one at a time (`runCycle`), so every step is deterministic.
 */
const USER = '0x00000000000000000000000000000000000a11ce';
const LIQ = 78.947_368;

type Hit = {
  transition: string;
  severity: string;
  status: string;
  subject: string;
  incidentId: string;
  reasons: string[];
  title: string;
};

describe('position guard against the Hyperliquid replay', () => {
  let dir: string;
  let sink: TestSinkServer;
  let hl: HyperliquidReplay;
  let watcher: RunningWatcher | null = null;
  let loop: PositionsLoop | null = null;
  let stream: AccountStateStream | null = null;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-guard-'));
    sink = await startTestSinkServer();
    hl = await startHyperliquidReplay({
      dexes: ['xyz'],
      tickMs: null, // prices move only when the test sets them
    });
    hl.setMark('xyz:TSLA', 100);
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        {
          coin: 'xyz:TSLA',
          szi: '10',
          entryPx: '100',
          leverage: { type: 'isolated', value: 10, rawUsd: '-750' },
        },
      ],
    });
    hl.setUser(USER, {
      abstraction: 'default',
      spot: [{ coin: 'USDC', token: 0, cash: '1000.0' }],
    });
  }, 30_000);
  afterAll(async () => {
    await watcher?.stop();
    await hl?.stop();
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot(transport: 'rest' | 'ws' = 'rest') {
    const config = parseConfig({
      raw: {
        server: { port: 0 },
        database: { path: join(dir, 'w.db') },
        hip3: { apiUrl: hl.url, wsUrl: hl.wsUrl },
        alerts: {
          sinks: [{ name: 'phone', kind: 'webhook', urlEnv: 'TEST_SINK_URL' }],
          retry: { initialDelayMs: 100, maxDelayMs: 500, pollIntervalMs: 50, timeoutMs: 2_000 },
        },
        positions: {
          // Only the first cycle runs on the timer; the test runs the others.
          pollIntervalSeconds: 3600,
          // REST by default: `positionsStream.test.ts` runs the same walk over the WebSocket.
          transport,
          accounts: [{ address: USER, label: 'main', sinks: ['phone'] }],
        },
      },
      source: 'test',
      env: Env.parse({}),
    });
    loop = null;
    watcher = await startWatcher({
      config,
      clock: systemClock,
      logger: pino({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' }),
      version: 'test',
      secrets: { TEST_SINK_URL: `${sink.url}/hook` },
      factories: [
        positionsSubjectFactory({
          onStarted: (l, s) => {
            loop = l;
            stream = s;
          },
          streamTiming: { checkIntervalMs: 100, keepAliveMs: 30_000, backoffBaseMs: 100 },
        }),
      ],
    });
    await waitFor('the first guard cycle', () => (loop?.cycles ?? 0) >= 1, 10_000);
  }

  /** Moves the mark, runs one cycle and lets the alert feed (setImmediate) run. */
  async function cycleAt(mark: number | null) {
    if (mark !== null) hl.setMark('xyz:TSLA', mark);
    await loop?.runCycle();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }

  const outboxRows = () => watcher!.ops.database!.db.select().from(alertOutbox).all();
  const delivered = () => sink.hits.filter((h) => h.status === 200).map((h) => h.body as Hit);
  async function allDelivered() {
    const n = outboxRows().length;
    await waitFor(`${n} alerts delivered`, () => delivered().length >= n, 10_000);
    return delivered();
  }
  async function account() {
    const res = await fetch(`${watcher!.url}/v1/positions/${USER}`);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      status: string;
      reason: string | null;
      positions: {
        coin: string;
        level: string;
        lastKnownLevel: string;
        stale: boolean;
        distancePct: string | null;
        distanceSigmas: number | null;
        liquidationPrice: string | null;
        venueLiquidationPrice: string | null;
        markPrice: string;
      }[];
      liquidations: { coin: string; method: string | null }[];
    };
  }

  it('reads the position with the real SDK: ok at mark 100, liquidation price from the math', async () => {
    await boot();
    const a = await account();
    expect(a.status).toBe('ok');
    const p = a.positions[0]!;
    expect(p.coin).toBe('xyz:TSLA');
    expect(p.level).toBe('ok');
    // 78.947… = 100 − 200/10/0.95 (isolated: margin 250 − maintenance 50, one tier at 10×).
    expect(Number(p.liquidationPrice)).toBeCloseTo(LIQ, 4);
    expect(Number(p.venueLiquidationPrice)).toBeCloseTo(LIQ, 4);
    expect(Number(p.distancePct)).toBeCloseTo(21.05, 2);
    // σ of a day's move from the replay's hourly candles (~0.58 % per hour → ~2.8 % a day).
    expect(p.distanceSigmas).toBeGreaterThan(4);
    expect(p.distanceSigmas).toBeLessThan(15);
    expect(outboxRows()).toHaveLength(0);
    // By hash too; an unguarded address is 404, a malformed one 400 naming the field.
    const byHash = await fetch(`${watcher!.url}/v1/positions/${addressHash(USER)}`);
    expect(((await byHash.json()) as { label: string }).label).toBe('main');
    const list = (await (await fetch(`${watcher!.url}/v1/positions`)).json()) as {
      accounts: { addressMasked: string; status: string }[];
    };
    expect(list.accounts).toEqual([
      expect.objectContaining({ addressMasked: '0x0000…11ce', status: 'ok' }),
    ]);
    expect((await fetch(`${watcher!.url}/v1/positions/0x${'1'.repeat(40)}`)).status).toBe(404);
    const bad = await fetch(`${watcher!.url}/v1/positions/0x12`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('address');
  });

  it('sends warn once and critical once while the mark wobbles around each threshold', async () => {
    for (const m of [87, 88.3, 87.9, 88.5]) await cycleAt(m); // warn, then inside the band
    expect((await account()).positions[0]!.level).toBe('warn');
    for (const m of [83, 83.5, 83.9, 83.2]) await cycleAt(m); // critical, then inside the band
    expect((await account()).positions[0]!.level).toBe('critical');
    const hits = await allDelivered();
    expect(hits.map((h) => [h.transition, h.severity, h.status])).toEqual([
      ['open', 'warning', 'warn'],
      ['escalate', 'critical', 'critical'],
    ]);
    const critical = hits[1]!;
    expect(critical.title).toContain('main · xyz:TSLA long');
    expect(critical.reasons.join('\n')).toMatch(
      /distance to liquidation 4\.88 % \(was 10\.\d+ %\)/,
    );
    expect(critical.reasons.join('\n')).toMatch(
      /liquidation price 78\.94\d+ \(venue: 78\.94\d+\), mark 83 \(was 88\.5\)/,
    );
    // Events on the log (and so on the SSE stream), without the address.
    const events = latestEvents(watcher!.ops.database!.db, { limit: 50 });
    const levels = events.filter((e) => e.kind === 'position.level');
    expect(levels.map((e) => e.payload.to).reverse()).toEqual(['warn', 'critical']);
    expect(JSON.stringify(events)).not.toContain(USER.slice(2));
    // Prometheus: labelled by the address hash, never the address.
    const metrics = await (await fetch(`${watcher!.url}/metrics`)).text();
    const hash = addressHash(USER);
    expect(metrics).toContain(
      `perpscope_position_level{account="${hash}",coin="xyz:TSLA",level="critical"} 1`,
    );
    expect(metrics).toMatch(
      new RegExp(
        `perpscope_position_liquidation_distance_ratio\\{account="${hash}",coin="xyz:TSLA"\\} 0\\.0511`,
      ),
    );
    expect(metrics).not.toContain(USER.slice(2));
  });

  it('makes the position unknown (stale) on a 429 or a 500 from the info API, without alerts', async () => {
    const before = outboxRows().length;
    hl.setInfoFault({ kind: 'status', status: 429 });
    await cycleAt(null);
    let a = await account();
    expect(a.status).toBe('unknown');
    expect(a.reason).toBe('Hyperliquid info API answered HTTP 429');
    expect(a.positions[0]).toMatchObject({
      level: 'unknown',
      stale: true,
      lastKnownLevel: 'critical',
    });
    hl.setInfoFault({ kind: 'status', status: 500, types: ['clearinghouseState'] });
    await cycleAt(null);
    a = await account();
    expect(a.reason).toBe('Hyperliquid info API answered HTTP 429'); // nothing new recorded
    expect(a.positions[0]).toMatchObject({ level: 'unknown', stale: true });
    hl.setInfoFault(null);
    await cycleAt(83.5); // back: still critical (inside the band), no second critical alert
    a = await account();
    expect(a.status).toBe('ok');
    expect(a.positions[0]).toMatchObject({ level: 'critical', stale: false });
    expect(outboxRows()).toHaveLength(before);
  });

  it('resumes after a restart mid-incident without repeating an alert', async () => {
    const before = outboxRows().length;
    await watcher!.stop();
    await boot(); // the first cycle ran on the timer
    await cycleAt(83.4);
    expect((await account()).positions[0]!.level).toBe('critical');
    expect(outboxRows()).toHaveLength(before);
    expect(await allDelivered()).toHaveLength(before);
  });

  it('alerts a liquidation fill within one poll, once', async () => {
    const fill = hl.users.liquidate(USER, 'xyz', 'xyz:TSLA');
    expect(fill.liquidation?.method).toBe('market');
    await cycleAt(null); // one poll: the position vanished → fills read → liquidation
    const hits = await allDelivered();
    const liquidated = hits.filter((h) => h.status === 'liquidated');
    expect(liquidated).toHaveLength(1);
    expect(liquidated[0]).toMatchObject({ transition: 'open', severity: 'critical' });
    expect(liquidated[0]!.reasons[0]).toContain('liquidation fill: sold 10 xyz:TSLA at 83.4');
    await cycleAt(null);
    await cycleAt(null);
    const a = await account();
    expect(a.positions).toHaveLength(0);
    expect(a.liquidations).toEqual([
      expect.objectContaining({ coin: 'xyz:TSLA', method: 'market' }),
    ]);
    // No "resolved" after a liquidation, and nothing sent twice.
    expect((await allDelivered()).map((h) => h.status)).toEqual(['warn', 'critical', 'liquidated']);
  });

  it('with transport ws the subject streams the account from hip3.wsUrl and stops reading its states over REST', async () => {
    await watcher!.stop();
    expect(stream).toBeNull(); // the REST boots opened no stream
    hl.setAccount(USER, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        {
          coin: 'xyz:TSLA',
          szi: '10',
          entryPx: '100',
          leverage: { type: 'isolated', value: 10, rawUsd: '-750' },
        },
      ],
    });
    await boot('ws');
    await waitFor('the account snapshot', () => stream?.latest(USER) != null, 10_000);
    const from = hl.requests.length;
    await cycleAt(null);
    expect(hl.requests.slice(from).map((r) => r.type)).not.toContain('clearinghouseState');
    const a = await account();
    expect(a.status).toBe('ok');
    expect(a.positions[0]).toMatchObject({ coin: 'xyz:TSLA', stale: false });
  });
});
