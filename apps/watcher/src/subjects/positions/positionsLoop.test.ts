import { Writable } from 'node:stream';
import {
  type HyperliquidReplay,
  type ReplayPosition,
  startHyperliquidReplay,
  unifiedAccountPreset,
} from '@perpscope/devnet';
import { createWeightAccountant, infoRequestWeight } from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../clock.js';
import { parseConfig } from '../../config/loadConfig.js';
import { type OpenDb, openDb } from '../../db/openDb.js';
import { upsertChains } from '../../db/queries/chains.js';
import { getGuardedAccount, guardedPositionsOf } from '../../db/queries/positions.js';
import { chainState } from '../../db/schema/chains.js';
import { hip3Markets } from '../../db/schema/hip3.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { createPayloadCounters } from '../hip3/payloadCounters.js';
import { analyzeGuardedAccount } from './analyzeGuardedAccount.js';
import { addressHash } from './guardedAddress.js';
import { createHlPositionsSource } from './hlPositionsSource.js';
import {
  type CreatePositionsLoopParameters,
  createPositionsLoop,
  fundingPerHour,
} from './positionsLoop.js';
import type { StoredPositionState } from './recordPositionChanges.js';

/*
 * The guard loop alone (real SDK → replay server, in-memory SQLite migrated by the real
 * migrations): account modes, empty accounts, a big account on several dexes and its request
 * weight, and the halt multiplier.
 */
