import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Hip3MarketStatus, Hip3Reason } from '@perpscope/schemas';
import type { Clock } from '../../clock.js';
import type { WatcherStore } from '../../db/store/watcherStore.js';
import type { EventLog } from '../../events/eventLog.js';
import {
  assessMarket,
  type MarketAssessment,
  type MarketEvaluation,
  type MarketVerdict,
  nextEvaluationDueMs,
} from './evaluateMarket.js';
import { emptyHip3Pending, type Hip3Markets } from './hip3Markets.js';
import { defaultHip3Thresholds, type Hip3Thresholds } from './marketState.js';
import {
  type Hip3StateWrite,
  type Hip3Transition,
  recordHip3Changes,
} from './recordHip3Changes.js';

/** Metrics of an unchanged-status market are rewritten at most this often (status changes: at once). */
const METRICS_WRITE_MS = 5_000;
/** Floor of the per-tick cap on metrics-only rewrites (small setups are never throttled). */
const METRICS_MIN_WRITES_PER_TICK = 32;
/**
 * Markets evaluated per synchronous slice by {@link Hip3Ticker.tickInSlices}: ~1–2 ms of work,
 * so HTTP requests queued behind a tick of thousands of markets wait for one slice, not the tick.
 */
export const HIP3_EVALUATION_SLICE = 200;

/** Parameters of {@link createHip3Ticker}. */
export type CreateHip3TickerParameters = {
  store: WatcherStore;
  eventLog: EventLog;
  clock: Clock;
  markets: Hip3Markets;
  thresholds?: Hip3Thresholds;
  /** The `owner` of the market rows written (`cluster.owner`; default `'local'`). */
  owner?: string;
};

/** The HIP-3 evaluation step (see {@link createHip3Ticker}). */
export type Hip3Ticker = ReturnType<typeof createHip3Ticker>;

type PersistedStatus = { status: Hip3MarketStatus; since: number; reasons: string };

const reasonKey = (rs: readonly Hip3Reason[]) => rs.map((r) => `${r.code}:${r.severity}`).join(',');

/**
 * The evaluation step of the HIP-3 subject: runs the pure {@link evaluateMarket} over the markets
 * whose inputs changed since the last tick ({@link Hip3Markets.takeChanged}) or whose clocks may
 * have crossed a threshold ({@link nextEvaluationDueMs}; at least every {@link METRICS_WRITE_MS})
 * and decides what to persist — status transitions at once, reason changes at once, metrics-only
 * rewrites throttled (each market about every {@link METRICS_WRITE_MS}, spread over ticks) — then
 * hands that and everything ingestion queued to {@link recordHip3Changes} in one commit. Statuses
 * persisted by a previous run are loaded at creation (the first tick waits for them), so a restart
 * resumes without flapping.
 */
