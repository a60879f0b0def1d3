import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildClearinghouseState, type ReplayAccount } from '@perpscope/devnet';
import {
  createWeightAccountant,
  HlClearinghouseState,
  infoRequestWeight,
} from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { test } from 'vitest';
import { systemClock } from '../../clock.js';
import { parseConfig } from '../../config/loadConfig.js';
import { openDb } from '../../db/openDb.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { analyzeGuardedAccount } from './analyzeGuardedAccount.js';
import { evaluatePosition } from './evaluatePosition.js';
import type { PositionsSource } from './hlPositionsSource.js';
import { createPositionsLoop } from './positionsLoop.js';

/*
 * Issue 16 / SPEC §3.4 benchmark: 100 guarded accounts × 10 positions (5 on each of two HIP-3
 * dexes; 9 HIP-3 dexes + the main dex exist, as on mainnet in 2026-06), through the real loop,
 * evaluator and SQLite file (WAL, real migrations); the venue is an in-process source answering
 * the recorded `clearinghouseState` shape (`buildClearinghouseState` of @perpscope/devnet) with
 * marks that move every cycle, so levels cross and events are written.
 * Reports: request weight per cycle and per minute vs the default budget (1000/min) at the default
 * cadence and the cadence that fits; evaluation time per account; RSS growth over many cycles.
 */
const ACCOUNTS = 100;
const HELD_DEXES = ['xyz', 'flx'];
const ALL_DEXES = ['xyz', 'flx', 'vntl', 'hyna', 'km', 'abcd', 'cash', 'para', 'mkts'];
const logger = pino({ level: 'silent' });
const addr = (n: number) => `0x${(n + 1).toString(16).padStart(40, '0')}` as const;

function accountOf(dex: string, i: number): ReplayAccount {
  return {
    crossRawUsd: '0.0',
    positions: Array.from({ length: 5 }, (_, k) => ({
      coin: `${dex}:C${k}`,
      szi: k % 2 ? '-3' : '2',
      entryPx: String(100 + k + (i % 7)),
      leverage: { type: 'isolated' as const, value: 10, rawUsd: k % 2 ? '345' : '-180' },
      maxLeverage: 10,
    })),
  };
}