const logger = pino({ level: 'silent' });
const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}` as const;

describe('positions loop', () => {
  let hl: HyperliquidReplay;
  let database: OpenDb;
  beforeAll(async () => {
    hl = await startHyperliquidReplay({ dexes: ['xyz', 'flx', 'vntl'], tickMs: null });
  });
  afterAll(async () => {
    await hl?.stop();
  });

  function makeLoop(
    accounts: {
      address: string;
      label: string;
      thresholds?: { warnPct: number; criticalPct: number };
    }[],
    extra: Partial<CreatePositionsLoopParameters> = {},
  ) {
    database = openDb({ path: ':memory:' });
    const config = parseConfig({
      raw: { positions: { accounts } },
      source: 'test',
      env: Env.parse({}),
    });
    const accountant = createWeightAccountant({ budget: 1000, now: Date.now });
    const loop = createPositionsLoop({
      config: config.positions,
      source: createHlPositionsSource({
        apiUrl: hl.url,
        accountant,
        counters: createPayloadCounters(logger),
      }),
      accountant,
      store: createSqliteStore(database),
      eventLog: new EventLog({ store: createSqliteStore(database), clock: systemClock, logger }),
      now: Date.now,
      logger,
      ...extra,
    });
    return { loop, accountant, db: database.db };
  }

  const isolatedLong = (coin: string, entry: number): ReplayPosition => ({
    coin,
    szi: '1',
    entryPx: String(entry),
    leverage: { type: 'isolated', value: 5, rawUsd: String(entry / 5 - entry) },
  });

  it('computes a unified account from its spot pool, agreeing with the venue (never a perp-only figure)', async () => {
    // The replay serves the unified account's liquidationPx from the docs' unified formula in float64,
    // independently of @perpscope/math (devnet answerUserInfo.ts).
    const p = unifiedAccountPreset;
    hl.setUser(p.user, p.mode);
    for (const [dex, account] of Object.entries(p.accounts)) hl.setAccount(p.user, dex, account);
    const { loop, db } = makeLoop([{ address: p.user, label: 'uni' }]);
    await loop.runCycle();
    const account = getGuardedAccount(db, addressHash(p.user))!;
    expect(account.mode).toBe('unifiedAccount');
    expect(account.status).not.toBe('not-computable');
    const rows = guardedPositionsOf(db, addressHash(p.user));
    expect(rows.map((r) => r.coin).sort()).toEqual(['BTC', 'ETH', 'xyz:XYZ100']);
    for (const row of rows) {
      const state = JSON.parse(row.stateJson) as StoredPositionState;
      expect(state.liquidationPrice, row.coin).not.toBeNull();
      expect(state.venueLiquidationPrice, row.coin).not.toBeNull();
      const ours = Number(state.liquidationPrice);
      const venue = Number(state.venueLiquidationPrice);
      expect(Math.abs(ours - venue) / venue, row.coin).toBeLessThan(1e-4);
      expect(state.distancePct, row.coin).not.toBeNull();
      expect(row.level).not.toBe('unknown');
    }
    database.close();
  });

  it('a unified account read as if it were standard would disagree with the venue (the test above can fail)', async () => {
    const p = unifiedAccountPreset;
    hl.setUser(p.user, p.mode);
    for (const [dex, account] of Object.entries(p.accounts)) hl.setAccount(p.user, dex, account);
    const cross = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'clearinghouseState', user: p.user, dex: '' }),
    }).then((r) => r.json());
    const meta = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'meta', dex: '' }),
    }).then((r) => r.json());
    const perpOnly = analyzeGuardedAccount({
      mode: 'default',
      dexStates: [{ dex: '', clearinghouseState: cross, meta }],
      spot: null,
    });
    expect(perpOnly.computable).toBe(true);
    const btc = perpOnly.computable ? perpOnly.positions.find((x) => x.coin === 'BTC') : undefined;
    const ours = btc?.liquidationPrice === null ? null : Number(btc?.liquidationPrice);
    const venue = Number(btc?.exchangeLiquidationPrice);
    expect(ours === null || Math.abs(ours - venue) / venue > 1e-4).toBe(true);
  });

  it('guards an address with no positions: ok, nothing listed', async () => {
    const user = addr(0x102);
    const { loop, db } = makeLoop([{ address: user, label: 'empty' }]);
    await loop.runCycle();
    expect(getGuardedAccount(db, addressHash(user))).toMatchObject({
      status: 'ok',
      mode: 'default',
    });
    expect(guardedPositionsOf(db, addressHash(user))).toEqual([]);
    database.close();
  });

  it('follows 50 positions on 4 dexes within the request budget (measured at the server)', async () => {
    const user = addr(0x103);
    const dexes = ['', 'xyz', 'flx', 'vntl'];
    const coins = new Map<string, string[]>();
    for (const dex of dexes) {
      const body = (await (
        await fetch(`${hl.url}/info`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 'meta', dex }),
        })
      ).json()) as { universe: { name: string; isDelisted?: boolean }[] };
      coins.set(
        dex,
        body.universe.filter((u) => !u.isDelisted).map((u) => u.name),
      );
    }
    let placed = 0;
    for (const [i, dex] of dexes.entries()) {
      const take = (coins.get(dex) ?? []).slice(0, i === 0 ? 14 : 12);
      const positions = take.map((coin) => {
        const px = Number(hl.ctxOf(coin)!.markPx);
        return isolatedLong(coin, px);
      });
      placed += positions.length;
      hl.setAccount(user, dex, { crossRawUsd: '0.0', positions });
    }
    expect(placed).toBe(50);
    const { loop, db, accountant } = makeLoop([{ address: user, label: 'big' }]);
    const from = hl.requests.length;
    await loop.runCycle(); // the first cycle scans every dex and reads the margin tables
    const first = hl.requests.slice(from);
    const mid = hl.requests.length;
    await loop.runCycle(); // a steady cycle: only the dexes with positions
    const steady = hl.requests.slice(mid);
    const weight = (rs: typeof first) => rs.reduce((s, r) => s + infoRequestWeight(r.type), 0);
    const rows = guardedPositionsOf(db, addressHash(user));
    expect(rows).toHaveLength(50);
    expect(rows.every((r) => r.level !== 'unknown')).toBe(true);
    // First (a scan): perpDexs 20 + userAbstraction 20 + 4 × clearinghouseState 2 + 4 × meta 20.
    // A standard account's spot balances are not read (not its collateral).
    const candles = first.filter((r) => r.type === 'candleSnapshot');
    expect(weight(first.filter((r) => r.type !== 'candleSnapshot'))).toBe(20 + 20 + 4 * 2 + 4 * 20);
    // Hourly candles (σ) are low priority: fetched only while ≤ 60 % of the budget is used.
    expect(candles.length).toBeGreaterThan(0);
    expect(candles.length).toBeLessThan(50);
    expect(weight(first)).toBeLessThanOrEqual(0.6 * 1000 + 20);
    // Steady: only the 4 dexes holding positions, 2 each → 8 per account per cycle.
    expect(steady.map((r) => r.type)).toEqual(Array(4).fill('clearinghouseState'));
    expect(weight(steady)).toBe(8);
    expect(accountant.peak).toBeLessThanOrEqual(1000);
    database.close();
  });

  it('multiplies thresholds only while a chain the venue depends on for prices is halted', async () => {
    const user = addr(0x104);
    hl.setMark('flx:GOLD', 100);
    hl.setAccount(user, 'flx', { crossRawUsd: '0.0', positions: [isolatedLong('flx:GOLD', 100)] });
    const accounts = [
      { address: user, label: 'gold', thresholds: { warnPct: 12, criticalPct: 6 } },
    ];
    const halt = (db: ReturnType<typeof makeLoop>['db']) => {
      const chains = parseConfig({
        raw: { chains: ['arbitrum-one', 'base'] },
        source: 'test',
        env: Env.parse({}),
      }).chains;
      upsertChains(db, chains, Date.now());
      for (const c of chains)
        db.insert(chainState)
          .values({
            chainId: c.chainId,
            status: 'halted',
            statusSince: 0,
            stateJson: '{}',
            updatedAt: 0,
          })
          .run();
    };
    // Hyperliquid depends on Arbitrum One for the bridge only: a halt there changes nothing.
    const plain = makeLoop(accounts);
    halt(plain.db);
    await plain.loop.runCycle();
    const s1 = JSON.parse(
      guardedPositionsOf(plain.db, addressHash(user))[0]!.stateJson,
    ) as StoredPositionState;
    expect(s1).toMatchObject({ multiplier: 1, warnPct: 12, criticalPct: 6 });
    database.close();
    // A venue that prices on Base: the same halt doubles the thresholds, with the chain named.
    const priced = makeLoop(accounts, { dependsForPrices: (_v, key) => key === 'base' });
    halt(priced.db);
    await priced.loop.runCycle();
    const s2 = JSON.parse(
      guardedPositionsOf(priced.db, addressHash(user))[0]!.stateJson,
    ) as StoredPositionState;
    expect(s2).toMatchObject({ multiplier: 2, warnPct: 24, criticalPct: 12 });
    expect(s2.reasons.join(' ')).toContain('thresholds ×2 while Base is halted or recovering');
    // The distance (~16 %) is ok against 12 % but warn against 24 %.
    expect(Number(s2.distancePct)).toBeGreaterThan(12);
    expect(Number(s2.distancePct)).toBeLessThan(24);
    expect(guardedPositionsOf(priced.db, addressHash(user))[0]!.level).toBe('warn');
    database.close();
  });

  it('values a position at a fresh mark of the mark source (ctx stream or REST), else at the account state', async () => {
    const user = addr(0x10a);
    hl.setMark('flx:SILVER', 100);
    hl.setAccount(user, 'flx', {
      crossRawUsd: '0.0',
      positions: [isolatedLong('flx:SILVER', 100)],
    });
    // Stand-in for the HIP-3 watch's MarkSource (runtime/markBoard.ts): what it holds per coin.
    let quote: { markPx: string; receivedMs: number; via: 'ws' | 'rest' } | null = null;
    const { loop, db } = makeLoop([{ address: user, label: 'silver' }], {
      marks: { markOf: (coin) => (coin === 'flx:SILVER' ? quote : null) },
    });
    const state = async () => {
      await loop.runCycle();
      return JSON.parse(
        guardedPositionsOf(db, addressHash(user))[0]!.stateJson,
      ) as StoredPositionState;
    };
    quote = { markPx: '90', receivedMs: Date.now() - 1_000, via: 'rest' };
    const fresh = await state();
    expect(fresh).toMatchObject({ markSource: 'ctxRest', markPrice: '90' });
    expect(fresh.markAgeMs).toBeGreaterThanOrEqual(1_000);
    expect(fresh.markAgeMs).toBeLessThan(5_000);
    const liq = Number(fresh.venueLiquidationPrice);
    expect(liq).toBeGreaterThan(70); // 5× isolated long from 100: the same price at any mark
    expect(Number(fresh.distancePct)).toBeCloseTo(((90 - liq) / 90) * 100, 6);
    // Older than ctxMarkMaxAgeSeconds (15): the account state's mark.
    quote = { markPx: '90', receivedMs: Date.now() - 16_000, via: 'ws' };
    const old = await state();
    expect(old).toMatchObject({ markSource: 'accountState' });
    expect(Number(old.markPrice)).toBe(100);
    expect(Number(old.distancePct)).toBeCloseTo(((100 - liq) / 100) * 100, 6);
    // A fresh stream mark: ctxStream. A non-positive one is no mark.
    quote = { markPx: '95', receivedMs: Date.now(), via: 'ws' };
    expect(await state()).toMatchObject({ markSource: 'ctxStream', markPrice: '95' });
    quote = { markPx: '0', receivedMs: Date.now(), via: 'ws' };
    expect(await state()).toMatchObject({ markSource: 'accountState' });
    database.close();
  });

  it('escalates one level while the market oracle (HIP-3 watch) is dead, and says so', async () => {
    const user = addr(0x105);
    hl.setMark('xyz:NVDA', 100);
    hl.setAccount(user, 'xyz', { crossRawUsd: '0.0', positions: [isolatedLong('xyz:NVDA', 100)] });
    const { loop, db } = makeLoop([{ address: user, label: 'nvda' }]);
    await loop.runCycle();
    const level = () => guardedPositionsOf(db, addressHash(user))[0]!;
    expect(level()).toMatchObject({ level: 'ok', baseLevel: 'ok' });
    db.insert(hip3Markets)
      .values({
        coin: 'xyz:NVDA',
        dex: 'xyz',
        metaJson: '{}',
        status: 'critical',
        statusSince: 0,
        reasonsJson: JSON.stringify([{ code: 'oracle_dead', severity: 'critical' }]),
        metricsJson: '{}',
        firstSeenAt: 0,
        updatedAt: 0,
      })
      .run();
    await loop.runCycle();
    expect(level()).toMatchObject({ level: 'warn', knownLevel: 'warn', baseLevel: 'ok' });
    const state = JSON.parse(level().stateJson) as StoredPositionState;
    expect(state.reasons).toContain('oracle critical (oracle_dead): escalated one level');
    database.close();
  });

  it('never logs the full address unless the level is debug', async () => {
    const user = addr(0xabcdef);
    hl.setInfoFault({ kind: 'status', status: 500, types: ['userAbstraction'] });
    try {
      for (const level of ['info', 'debug'] as const) {
        const lines: string[] = [];
        const sink = new Writable({
          write(chunk, _enc, done) {
            lines.push(String(chunk));
            done();
          },
        });
        const { loop } = makeLoop([{ address: user, label: 'log' }], {
          logger: pino({ level }, sink),
        });
        await loop.runCycle();
        const text = lines.join('');
        expect(text).toContain('account read failed');
        if (level === 'info') {
          expect(text).not.toContain(user.slice(2));
          expect(text).toContain('0x0000…cdef');
        } else expect(text).toContain(user);
        database.close();
      }
    } finally {
      hl.setInfoFault(null);
    }
  });

  it('derives funding per hour from cumFunding.sinceOpen across funding hours (no extra request)', async () => {
    const user = addr(0x106);
    hl.setMark('xyz:PLTR', 100);
    const position = (sinceOpen: string) => ({
      ...isolatedLong('xyz:PLTR', 100),
      cumFundingSinceOpen: sinceOpen,
    });
    hl.setAccount(user, 'xyz', { crossRawUsd: '0.0', positions: [position('1.5')] });
    let now = Date.UTC(2026, 11, 6, 10, 30);
    const { loop, db } = makeLoop([{ address: user, label: 'funding' }], { now: () => now });
    const state = () =>
      JSON.parse(guardedPositionsOf(db, addressHash(user))[0]!.stateJson) as StoredPositionState;
    await loop.runCycle();
    expect(state()).toMatchObject({ fundingSinceOpen: '1.5', fundingLastHour: null });
    now += 20 * 60_000; // 10:50, same hour
    hl.setAccount(user, 'xyz', { crossRawUsd: '0.0', positions: [position('1.5')] });
    await loop.runCycle();
    expect(state().fundingLastHour).toBeNull();
    now += 15 * 60_000; // 11:05: paid 0.25 at 11:00
    hl.setAccount(user, 'xyz', { crossRawUsd: '0.0', positions: [position('1.75')] });
    await loop.runCycle();
    expect(state()).toMatchObject({ fundingSinceOpen: '1.75', fundingLastHour: '0.25' });
    database.close();
    // Missed reads: the average over the hours in between; a received rebate is negative.
    expect(
      fundingPerHour(
        { fundingHourMark: { hour: 10, sinceOpen: '2' }, fundingLastHour: null },
        '1.4',
        13 * 3_600_000,
      ),
    ).toEqual({ fundingHourMark: { hour: 13, sinceOpen: '1.4' }, fundingLastHour: '-0.2' });
  });
});