export function createHip3Ticker(params: CreateHip3TickerParameters) {
  const th = params.thresholds ?? defaultHip3Thresholds;
  const { clock, markets } = params;
  const persisted = new Map<string, PersistedStatus>();
  const loaded = params.store.queries.hip3.listHip3Markets().then((rows) => {
    for (const row of rows) {
      persisted.set(row.coin, {
        status: row.status as Hip3MarketStatus,
        since: row.statusSince,
        reasons: row.reasonsJson,
      });
    }
  });
  // Awaited by the first tick; a failed load fails that tick, not the process.
  loaded.catch(() => {});
  const lastWritten = new Map<string, { sampleMs: number | null; at: number }>();
  const startedAt = clock.now();
  let lastTickMs: number | null = null;
  /** The latest verdict of each market (its metrics are built only for the rows written). */
  const evaluations = new Map<string, MarketVerdict>();
  /** When each market must be evaluated again even if its inputs do not change. */
  const dueAt = new Map<string, number>();
  /** Evaluations run and metrics built so far ({@link Hip3Ticker.counts}). */
  const counts = { evaluated: 0, metricsBuilt: 0 };
  /** The full evaluation of an assessment, its metrics built now (before the state changes). */
  const withMetrics = (a: MarketAssessment): MarketEvaluation => {
    counts.metricsBuilt += 1;
    return { status: a.status, reasons: a.reasons, metrics: a.metrics() };
  };

  /** One tick's accumulating decisions. */
  function begin(now: number) {
    // Metrics-only rewrites are spread over ticks: all markets change status on the same first
    // tick, so without a cap they would all fall due together every METRICS_WRITE_MS and turn one
    // tick in five into a write of every market (a ~10 ms event-loop stall at ~300 markets). The
    // cap is the steady rate that still rewrites each market about every METRICS_WRITE_MS; a
    // market over the cap stays due and is written on a following tick.
    const sinceLastTick = lastTickMs === null ? METRICS_WRITE_MS : now - lastTickMs;
    lastTickMs = now;
    return {
      now,
      changed: markets.takeChanged(),
      transitions: [] as Hip3Transition[],
      /** Each persisted status this tick changed, as it was before (restored if the commit fails). */
      undo: new Map<string, PersistedStatus | undefined>(),
      stateWrites: [] as Hip3StateWrite[],
      /** Metrics-only rewrites (status and reasons unchanged): snapshots, committable apart. */
      metricsWrites: [] as Hip3StateWrite[],
      metricsBudget: Math.max(
        METRICS_MIN_WRITES_PER_TICK,
        Math.ceil((markets.states.size * Math.max(sinceLastTick, 0)) / METRICS_WRITE_MS),
      ),
    };
  }
  type Tick = ReturnType<typeof begin>;

  function evaluateOne(t: Tick, coin: string) {
    const s = markets.states.get(coin);
    if (!s || s.meta === null) return;
    const { now } = t;
    // Only markets whose inputs changed, or whose clocks may have crossed a threshold.
    if (!t.changed.has(coin) && now < (dueAt.get(coin) ?? now)) return;
    // After a restart, keep the persisted status until data had a chance to arrive.
    if (s.ctx === null && persisted.has(coin) && now - startedAt < th.sampleStaleMs) return;
    const a = assessMarket(s, now, th);
    counts.evaluated += 1;
    evaluations.set(coin, { status: a.status, reasons: a.reasons });
    dueAt.set(coin, nextEvaluationDueMs(s, now, th, METRICS_WRITE_MS));
    const prev = persisted.get(coin);
    const key = reasonKey(a.reasons);
    if (!t.undo.has(coin)) t.undo.set(coin, prev && { ...prev });
    if (!prev || prev.status !== a.status) {
      const ev = withMetrics(a);
      t.transitions.push({ coin, ev, from: prev?.status ?? 'unknown' });
      persisted.set(coin, { status: a.status, since: now, reasons: key });
      t.stateWrites.push({ coin, ev, since: now, lastSample: s.lastSampleMs });
      return;
    }
    const lw = lastWritten.get(coin);
    const fresh = lw === undefined || lw.sampleMs !== s.lastSampleMs;
    if (prev.reasons !== key) {
      prev.reasons = key;
      const ev = withMetrics(a);
      t.stateWrites.push({ coin, ev, since: prev.since, lastSample: s.lastSampleMs });
    } else if (fresh && now - (lw?.at ?? 0) >= METRICS_WRITE_MS) {
      if (t.metricsBudget > 0) {
        t.metricsBudget -= 1;
        const ev = withMetrics(a);
        t.metricsWrites.push({ coin, ev, since: prev.since, lastSample: s.lastSampleMs });
      } else dueAt.set(coin, now); // over this tick's cap: due again on the next tick
    }
    // Otherwise nothing is written: the metrics are never built (most evaluations at steady state).
  }

  /**
   * Commits one part of a tick. When the commit fails (the error propagates to the loop, which
   * logs it; the event log has counted it for storage health), nothing of it is lost: ingestion's
   * rows go back to the queue, the in-memory statuses the tick changed are rolled back, and the
   * markets it wrote are due again, so the next tick that commits records the same transitions.
   */
  async function record(t: Tick, stateWrites: Hip3StateWrite[], withRest: boolean): Promise<void> {
    const pending = withRest ? markets.takePending() : emptyHip3Pending();
    let committed: boolean;
    try {
      committed = await recordHip3Changes({
        eventLog: params.eventLog,
        now: t.now,
        pending,
        stateWrites,
        transitions: withRest ? t.transitions : [],
        ...(params.owner !== undefined && { owner: params.owner }),
      });
    } catch (error) {
      if (withRest) {
        markets.requeuePending(pending);
        for (const [coin, before] of t.undo) {
          if (before === undefined) persisted.delete(coin);
          else persisted.set(coin, before);
        }
      }
      for (const sw of stateWrites) dueAt.set(sw.coin, t.now);
      throw error;
    }
    if (committed) {
      for (const sw of stateWrites)
        lastWritten.set(sw.coin, { sampleMs: sw.lastSample, at: t.now });
    }
  }

  /** One transaction with everything (tests, the final flush). */
  async function commit(t: Tick): Promise<number> {
    await record(t, [...t.stateWrites, ...t.metricsWrites], true);
    return t.transitions.length;
  }

  return {
    /**
     * Evaluates every market at `clock.now()` in one synchronous pass and commits. Tests and the
     * final flush of `stop()`; the loop uses {@link tickInSlices}. Returns the number of transitions.
     */
    async tick(): Promise<number> {
      await loaded;
      const t = begin(clock.now());
      for (const coin of markets.states.keys()) evaluateOne(t, coin);
      return commit(t);
    },
    /**
     * The same tick, evaluated in slices of `slice` markets with the event loop served between
     * them (all at the tick's time `clock.now()` at its start), then one commit of the samples,
     * transitions and status rows, then the metrics-only rewrites in commits of `slice` rows.
     * Samples ingested while it runs commit with it. Returns the number of transitions.
     */
    async tickInSlices(slice = HIP3_EVALUATION_SLICE): Promise<number> {
      await loaded;
      const t = begin(clock.now());
      const coins = [...markets.states.keys()];
      for (let i = 0; i < coins.length; i += slice) {
        if (i > 0) await yieldToEventLoop();
        for (const coin of coins.slice(i, i + slice)) evaluateOne(t, coin);
      }
      // Samples, transitions, events and status rows commit together; metrics-only rewrites
      // (snapshots of unchanged statuses) follow in transactions of `slice` rows, so a large
      // setup never holds the event loop for one write of thousands of rows.
      await yieldToEventLoop();
      await record(t, t.stateWrites, true);
      for (let i = 0; i < t.metricsWrites.length; i += slice) {
        await yieldToEventLoop();
        await record(t, t.metricsWrites.slice(i, i + slice), false);
      }
      return t.transitions.length;
    },
    /**
     * The latest verdict (status and reasons) of every market evaluated so far, a new object per
     * evaluation (tests count evaluations with it).
     */
    evaluations: (): ReadonlyMap<string, MarketVerdict> => evaluations,
    /**
     * Markets evaluated and metrics built since creation: the metrics (the costly part of an
     * evaluation) are built only for the rows a tick writes.
     */
    counts: (): Readonly<{ evaluated: number; metricsBuilt: number }> => ({ ...counts }),
  };
}
