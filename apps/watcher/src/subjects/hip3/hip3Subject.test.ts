import {
  createManualClock,
  createScaledClock,
  type HyperliquidReplay,
  hyperliquidScenarios,
  type ManualClock,
  type ReplayClock,
  type ReplayScenario,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { infoRequestWeight } from '@perpscope/hyperliquid';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WatcherConfig } from '../../config/configSchema.js';
import { type OpenDb, openDb } from '../../db/openDb.js';
import {
  hip3OracleUpdatesPage,
  hip3SamplesOf,
  hip3TransitionsOf,
  listHip3Markets,
  listHip3StreamGaps,
} from '../../db/queries/hip3.js';
import { listIncidents } from '../../db/queries/incidents.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { createLogger, type Logger } from '../../logger.js';
import type { Subject } from '../../runtime/subject.js';
import { type Hip3Internals, hip3SubjectFactory } from './hip3Subject.js';

const logger = createLogger({ level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Harness = {
  hl: HyperliquidReplay;
  clock: ReplayClock;
  db: OpenDb['db'];
  internals: Hip3Internals;
  subject: Subject;
};

/**
 * Replay server + HIP-3 subject sharing one scaled clock (protocol seconds run `scale`× faster), the
 * real SDK in between and a real migrated in-memory SQLite database.
 */
async function start(params: {
  /** Scaled clock (protocol seconds per real second), or `'manual'`: see {@link stepSeconds}. */
  scale: number | 'manual';
  scenario?: ReplayScenario;
  hip3?: Record<string, unknown>;
  wsUrl?: string;
  logger?: Logger;
  /** `setOracle` txs each writer's explorer history holds at the start (the replay's option). */
  explorerHistoryTxs?: number;
}): Promise<Harness & { closeDb: () => void }> {
  const t0 = Date.UTC(2026, 1, 10, 15);
  const manual = params.scale === 'manual';
  const clock = manual
    ? createManualClock(t0)
    : createScaledClock({ scale: params.scale as number, startMs: t0 });
  const hl = await startHyperliquidReplay({
    clock,
    dexes: ['xyz', 'flx'],
    ...(manual ? { tickMs: null } : {}),
    ...(params.explorerHistoryTxs === undefined
      ? {}
      : { explorerHistoryTxs: params.explorerHistoryTxs }),
  });
  cleanups.push(() => hl.stop());
  const database = openDb({ path: ':memory:' });
  let closed = false;
  const closeDb = () => {
    if (!closed) database.close();
    closed = true;
  };
  cleanups.push(closeDb);
  const eventLog = new EventLog({ store: createSqliteStore(database), clock, logger });
  const config = WatcherConfig.parse({
    chains: [],
    hip3: {
      enabled: true,
      apiUrl: hl.url,
      explorerUrl: hl.url,
      wsUrl: params.wsUrl ?? hl.wsUrl,
      explorer: { enabled: false },
      ...params.hip3,
    },
  });
  let internals: Hip3Internals | null = null;
  const subject = hip3SubjectFactory({
    timeScale: manual ? 1 : (params.scale as number),
    onStarted: (i) => {
      internals = i;
    },
  })({
    config,
    store: createSqliteStore(database),
    eventLog,
    clock,
    logger: params.logger ?? logger,
  });
  if (!subject) throw new Error('hip3 subject disabled');
  await subject.start();
  cleanups.push(() => subject.stop());
  if (params.scenario) hl.play(params.scenario);
  return {
    hl,
    clock,
    db: database.db,
    internals: internals as unknown as Hip3Internals,
    subject,
    closeDb,
  };
}

/**
 * Deterministic time for timing assertions on a loaded machine: advances the manual clock one
 * protocol second at a time, has the replay server push one frame, waits until the watcher's
 * stream has ingested it, then runs one evaluation. Lateness of the real scheduler cannot move
 * a transition by even one step.
 */
async function stepSeconds(h: Harness, seconds: number) {
  const clock = h.clock as ManualClock;
  for (let i = 0; i < seconds; i++) {
    const stream = h.internals.stream();
    const before = stream?.framesReceived ?? 0;
    clock.advance(1000);
    h.hl.tick();
    const deadline = Date.now() + 10_000;
    while ((h.internals.stream()?.framesReceived ?? 0) === before) {
      if (Date.now() > deadline)
        throw new Error('the watcher did not receive the frame within 10 s');
      await new Promise((r) => setTimeout(r, 1));
    }
    await h.internals.ticker.tick();
  }
}

const statusOf = (db: OpenDb['db'], coin: string) =>
  listHip3Markets(db).find((m) => m.coin === coin)?.status;

/** Status sequence of a coin from the transition log, collapsed. */
const sequence = (db: OpenDb['db'], coin: string) =>
  hip3TransitionsOf(db, coin).map((t) => ({ to: t.toStatus, at: t.at }));

describe('HIP-3 subject against the replay server (real SDK, scaled clock)', () => {
  it('stop() awaits the loop step in flight: nothing is written or logged after the database closes', async () => {
    const lines: string[] = [];
    const captured = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const h = await start({
      scale: 'manual',
      logger: captured,
      hip3: { discoveryIntervalSeconds: 1 },
    });
    // The next periodic discovery is held by the server for 1.5 s: its answer (dex rows to write)
    // arrives while the subject is stopping.
    h.hl.setInfoFault({ kind: 'hang', ms: 1_500, types: ['perpDexs'] });
    const client = h.internals.client;
    const perpDexs = client.perpDexs.bind(client);
    const called = new Promise<void>((resolve) => {
      client.perpDexs = () => {
        resolve();
        return perpDexs();
      };
    });
    await called;
    const heldAt = Date.now();
    await h.subject.stop();
    const stoppedAfterMs = Date.now() - heldAt;
    h.closeDb();
    lines.length = 0;
    // Had stop() returned early, the held answer would now be written into the closed database.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual([]);
    // …and stop() returned only once the held answer was in.
    expect(stoppedAfterMs).toBeGreaterThanOrEqual(1_000);
    expect(h.hl.requests.filter((r) => r.type === 'perpDexs').length).toBe(2);
  });

  it('oracle stall: warn 10 s after the last oracle change, critical after 60 s', async () => {
    const h = await start({ scale: 'manual' });
    await expect.poll(() => h.internals.stream()?.up, { timeout: 10_000 }).toBe(true);
    h.hl.play(hyperliquidScenarios.oracleStall({ coin: 'xyz:TSLA', startMs: 5_000 }));
    await stepSeconds(h, 80);
    const seq = sequence(h.db, 'xyz:TSLA');
    const warn = seq.find((s) => s.to === 'warn');
    const critical = seq.find((s) => s.to === 'critical');
    // Last observed oracle change before the stall (receive time).
    const samples = hip3SamplesOf(h.db, 'xyz:TSLA').filter((s) => s.receivedAt <= (warn?.at ?? 0));
    let lastChange = samples[0]?.receivedAt ?? 0;
    for (let i = 1; i < samples.length; i++) {
      if (samples[i]?.oraclePx !== samples[i - 1]?.oraclePx)
        lastChange = samples[i]?.receivedAt ?? 0;
    }
    expect(warn!.at - lastChange).toBeGreaterThan(10_000);
    expect(warn!.at - lastChange).toBeLessThanOrEqual(11_000);
    expect(critical!.at - lastChange).toBeGreaterThan(60_000);
    expect(critical!.at - lastChange).toBeLessThanOrEqual(61_000);
    // No critical before warn, nothing else in between.
    expect(seq.map((s) => s.to).slice(0, 3)).toEqual(['ok', 'warn', 'critical']);
    // Another market of the same dex stays ok throughout.
    expect(sequence(h.db, 'xyz:NVDA').map((s) => s.to)).toEqual(['ok']);
    const incidents = listIncidents(h.db, {
      subjectType: 'market',
      subjectId: 'xyz:TSLA',
      limit: 10,
    }).items;
    expect(incidents[0]?.kind).toBe('hip3-status');
    expect(incidents[0]?.severity).toBe('critical');
  });

  it('depeg: L1 (watch) first, L2 (warn) only after 30 s at ≥ 5 %, L3 (critical) after 5 min', async () => {
    const h = await start({ scale: 'manual' });
    await expect.poll(() => h.internals.stream()?.up, { timeout: 10_000 }).toBe(true);
    h.hl.play(hyperliquidScenarios.depeg({ coin: 'flx:GOLD', startMs: 5_000 }));
    await stepSeconds(h, 340);
    expect(statusOf(h.db, 'flx:GOLD')).toBe('critical');
    const seq = sequence(h.db, 'flx:GOLD');
    expect(seq.map((s) => s.to).slice(0, 4)).toEqual(['ok', 'watch', 'warn', 'critical']);
    const samples = hip3SamplesOf(h.db, 'flx:GOLD');
    const dev = (s: (typeof samples)[number]) =>
      Math.max(
        Math.abs(Number(s.markPx) / Number(s.oraclePx) - 1),
        s.midPx === null ? 0 : Math.abs(Number(s.midPx) / Number(s.oraclePx) - 1),
      );
    const first5 = samples.find((s) => dev(s) >= 0.05)!.receivedAt;
    const warn = seq.find((s) => s.to === 'warn')!.at;
    const critical = seq.find((s) => s.to === 'critical')!.at;
    expect(warn - first5).toBeGreaterThanOrEqual(30_000);
    expect(warn - first5).toBeLessThanOrEqual(31_000);
    expect(critical - first5).toBeGreaterThanOrEqual(300_000);
    expect(critical - first5).toBeLessThanOrEqual(301_000);
  });

  it('WS drop without close: reconnects, marks the gap, stores no duplicated samples', async () => {
    const h = await start({
      scale: 20,
      hip3: { wsStaleSeconds: 6, restFallbackIntervalSeconds: 2 },
    });
    await expect.poll(() => h.internals.stream()?.up, { timeout: 10_000 }).toBe(true);
    h.hl.play(hyperliquidScenarios.wsDropSilent({ startMs: 1_000 }));
    await expect
      .poll(() => h.hl.connectionsAccepted, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    await expect
      .poll(() => listHip3StreamGaps(h.db).length, { timeout: 10_000, interval: 100 })
      .toBeGreaterThanOrEqual(1);
    const gap = listHip3StreamGaps(h.db)[0]!;
    expect(gap.toAt - gap.fromAt).toBeGreaterThanOrEqual(6_000);
    await expect.poll(() => h.internals.stream()?.up, { timeout: 5_000 }).toBe(true);
    for (const coin of ['xyz:TSLA', 'flx:GOLD']) {
      const s = hip3SamplesOf(h.db, coin);
      for (let i = 1; i < s.length; i++) {
        const a = s[i - 1]!;
        const b = s[i]!;
        const same =
          a.oraclePx === b.oraclePx &&
          a.markPx === b.markPx &&
          a.midPx === b.midPx &&
          a.funding === b.funding &&
          a.openInterest === b.openInterest &&
          a.premium === b.premium &&
          a.dayNtlVlm === b.dayNtlVlm;
        expect(same, `${coin} duplicate at ${b.receivedAt}`).toBe(false);
      }
    }
    const streamIncidents = listIncidents(h.db, { subjectType: 'hip3-stream', limit: 10 }).items;
    expect(streamIncidents.length).toBeGreaterThanOrEqual(1);
  });

  it('REST fallback with no stream keeps the weight budget (accountant and server agree)', async () => {
    const budget = 200;
    const h = await start({
      scale: 20,
      // Nothing listens there: the stream never delivers, so the REST fallback runs all the time.
      wsUrl: 'ws://127.0.0.1:9/ws',
      hip3: {
        weightBudgetPerMinute: budget,
        restFallbackIntervalSeconds: 1,
        limitsIntervalSeconds: 5,
      },
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(h.internals.accountant.peak).toBeLessThanOrEqual(budget);
    expect(h.internals.accountant.refused).toBeGreaterThan(0);
    const spent = h.hl.requests
      .filter((r) => r.endpoint === 'info')
      .reduce((s, r) => s + infoRequestWeight(r.type), 0);
    // The whole run is shorter than one minute of real time.
    expect(spent).toBeLessThanOrEqual(budget);
    // Data came from REST (discovery + fallback polls beyond it): the market was seen ok…
    const polls = h.hl.requests.filter((r) => r.type === 'metaAndAssetCtxs').length;
    expect(polls).toBeGreaterThan(2);
    expect(sequence(h.db, 'xyz:TSLA').map((s) => s.to)).toContain('ok');
    // …and once the budget is spent its data ages out to unknown rather than pretending to be ok.
    await expect.poll(() => statusOf(h.db, 'xyz:TSLA'), { timeout: 5_000 }).toBe('unknown');
  });

  it('malformed frames are counted and dropped; the loop keeps going and never stores them', async () => {
    const h = await start({ scale: 20 });
    // Play it once the stream is subscribed, or the frames go to nobody.
    await expect.poll(() => h.internals.stream()?.up, { timeout: 10_000 }).toBe(true);
    h.hl.play(hyperliquidScenarios.malformedFrames({ startMs: 0 }));
    await expect
      .poll(() => h.internals.counters.total(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(5);
    const framesAtMalformed = h.internals.stream()?.framesReceived ?? 0;
    await expect
      .poll(() => h.internals.stream()?.framesReceived ?? 0, { timeout: 5_000 })
      .toBeGreaterThan(framesAtMalformed + 2);
    const kinds = Object.keys(h.internals.counters.snapshot());
    expect(kinds).toEqual(expect.arrayContaining(['ws.notJson', 'ws.frame', 'ws.ctxRow']));
    // Every ctx frame, good or malformed, was parsed once: the SDK's parse of it was reused.
    expect(h.internals.stream()?.framesParsedHere).toBe(0);
    for (const s of hip3SamplesOf(h.db, 'xyz:XYZ100')) {
      expect(s.oraclePx).toMatch(/^-?\d+(\.\d+)?$/);
      expect(s.markPx).toMatch(/^-?\d+(\.\d+)?$/);
    }
  });

  it('halt, OI cap and jump scenarios map to halted / watch / warn', async () => {
    const h = await start({ scale: 20, hip3: { limitsIntervalSeconds: 2 } });
    await expect.poll(() => statusOf(h.db, 'xyz:TSLA'), { timeout: 10_000 }).toBe('ok');
    h.hl.apply({ type: 'halt', coin: 'xyz:TSLA', halted: true });
    h.hl.apply({ type: 'oiCap', coin: 'flx:SILVER', atCap: true });
    h.hl.apply({ type: 'markJump', coin: 'xyz:NVDA', fraction: 0.025 });
    await expect.poll(() => statusOf(h.db, 'xyz:TSLA'), { timeout: 10_000 }).toBe('halted');
    await expect.poll(() => statusOf(h.db, 'flx:SILVER'), { timeout: 10_000 }).toBe('watch');
    await expect.poll(() => statusOf(h.db, 'xyz:NVDA'), { timeout: 10_000 }).toBe('warn');
    const nvda = listHip3Markets(h.db).find((m) => m.coin === 'xyz:NVDA')!;
    expect(JSON.parse(nvda.reasonsJson).map((r: { code: string }) => r.code)).toContain(
      'mark_jump',
    );
  });

  it('books: depth ±3 % from l2Book (via @perpscope/math) and a collapse → warn; explorer setOracle times', async () => {
    const h = await start({
      scale: 20,
      hip3: {
        bookCoins: ['xyz:GOLD', 'xyz:NVDA'],
        bookIntervalSeconds: 1,
        explorer: { enabled: true, intervalSeconds: 2 },
        thresholds: { sampleStaleSeconds: 60 },
      },
    });
    await expect
      .poll(() => h.internals.markets.states.get('xyz:GOLD')?.depth.length ?? 0, {
        timeout: 10_000,
      })
      .toBeGreaterThanOrEqual(6);
    const gold = h.internals.markets.states.get('xyz:GOLD')!;
    // The replay quotes 20 levels of ~25k USD a side within ±0.4 % of mid.
    expect(gold.depthBidUsd).toBeGreaterThan(100_000);
    expect(gold.spread).toBeLessThan(0.001);
    h.hl.apply({ type: 'depth', coin: 'xyz:GOLD', factor: 0.02 });
    h.hl.apply({ type: 'spoof', coin: 'xyz:NVDA', on: true });
    await expect.poll(() => statusOf(h.db, 'xyz:GOLD'), { timeout: 10_000 }).toBe('warn');
    const codesOf = (coin: string) =>
      JSON.parse(listHip3Markets(h.db).find((m) => m.coin === coin)?.reasonsJson ?? '[]').map(
        (r: { code: string }) => r.code,
      );
    await expect.poll(() => codesOf('xyz:NVDA'), { timeout: 10_000 }).toContain('spoofing');
    const row = listHip3Markets(h.db).find((m) => m.coin === 'xyz:GOLD')!;
    expect(JSON.parse(row.reasonsJson).map((r: { code: string }) => r.code)).toContain(
      'depth_collapse',
    );
    // Explorer: setOracle actions of xyz's writer land as oracle updates with tx hashes.
    await expect
      .poll(
        () =>
          hip3OracleUpdatesPage(h.db, {
            coin: 'xyz:TSLA',
            limit: 10,
            cursor: null,
            source: 'explorer',
          }).length,
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    const [u] = hip3OracleUpdatesPage(h.db, {
      coin: 'xyz:TSLA',
      limit: 1,
      cursor: null,
      source: 'explorer',
    });
    expect(u?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(h.internals.markets.states.get('xyz:TSLA')?.setOracleMs).not.toBeNull();
  });

  it('explorer polls are spread over the interval and build each setOracle tx once: the history they repeat is cut out unparsed', async () => {
    const h = await start({
      scale: 20,
      hip3: {
        explorer: { enabled: true, intervalSeconds: 4 },
        thresholds: { sampleStaleSeconds: 60 },
      },
    });
    const polls: { at: number; hashes: string[] }[] = [];
    const apply = h.internals.markets.applySetOracleTxs;
    vi.spyOn(h.internals.markets, 'applySetOracleTxs').mockImplementation((details) => {
      polls.push({ at: h.clock.now(), hashes: details.txs.map((tx) => tx.hash) });
      return apply(details);
    });
    // Every answer repeats the writer's whole history (the replay keeps the newest 300 per
    // writer, as the explorer does): without the cut, each poll would hand every tx over again.
    const hashes = () => polls.flatMap((poll) => poll.hashes);
    await expect
      .poll(() => polls.length >= 8 && new Set(hashes()).size >= 6, { timeout: 15_000 })
      .toBe(true);
    expect(hashes().length).toBe(new Set(hashes()).size);
    // Each writer once per 4 s, the writers spread over it (protocol time): never back to back,
    // and on average no faster than one poll per 4 s / writers (timers only ever fire late).
    const writers = h.internals.markets.oracleWriters().length;
    expect(writers).toBeGreaterThanOrEqual(2);
    const gaps = polls.slice(1).map((poll, i) => poll.at - (polls[i] as { at: number }).at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThanOrEqual(
      (0.8 * 4000) / writers,
    );
    const rows = hip3OracleUpdatesPage(h.db, {
      coin: 'xyz:TSLA',
      limit: 500,
      cursor: null,
      source: 'explorer',
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.txHash)).size).toBe(rows.length);
  });

  it('the first polls reach back explorer.backfillSeconds before the start: older history is skipped unread', async () => {
    const t0 = Date.UTC(2026, 1, 10, 15);
    const h = await start({
      scale: 20,
      // 100 txs per writer, one per 3 s before t0: 300 s of history.
      explorerHistoryTxs: 100,
      hip3: {
        explorer: { enabled: true, intervalSeconds: 4, backfillSeconds: 30 },
        thresholds: { sampleStaleSeconds: 60 },
      },
    });
    const times: number[] = [];
    const apply = h.internals.markets.applySetOracleTxs;
    vi.spyOn(h.internals.markets, 'applySetOracleTxs').mockImplementation((details) => {
      times.push(...details.txs.map((tx) => tx.time));
      return apply(details);
    });
    // xyz and flx each have one writer that the replay records txs for (other listed writers
    // have none): both first polls done, the 10 txs per writer of [t0 − 30 s, t0) have arrived
    // (the one at exactly t0 − 30 s may fall just outside: the loop's start is a little after t0).
    const writers = 2;
    await expect
      .poll(() => times.filter((t) => t < t0).length >= 9 * writers, { timeout: 15_000 })
      .toBe(true);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(t0 - 30_000);
    expect(times.filter((t) => t < t0).length).toBeLessThanOrEqual(10 * writers);
    // None of the 90 older txs per writer became a row.
    const rows = hip3OracleUpdatesPage(h.db, {
      coin: 'xyz:TSLA',
      limit: 500,
      cursor: null,
      source: 'explorer',
    });
    expect(rows.every((r) => r.at >= t0 - 30_000)).toBe(true);
  });
});
