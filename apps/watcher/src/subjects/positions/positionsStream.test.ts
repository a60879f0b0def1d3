import { type HyperliquidReplay, startHyperliquidReplay } from '@perpscope/devnet';
import { createWeightAccountant, infoRequestWeight } from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../clock.js';
import { parseConfig } from '../../config/loadConfig.js';
import { type OpenDb, openDb } from '../../db/openDb.js';
import { latestEvents } from '../../db/queries/events.js';
import { getGuardedAccount, guardedPositionsOf } from '../../db/queries/positions.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { createPayloadCounters } from '../hip3/payloadCounters.js';
import { type AccountStateStream, createAccountStateStream } from './createAccountStateStream.js';
import { addressHash } from './guardedAddress.js';
import { createHlPositionsSource } from './hlPositionsSource.js';
import { createPositionsLoop, type PositionsLoop } from './positionsLoop.js';
import type { StoredPositionState } from './recordPositionChanges.js';

/*
 * The guard over the WebSocket (`positions.transport: ws`): the real `@nktkas/hyperliquid` SDK
 * subscribed to `allDexsClearinghouseState` on the replay server, REST through the same SDK, an
 * in-memory SQLite migrated by the real migrations. The position is the one of
 * `positionsSubject.test.ts` (10 xyz:TSLA long, entry 100, isolated, liquidation at 78.947…), walked
 * through the same marks, so the expected levels are that test's. The watcher clock is manual
 * (`now`), so the freshness bound (two poll intervals = 30 s) is crossed exactly when the test says.
 */
const USER = '0x00000000000000000000000000000000000a11ce';
const logger = pino({ level: 'silent' });
const WALK = [87, 88.3, 87.9, 88.5, 83, 83.5, 83.9, 83.2] as const;
/** `positionsSubject.test.ts`: warn once at 87, critical once at 83, no flapping in the bands. */
const EXPECTED_LEVELS = [
  'warn',
  'warn',
  'warn',
  'warn',
  'critical',
  'critical',
  'critical',
  'critical',
];