test('position guard: 100 accounts × 10 positions', async ({ bench }) => {
  let tick = 0;
  const calls = new Map<string, number>();
  const count = (type: string) => calls.set(type, (calls.get(type) ?? 0) + 1);
  const markOf = (coin: string) =>
    100 + 8 * Math.sin(tick / 7 + coin.length + coin.charCodeAt(coin.length - 1));
  const counted = <T>(type: string, value: T) => {
    count(type);
    return value;
  };
  const source: PositionsSource = {
    perpDexs: async () => counted('perpDexs', ALL_DEXES),
    userAbstraction: async () => counted('userAbstraction', 'default' as const),
    spotClearinghouseState: async () => counted('spotClearinghouseState', { balances: [] }),
    clearinghouseState: async (user, dex) => {
      count('clearinghouseState');
      const i = Number.parseInt(user.slice(2), 16);
      const account = HELD_DEXES.includes(dex)
        ? accountOf(dex, i)
        : { crossRawUsd: '0.0', positions: [] };
      return HlClearinghouseState.parse(
        buildClearinghouseState({ account, markOf, maxLeverageOf: () => 10, timeMs: Date.now() }),
      );
    },
    meta: async () => counted('meta', null),
    userFillsByTime: async () => counted('userFillsByTime', []),
    hourlyCloses: async () =>
      counted(
        'candleSnapshot',
        Array.from({ length: 25 }, (_, k) => String(100 + Math.sin(k) * 2)),
      ),
  };
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-guard-bench-'));
  const database = openDb({ path: join(dir, 'g.db') });
  const config = parseConfig({
    raw: {
      positions: {
        accounts: Array.from({ length: ACCOUNTS }, (_, n) => ({
          address: addr(n),
          label: `a${n}`,
        })),
      },
    },
    source: 'bench',
    env: Env.parse({}),
  });
  const loop = createPositionsLoop({
    config: config.positions,
    source,
    // Unlimited here: the weight is counted per request type and judged against the budget below.
    accountant: createWeightAccountant({ budget: 1e12, now: Date.now }),
    store: createSqliteStore(database),
    eventLog: new EventLog({ store: createSqliteStore(database), clock: systemClock, logger }),
    now: Date.now,
    logger,
  });
  const weightOf = () => {
    let w = 0;
    for (const [type, n] of calls) w += infoRequestWeight(type) * n;
    return w;
  };

  // 1) Request weight: the first cycle (scan of every dex, modes, margin tables), then a steady one.
  await loop.runCycle();
  const firstWeight = weightOf();
  calls.clear();
  tick += 1;
  await loop.runCycle();
  const steadyWeight = weightOf();
  const steadyCalls = Object.fromEntries(calls);
  const p = config.positions;
  // Periodic extras per minute: a scan of every dex (10 × 2 per account), the mode (20 per account),
  // margin tables (20 per dex with positions), perpDexs (20) and hourly candles (20 per coin held),
  // each at its refresh period.
  const extrasPerMinute =
    (ACCOUNTS * (ALL_DEXES.length + 1) * 2 * 60) / p.dexScanIntervalSeconds +
    (ACCOUNTS * 20 * 60) / p.modeRefreshSeconds +
    (HELD_DEXES.length * 20 * 60) / p.metaRefreshSeconds +
    (20 * 60) / p.dexScanIntervalSeconds +
    (HELD_DEXES.length * 5 * 20 * 60) / p.volatilityRefreshSeconds;
  const budget = config.hip3.weightBudgetPerMinute;
  const perMinuteAtDefault = (steadyWeight * 60) / p.pollIntervalSeconds + extrasPerMinute;
  const fittingCadence = (steadyWeight * 60) / (budget - extrasPerMinute);
  console.log(
    `weight: first cycle ${firstWeight}; steady cycle ${steadyWeight} (${JSON.stringify(steadyCalls)}); periodic extras ${extrasPerMinute.toFixed(0)}/min`,
  );
  console.log(
    `weight per minute at the default cadence (${p.pollIntervalSeconds} s): ${perMinuteAtDefault.toFixed(0)} vs budget ${budget} → fits from a ${fittingCadence.toFixed(1)} s cadence (guard alone); accounts that fit at ${p.pollIntervalSeconds} s: ${Math.floor((budget * ACCOUNTS) / perMinuteAtDefault)}`,
  );

  // 2) Evaluation per account: the pure part (math + evaluator) for one 10-position account.
  const states = HELD_DEXES.map((dex) => ({
    dex,
    clearinghouseState: HlClearinghouseState.parse(
      buildClearinghouseState({
        account: accountOf(dex, 3),
        markOf,
        maxLeverageOf: () => 10,
        timeMs: 0,
      }),
    ),
    meta: null,
  }));
  const pure = await bench('analyze + evaluate one account (10 positions)', () => {
    const risk = analyzeGuardedAccount({ mode: 'default', dexStates: states, spot: null });
    if (!risk.computable) throw new Error('not computable');
    for (const pos of risk.positions)
      evaluatePosition({
        distancePct: pos.distancePct === null ? null : Number(pos.distancePct),
        previousBaseLevel: 'ok',
        warnPct: 10,
        criticalPct: 5,
        hysteresisPct: 1,
        multiplier: 1,
        oracle: null,
      });
  }).run();
  console.log(`evaluation per account (pure): p50 ${(pure.latency.p50 * 1000).toFixed(0)} µs`);
  // The whole cycle per account, reads from the in-process source, evaluation and SQLite commit.
  const cycle = await bench(
    'one cycle of 100 accounts (source + evaluation + SQLite)',
    async () => {
      tick += 1;
      await loop.runCycle();
    },
  ).run();
  console.log(
    `cycle of ${ACCOUNTS} accounts: p50 ${cycle.latency.p50.toFixed(1)} ms → ${((cycle.latency.p50 * 1000) / ACCOUNTS).toFixed(0)} µs per account incl. the commit`,
  );

  // 3) RSS growth over many cycles after warm-up (marks move, levels cross, events accumulate).
  for (let i = 0; i < 20; i++) {
    tick += 1;
    await loop.runCycle();
    await new Promise((r) => setTimeout(r, 0));
  }
  globalThis.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const CYCLES = Number(process.env.GUARD_BENCH_CYCLES ?? 600);
  for (let i = 0; i < CYCLES; i++) {
    tick += 1;
    await loop.runCycle();
    // A turn of the event loop between cycles, as the timer gives in production: native statement
    // memory of drizzle's per-call statements is freed by GC callbacks that need one (AGENTS.md).
    await new Promise((r) => setTimeout(r, 0));
  }
  globalThis.gc?.();
  const rss1 = process.memoryUsage().rss;
  const heap1 = process.memoryUsage().heapUsed;
  const mb = (b: number) => (b / 2 ** 20).toFixed(1);
  console.log(
    `after warm-up RSS ${mb(rss0)} MB, heap ${mb(heap0)} MB → after ${CYCLES} more cycles (${CYCLES * ACCOUNTS * 10} position evaluations) RSS ${mb(rss1)} MB (${mb(rss1 - rss0)}), heap ${mb(heap1)} MB (${mb(heap1 - heap0)})${globalThis.gc ? ', after forced GC' : ' (no --expose-gc: garbage included)'}`,
  );
  database.close();
  rmSync(dir, { recursive: true, force: true });
}, 600_000);
