import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HlMetaAndAssetCtxs, HlPerpDexs } from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenDb, openDb } from '../../db/openDb.js';
import { latestEvents } from '../../db/queries/events.js';
import type { Hip3SampleRow } from '../../db/queries/hip3.js';
import {
  countHip3Samples,
  hip3OracleUpdatesPage,
  hip3TransitionsOf,
  listHip3Markets,
} from '../../db/queries/hip3.js';
import { listIncidents } from '../../db/queries/incidents.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { evaluateMarket } from './evaluateMarket.js';
import { emptyHip3Pending, PENDING_ROWS_MAX } from './hip3Markets.js';
import { createPayloadCounters } from './payloadCounters.js';
import { createHip3Pipeline, readHlFixture } from './testFixtures.js';

const logger = pino({ level: 'silent' });
const perpDexs = HlPerpDexs.parse(readHlFixture('info.perpDexs.mainnet.2025-12-13.json'));
const [meta, ctxs] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
// perpDexs 2025-12-13: xyz's only oracle writer is its setOracle sub-deployer.
const WRITER = '0x1234567890545d1df9ee64b35fdd16966e08acec';
const T0 = Date.UTC(2026, 1, 10, 15);

let dir: string | null = null;
const opened: OpenDb[] = [];
afterEach(() => {
  for (const o of opened.splice(0)) o.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

function engineOn(path: string, now: { t: number }, dexFilter: string[] = ['xyz']) {
  const database = openDb({ path });
  opened.push(database);
  const clock = { now: () => now.t };
  const engine = createHip3Pipeline({
    store: createSqliteStore(database),
    eventLog: new EventLog({ store: createSqliteStore(database), clock, logger }),
    clock,
    logger,
    counters: createPayloadCounters(),
    dexFilter,
    includeMainDex: false,
  });
  engine.applyPerpDexs(perpDexs);
  return { engine, db: database.db, sqlite: database.sqlite, close: () => database.close() };
}

/** Frame k: TSLA's oracle and mark move by k, everything else as recorded. */
const frame = (k: number) => ({
  ctxs: [
    [
      'xyz',
      ctxs.map((r, i) =>
        i === 1
          ? {
              ...(r as object),
              oraclePx: `${400 + k}.0`,
              markPx: `${400 + k}.0`,
              midPx: `${400 + k}.0`,
            }
          : r,
      ),
    ] as [string, unknown[]],
  ],
});

describe('HIP-3 ticker (createHip3Pipeline)', () => {
  it('spreads metrics-only rewrites over ticks instead of rewriting every market at once', async () => {
    const now = { t: T0 };
    const e = engineOn(':memory:', now);
    e.engine.applyMeta('xyz', meta);
    const n = meta.universe.length; // 43 markets; the per-tick floor of the cap is 32
    const writtenPerTick: number[] = [];
    const lastWrite = new Map<string, number>();
    const lastKey = new Map<string, string>();
    let maxGap = 0;
    for (let k = 0; k < 30; k++) {
      now.t += 1000;
      e.engine.ingestFrame({ ctxs: [['xyz', ctxs]] }, now.t);
      await e.engine.tick();
      const rows = listHip3Markets(e.db).filter((r) => r.updatedAt === now.t);
      // Status or reason changes are written at once, uncapped; count the metrics-only rewrites.
      let metricsOnly = 0;
      for (const r of rows) {
        const reasons = JSON.parse(r.reasonsJson) as { code: string; severity: string }[];
        const key = `${r.status} ${reasons.map((x) => `${x.code}:${x.severity}`).join(',')}`;
        if (lastKey.get(r.coin) === key) metricsOnly += 1;
        lastKey.set(r.coin, key);
      }
      writtenPerTick.push(k === 0 ? rows.length : metricsOnly);
      for (const r of rows) {
        const prev = lastWrite.get(r.coin);
        if (prev !== undefined && k >= 10) maxGap = Math.max(maxGap, now.t - prev);
        lastWrite.set(r.coin, now.t);
      }
    }
    // Tick 1 writes every market (unknown → status); afterwards never all at once again
    // (without the cap every 5th tick rewrote all 43).
    expect(writtenPerTick[0]).toBe(n);
    expect(Math.max(...writtenPerTick.slice(1))).toBeLessThanOrEqual(32);
    // …and every market is still rewritten within 5 s plus one tick of delay.
    expect(lastWrite.size).toBe(n);
    expect(maxGap).toBeLessThanOrEqual(6_000);
  });

  it('restart on the same file: replayed frames add no rows, statuses resume without flapping', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-'));
    const path = join(dir, 'w.db');
    const now = { t: T0 };
    const a = engineOn(path, now);
    a.engine.applyMeta('xyz', meta);
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      now.t += 1000;
      times.push(now.t);
      a.engine.ingestFrame(frame(k), now.t);
      await a.engine.tick();
    }
    const samples = countHip3Samples(a.db, 'xyz:TSLA');
    const transitions = hip3TransitionsOf(a.db, 'xyz:TSLA').length;
    expect(samples).toBe(5);
    a.close();
    opened.length = 0;

    // "kill -9" and restart: the stream re-delivers the same frames (same receive times).
    const b = engineOn(path, now);
    b.engine.applyMeta('xyz', meta);
    await b.engine.tick(); // before any data: keeps the persisted status, no "unknown" transition
    for (let k = 0; k < 5; k++) b.engine.ingestFrame(frame(k), times[k] as number);
    await b.engine.tick();
    expect(countHip3Samples(b.db, 'xyz:TSLA')).toBe(samples);
    expect(hip3TransitionsOf(b.db, 'xyz:TSLA')).toHaveLength(transitions);
    expect(listHip3Markets(b.db).find((m) => m.coin === 'xyz:TSLA')?.status).toBe('ok');
  });

  it('handles a new listing, a delisting (halt incident) and a grown ctx array', async () => {
    const now = { t: T0 };
    const e = engineOn(':memory:', now);
    e.engine.applyMeta('xyz', meta, ctxs, now.t);
    await e.engine.tick();
    // The stream starts carrying one more ctx than the known universe: a listing to discover.
    const grown = { ctxs: [['xyz', [...ctxs, ctxs[0]]] as [string, unknown[]]] };
    now.t += 1000;
    expect(e.engine.ingestFrame(grown, now.t).resizedDexes).toEqual(['xyz']);
    const listed = {
      ...meta,
      universe: [...meta.universe, { ...meta.universe[0]!, name: 'xyz:NEW' }],
    };
    const halted = {
      ...listed,
      universe: listed.universe.map((u) =>
        u.name === 'xyz:TSLA' ? { ...u, isDelisted: true } : u,
      ),
    };
    e.engine.applyMeta('xyz', halted, [...ctxs, ctxs[0]], now.t);
    await e.engine.tick();
    const kinds = latestEvents(e.db, { limit: 500 }).map((ev) => `${ev.kind} ${ev.subject.id}`);
    expect(kinds).toContain('market.listed xyz:NEW');
    expect(kinds).toContain('market.delisted xyz:TSLA');
    expect(listHip3Markets(e.db).find((m) => m.coin === 'xyz:TSLA')?.status).toBe('halted');
    const inc = listIncidents(e.db, { subjectId: 'xyz:TSLA', limit: 5 }).items;
    expect(inc.map((i) => i.kind)).toEqual(['hip3-halt']);
    // Markets delisted before we ever saw them are not incidents.
    expect(listIncidents(e.db, { subjectId: 'xyz:COST', limit: 5 }).items).toEqual([]);
  });

  it('re-evaluates a market whose inputs did not change only when a threshold may be crossed', async () => {
    const now = { t: T0 };
    const e = engineOn(':memory:', now);
    e.engine.applyMeta('xyz', meta);
    // TSLA's oracle changes once at T0 + 1 s; afterwards the stream repeats the same rows.
    now.t += 1000;
    e.engine.ingestFrame(frame(1), now.t);
    const changedAt = now.t;
    await e.engine.tick();
    let evaluations = 0;
    let last = e.engine.evaluations().get('xyz:TSLA');
    for (let k = 0; k < 70; k++) {
      now.t += 1000;
      e.engine.ingestFrame(frame(1), now.t);
      await e.engine.tick();
      const ev = e.engine.evaluations().get('xyz:TSLA');
      if (ev !== last) evaluations += 1;
      last = ev;
    }
    // Each rule still fires on the first tick past its threshold (10 s fallback, 60 s dead)…
    const seq = hip3TransitionsOf(e.db, 'xyz:TSLA').map((t) => ({ to: t.toStatus, at: t.at }));
    expect(seq.find((x) => x.to === 'warn')?.at).toBe(changedAt + 11_000);
    expect(seq.find((x) => x.to === 'critical')?.at).toBe(changedAt + 61_000);
    // …but over 70 unchanged ticks the market was evaluated at its deadlines and every 5 s for its
    // metrics (about 70 / 5 + 2 = 16 times), not 70 times.
    expect(evaluations).toBeGreaterThanOrEqual(14);
    expect(evaluations).toBeLessThanOrEqual(18);
  });

  it('builds the metrics only of the markets it writes; what it writes is the full evaluation', async () => {
    const now = { t: T0 };
    const e = engineOn(':memory:', now);
    e.engine.applyMeta('xyz', meta);
    const n = meta.universe.length;
    // Every market's inputs change every second (day volume moves), as on the live stream: all
    // of them are evaluated on every tick, but written only on status changes and every ~5 s.
    const moving = (k: number) => ({
      ctxs: [
        ['xyz', ctxs.map((r) => ({ ...(r as object), dayNtlVlm: `${1_000_000 + k}.5` }))] as [
          string,
          unknown[],
        ],
      ],
    });
    for (let k = 1; k <= 12; k++) {
      now.t += 1000;
      e.engine.ingestFrame(moving(k), now.t);
      await e.engine.tick();
      // The rows this tick wrote carry the metrics of a full evaluation at the tick's time.
      for (const row of listHip3Markets(e.db).filter((r) => r.updatedAt === now.t)) {
        const s = e.engine.states.get(row.coin);
        if (!s) throw new Error(`no state for ${row.coin}`);
        expect(JSON.parse(row.metricsJson)).toEqual(
          JSON.parse(JSON.stringify(evaluateMarket(s, now.t).metrics)),
        );
      }
    }
    const { evaluated, metricsBuilt } = e.engine.counts();
    expect(evaluated).toBe(12 * n);
    // Tick 1 writes every market (unknown → status), then each about every 5 s: ~3 per market.
    expect(metricsBuilt).toBeGreaterThanOrEqual(2 * n);
    expect(metricsBuilt).toBeLessThanOrEqual(4 * n);
  });

  it('a failed commit loses nothing: its samples and transition land with the next commit', async () => {
    const now = { t: T0 };
    const e = engineOn(':memory:', now);
    e.engine.applyMeta('xyz', meta);
    now.t += 1000;
    e.engine.ingestFrame(frame(1), now.t);
    const changedAt = now.t;
    await e.engine.tick();
    expect(listHip3Markets(e.db).find((m) => m.coin === 'xyz:TSLA')?.status).toBe('ok');
    const before = countHip3Samples(e.db, 'xyz:TSLA');

    // Storage refuses writes (as on a read-only file) while TSLA's oracle stops moving and its
    // mark keeps changing: the 10 s fallback (warn at changedAt + 11 s) is crossed meanwhile.
    e.sqlite.pragma('query_only = 1');
    for (let k = 0; k < 12; k++) {
      now.t += 1000;
      e.engine.ingestFrame(
        {
          ctxs: [
            [
              'xyz',
              ctxs.map((r, i) =>
                i === 1 ? { ...(r as object), oraclePx: '401.0', markPx: `${401 + k / 100}` } : r,
              ),
            ] as [string, unknown[]],
          ],
        },
        now.t,
      );
      await expect(e.engine.tick()).rejects.toThrow(/readonly/);
    }
    expect(now.t).toBeGreaterThan(changedAt + 11_000);
    expect(listHip3Markets(e.db).find((m) => m.coin === 'xyz:TSLA')?.status).toBe('ok');

    // Writes come back: the next tick commits the 12 held samples and the transition to warn.
    e.sqlite.pragma('query_only = 0');
    now.t += 1000;
    await e.engine.tick();
    expect(countHip3Samples(e.db, 'xyz:TSLA')).toBe(before + 12);
    expect(listHip3Markets(e.db).find((m) => m.coin === 'xyz:TSLA')?.status).toBe('warn');
    const toWarn = hip3TransitionsOf(e.db, 'xyz:TSLA').filter((t) => t.toStatus === 'warn');
    expect(toWarn.map((t) => t.at)).toEqual([now.t]);
    expect(e.engine.droppedPendingRows()).toBe(0);
  });

  it('a queue held back by failing commits keeps the newest PENDING_ROWS_MAX samples', async () => {
    const e = engineOn(':memory:', { t: T0 });
    const held = emptyHip3Pending();
    held.samples = Array.from(
      { length: PENDING_ROWS_MAX + 5 },
      (_, i) => ({ receivedAt: i }) as unknown as Hip3SampleRow,
    );
    e.engine.requeuePending(held);
    const kept = e.engine.takePending().samples;
    expect(kept).toHaveLength(PENDING_ROWS_MAX);
    expect((kept[0] as unknown as { receivedAt: number }).receivedAt).toBe(5);
    expect(e.engine.droppedPendingRows()).toBe(5);
  });

  it('tickInSlices serves the event loop between slices and commits what tick() would', async () => {
    const nowA = { t: T0 };
    const a = engineOn(':memory:', nowA);
    const nowB = { t: T0 };
    const b = engineOn(':memory:', nowB);
    for (const [e, now] of [
      [a, nowA],
      [b, nowB],
    ] as const) {
      e.engine.applyMeta('xyz', meta);
      now.t += 1000;
      e.engine.ingestFrame(frame(2), now.t);
    }
    await a.engine.tick();
    let servedBetweenSlices = 0;
    const timer = setImmediate(() => {
      servedBetweenSlices += 1;
    });
    // 43 markets in slices of 10: five slices, four yields.
    const pending = b.engine.tickInSlices(10);
    expect(servedBetweenSlices).toBe(0);
    await pending;
    clearImmediate(timer);
    expect(servedBetweenSlices).toBe(1);
    const rows = (db: typeof a.db) =>
      listHip3Markets(db).map((r) => [r.coin, r.status, r.reasonsJson, r.metricsJson]);
    expect(rows(b.db)).toEqual(rows(a.db));
    expect(rows(b.db)).toHaveLength(meta.universe.length);
  });

  it('drops a ctx batch whose size no longer matches the universe instead of mislabelling it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-hip3-resize-'));
    const now = { t: T0 };
    const database = openDb({ path: join(dir, 'w.db') });
    opened.push(database);
    const clock = { now: () => now.t };
    const logLines: string[] = [];
    const capture = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
    const counters = createPayloadCounters();
    const engine = createHip3Pipeline({
      store: createSqliteStore(database),
      eventLog: new EventLog({ store: createSqliteStore(database), clock, logger }),
      clock,
      logger: capture,
      counters,
      dexFilter: ['xyz'],
      includeMainDex: false,
    });
    engine.applyPerpDexs(perpDexs);
    engine.applyMeta('xyz', meta, ctxs, now.t);
    await engine.tick();
    const marksOf = (coin: string) =>
      (
        database.sqlite
          .prepare('SELECT mark_px AS m FROM hip3_samples WHERE coin = ? ORDER BY received_at')
          .all(coin) as { m: string }[]
      ).map((r) => r.m);
    // Fixture order: XYZ100, TSLA, NVDA, …; recorded marks 399.52 (TSLA) and 176.19 (NVDA).
    expect(meta.universe[1]?.name).toBe('xyz:TSLA');
    expect(marksOf('xyz:TSLA')).toEqual(['399.52']);

    // xyz:TSLA leaves the universe (not an append): every row after it moves up one position.
    const withoutTsla = ctxs.filter((_, i) => i !== 1);
    for (let k = 1; k <= 3; k++) {
      now.t += 1000;
      const r = engine.ingestFrame({ ctxs: [['xyz', withoutTsla]] }, now.t);
      expect(r).toMatchObject({ resizedDexes: ['xyz'], dropped: ctxs.length - 1, accepted: 0 });
      await engine.tick();
    }
    // Nothing was stored under TSLA's name from NVDA's row.
    expect(marksOf('xyz:TSLA')).toEqual(['399.52']);
    expect(engine.droppedCtxRows()).toBe(3 * (ctxs.length - 1));
    expect(counters.snapshot()['ws.universeSize']).toBe(3);
    // Logged once for the episode, naming the dex.
    const warned = logLines.filter((l) => l.includes('ctx batch dropped'));
    expect(warned).toHaveLength(1);
    expect(JSON.parse(warned[0]!)).toMatchObject({ dex: 'xyz', ctxs: ctxs.length - 1 });

    // A REST answer whose halves disagree is dropped the same way.
    now.t += 1000;
    engine.applyMeta('xyz', meta, withoutTsla, now.t);
    expect(counters.snapshot()['rest.universeSize']).toBe(1);

    // The refreshed meta lines the rows up again.
    const refreshed = { ...meta, universe: meta.universe.filter((_, i) => i !== 1) };
    now.t += 1000;
    engine.applyMeta('xyz', refreshed, withoutTsla, now.t);
    now.t += 1000;
    const moved = withoutTsla.map((r, i) => (i === 1 ? { ...(r as object), markPx: '177.0' } : r));
    expect(engine.ingestFrame({ ctxs: [['xyz', moved]] }, now.t)).toMatchObject({
      resizedDexes: [],
      dropped: 0,
    });
    await engine.tick();
    expect(marksOf('xyz:NVDA')).toEqual(['176.19', '177.0']);
    expect(marksOf('xyz:TSLA')).toEqual(['399.52']);
  });

  it('remembers the last 1,000 applied txs of each oracle writer, whatever the others post', () => {
    const { engine } = engineOn(':memory:', { t: T0 }, ['xyz', 'flx']);
    // perpDexs 2025-12-13: flx's setOracle sub-deployers (xyz's is WRITER).
    const FLX_WRITER = '0x94757f8dcb4bf73b850195660e959d1105cfedd5';
    const txsOf = (user: string, dex: string, from: number, n: number) => ({
      type: 'userDetails' as const,
      txs: Array.from({ length: n }, (_, i) => ({
        action: { type: 'perpDeploy', setOracle: { dex, oraclePxs: [], markPxs: [] } },
        block: from + i,
        error: null,
        hash: `0x${(from + i).toString(16).padStart(64, '0')}`,
        time: T0 + (from + i) * 3000,
        user,
      })),
    });
    const hash = (k: number) => `0x${k.toString(16).padStart(64, '0')}`;
    engine.applySetOracleTxs(txsOf(WRITER, 'xyz', 0, 600));
    // Another writer's history, larger than the bound, does not push WRITER's out.
    engine.applySetOracleTxs(txsOf(FLX_WRITER, 'flx', 10_000, 1_500));
    engine.applySetOracleTxs(txsOf(WRITER, 'xyz', 600, 600));
    // Addresses are compared in lower case (the explorer and perpDexs spell them so; a caller
    // may not).
    const known = (user: string, from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => engine.knowsTx(user, hash(from + i)));
    expect(known(WRITER.toUpperCase().replace('0X', '0x'), 0, 200).some(Boolean)).toBe(false);
    expect(known(WRITER.toUpperCase().replace('0X', '0x'), 200, 1_200).every(Boolean)).toBe(true);
    expect(known(FLX_WRITER, 10_000, 10_500).some(Boolean)).toBe(false);
    expect(known(FLX_WRITER, 10_500, 11_500).every(Boolean)).toBe(true);
    // One writer's hashes are not another's.
    expect(engine.knowsTx(FLX_WRITER, hash(1_000))).toBe(false);
  });

  it('takes setOracle times only from the dex oracle writers and keeps failed actions as such', async () => {
    const now = { t: T0 };
    const e = engineOn(':memory:', now);
    e.engine.applyMeta('xyz', meta, ctxs, now.t);
    const action = (px: string) => ({
      type: 'perpDeploy',
      setOracle: { dex: 'xyz', oraclePxs: [['xyz:TSLA', px]], markPxs: [[['xyz:TSLA', px]]] },
    });
    const tx = (user: string, time: number, error: string | null, n: number) => ({
      action: action('401.0'),
      block: n,
      error,
      hash: `0x${n.toString(16).padStart(64, '0')}`,
      time,
      user,
    });
    const details = {
      type: 'userDetails' as const,
      txs: [
        tx(WRITER, T0 + 3000, null, 1),
        tx(WRITER, T0 + 6000, 'Invalid oracle updater', 2),
        tx(`0x${'9'.repeat(40)}`, T0 + 9000, null, 3),
      ],
    };
    expect(e.engine.applySetOracleTxs(details)).toBe(2);
    // The explorer re-delivers the same history on the next poll: nothing new to apply.
    expect(e.engine.applySetOracleTxs(details)).toBe(0);
    await e.engine.tick();
    expect(e.engine.states.get('xyz:TSLA')?.setOracleMs).toBe(T0 + 3000);
    const rows = hip3OracleUpdatesPage(e.db, {
      coin: 'xyz:TSLA',
      limit: 10,
      cursor: null,
      source: 'explorer',
    });
    expect(rows.map((r) => [r.at, r.error])).toEqual([
      [T0 + 6000, 'Invalid oracle updater'],
      [T0 + 3000, null],
    ]);
  });
});