describe('position guard over allDexsClearinghouseState', () => {
  let hl: HyperliquidReplay;
  let database: OpenDb;
  let stream: AccountStateStream | null = null;
  let loop: PositionsLoop;
  let now = Date.UTC(2026, 11, 6, 12);

  beforeEach(async () => {
    hl = await startHyperliquidReplay({ dexes: ['xyz'], tickMs: null });
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
  });
  afterEach(async () => {
    await stream?.stop();
    stream = null;
    database?.close();
    await hl.stop();
  });

  /** A loop with (`ws`) or without (`rest`) the stream; the stream's watchdog off unless asked. */
  function setUp(transport: 'ws' | 'rest', checkIntervalMs = 3_600_000) {
    database = openDb({ path: ':memory:' });
    const config = parseConfig({
      raw: { positions: { transport, accounts: [{ address: USER, label: 'main' }] } },
      source: 'test',
      env: Env.parse({}),
    });
    const accountant = createWeightAccountant({ budget: 10_000, now: Date.now });
    const counters = createPayloadCounters(logger);
    if (transport === 'ws')
      stream = createAccountStateStream({
        wsUrl: hl.wsUrl,
        users: [USER],
        now: () => now,
        counters,
        logger,
        silentAfterMs: 30_000,
        checkIntervalMs,
        keepAliveMs: 30_000,
        backoff: { baseMs: 300, maxMs: 300 },
        random: () => 0,
      });
    loop = createPositionsLoop({
      config: config.positions,
      source: createHlPositionsSource({ apiUrl: hl.url, accountant, counters }),
      accountant,
      store: createSqliteStore(database),
      eventLog: new EventLog({ store: createSqliteStore(database), clock: systemClock, logger }),
      now: () => now,
      logger,
      ...(stream ? { stream } : {}),
    });
  }

  const position = () => guardedPositionsOf(database.db, addressHash(USER))[0]!;
  const mark = () => (JSON.parse(position().stateJson) as StoredPositionState).markPrice;
  /** Requests of one cycle, by type. */
  async function cycle(): Promise<string[]> {
    const from = hl.requests.length;
    await loop.runCycle();
    now += 15_000;
    return hl.requests.slice(from).map((r) => r.type);
  }
  /** Moves the mark; over the stream, waits for the push it causes (what HL does within a block). */
  async function moveMark(px: number) {
    const before = stream?.framesReceived ?? 0;
    hl.setMark('xyz:TSLA', px);
    if (stream) await expect.poll(() => stream!.framesReceived).toBeGreaterThan(before);
  }
  async function snapshot() {
    await expect.poll(() => stream?.latest(USER) ?? null).not.toBeNull();
  }

  it.each(['rest', 'ws'] as const)(
    'walks to the same levels and level events as positionsSubject.test.ts (%s)',
    async (transport) => {
      setUp(transport);
      if (transport === 'ws') await snapshot();
      await cycle(); // first cycle: mode, scan, meta
      const levels: string[] = [];
      const stateReads: number[] = [];
      for (const m of WALK) {
        await moveMark(m);
        const types = await cycle();
        levels.push(position().level);
        stateReads.push(types.filter((t) => t === 'clearinghouseState').length);
        expect(mark()).toBe(String(m));
      }
      expect(levels).toEqual(EXPECTED_LEVELS);
      const events = latestEvents(database.db, { limit: 50 }).filter(
        (e) => e.kind === 'position.level',
      );
      expect(events.map((e) => e.payload.to).reverse()).toEqual(['warn', 'critical']);
      // REST weight per steady cycle (measured at the server): 2 (one clearinghouseState) over REST,
      // 0 while the stream serves.
      expect(stateReads).toEqual(Array(WALK.length).fill(transport === 'rest' ? 1 : 0));
      if (transport === 'ws')
        expect(hl.requests.filter((r) => r.endpoint === 'info').map((r) => r.type)).not.toContain(
          'perpDexs',
        );
    },
  );

  it('falls back to REST within one poll when the socket drops, and back to the stream after the reconnect', async () => {
    setUp('ws');
    await snapshot();
    expect(await cycle()).not.toContain('clearinghouseState');
    const accepted = hl.connectionsAccepted;
    hl.apply({ type: 'wsDrop', mode: 'close' });
    await expect.poll(() => stream!.latest(USER)).toBeNull();
    hl.setMark('xyz:TSLA', 87); // the socket is down: only REST can see this
    const during = await cycle();
    expect(during).toContain('clearinghouseState');
    expect(mark()).toBe('87');
    expect(position().level).toBe('warn');
    await expect.poll(() => hl.connectionsAccepted, { timeout: 5_000 }).toBe(accepted + 1);
    await snapshot();
    await moveMark(83);
    const after = await cycle();
    expect(after).not.toContain('clearinghouseState');
    expect(after.reduce((w, t) => w + infoRequestWeight(t), 0)).toBe(0);
    expect(mark()).toBe('83');
    expect(stream!.reconnects).toBe(1);
  });

  it('a stream that stops pushing is not presented as current: REST after two poll intervals, unknown when REST fails', async () => {
    setUp('ws');
    await snapshot();
    await cycle();
    hl.apply({ type: 'wsDrop', mode: 'silent' });
    hl.setMark('xyz:TSLA', 87); // pushed to nobody: the stream still holds mark 100
    // Within the bound the last push (mark 100, level ok) is current enough.
    expect(await cycle()).not.toContain('clearinghouseState');
    expect(position().level).toBe('ok');
    now += 30_000; // the last push is now older than two poll intervals
    hl.setInfoFault({ kind: 'status', status: 429, types: ['clearinghouseState'] });
    expect(await cycle()).toContain('clearinghouseState');
    expect(getGuardedAccount(database.db, addressHash(USER))?.status).toBe('unknown');
    expect(position().level).toBe('unknown');
    hl.setInfoFault(null);
    expect(await cycle()).toContain('clearinghouseState');
    expect(mark()).toBe('87');
    expect(position().level).toBe('warn');
  });

  it('reconnects a mute socket (watchdog) and serves from the stream again', async () => {
    setUp('ws', 50);
    await snapshot();
    await cycle();
    hl.apply({ type: 'wsDrop', mode: 'silent' });
    const accepted = hl.connectionsAccepted;
    now += 31_000; // silent longer than silentAfterMs on the watcher clock
    await expect.poll(() => hl.connectionsAccepted, { timeout: 5_000 }).toBe(accepted + 1);
    await snapshot();
    await moveMark(87);
    expect(await cycle()).not.toContain('clearinghouseState');
    expect(mark()).toBe('87');
  });

  it('subscribes at most 10 users (HL per-IP limit); the others stay on REST', async () => {
    const users = Array.from(
      { length: 12 },
      (_, i) => `0x${(0xa00 + i).toString(16).padStart(40, '0')}` as const,
    );
    stream = createAccountStateStream({
      wsUrl: hl.wsUrl,
      users,
      now: () => now,
      counters: createPayloadCounters(logger),
      logger,
      silentAfterMs: 30_000,
      checkIntervalMs: 3_600_000,
      keepAliveMs: 30_000,
      backoff: { baseMs: 300, maxMs: 300 },
    });
    await expect.poll(() => stream!.framesReceived).toBe(10);
    const subs = hl.requests.filter(
      (r) => r.endpoint === 'ws-subscribe' && r.type === 'allDexsClearinghouseState',
    );
    expect(subs).toHaveLength(10);
    expect(stream.latest(users[9]!)).not.toBeNull();
    expect(stream.latest(users[10]!)).toBeNull();
  });
});
