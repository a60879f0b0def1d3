import { bookDepth, bookSpread } from '@perpscope/math';
import type { Hip3MarketStatus, Hip3Reason } from '@perpscope/schemas';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/openDb.js';
import {
  type Hip3OracleUpdateRow,
  type Hip3SampleRow,
  insertHip3StreamGap,
  insertHip3Transition,
  listHip3Markets,
  prepareHip3Writes,
  upsertHip3Dexes,
  upsertHip3MarketMeta,
} from '../../db/queries/hip3.js';
import type { IncidentSeverity } from '../../db/queries/incidents.js';
import type { EventLog, EventWriter } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
import { HIP3_WRITER } from '../../runtime/marketWithWriteFailure.js';
import { evaluateMarket, type MarketEvaluation } from './evaluateMarket.js';
import {
  type HlAllDexsAssetCtxsEvent,
  type HlL2Book,
  type HlMeta,
  HlPerpAssetCtx,
  type HlPerpDexLimits,
  type HlPerpDexs,
  HlSetOracleAction,
  type HlUserDetails,
  parsePerpAssetCtxFast,
} from './hlSchemas.js';
import {
  createMarketState,
  defaultHip3Thresholds,
  type Hip3Thresholds,
  type MarketState,
  observeBook,
  observeCtx,
} from './marketState.js';
import type { PayloadCounters } from './payloadCounters.js';

/** A discovered dex and what the watcher derives from its `perpDexs` entry. */
export type DexInfo = {
  name: string;
  index: number;
  fullName: string;
  deployer: string;
  oracleWriters: string[];
  fundingMultipliers: Map<string, string>;
  streamingOiCaps: Map<string, string>;
  totalOiCapUsd: string | null;
};

/** Parameters of {@link createHip3Engine}. */
export type CreateHip3EngineParameters = {
  db: Db;
  eventLog: EventLog;
  clock: Clock;
  logger: Logger;
  counters: PayloadCounters;
  thresholds?: Hip3Thresholds;
  /** Dex names to watch; `null` = every discovered HIP-3 dex. */
  dexFilter: readonly string[] | null;
  /** Also watch the main (validator) dex `''`. */
  includeMainDex: boolean;
};

/** What {@link Hip3Engine.ingestFrame} saw. */
export type FrameResult = {
  accepted: number;
  rejected: number;
  /** Dexes present in the frame but without known meta (discovery needed). */
  unknownDexes: string[];
  /**
   * Dexes whose ctx count differs from the known universe (meta refresh needed). Their rows were
   * dropped, not ingested: ctx rows carry no coin name, only their position in the universe, so
   * after a non-append change (a market removed or inserted in the middle) every row past it would
   * be stored under its neighbour's name.
   */
  resizedDexes: string[];
  /** Ctx rows dropped because their dex's universe size did not match (see `resizedDexes`). */
  dropped: number;
};

/** Metrics of an unchanged-status market are rewritten at most this often (status changes: at once). */
const METRICS_WRITE_MS = 5_000;
/** Floor of the per-tick cap on metrics-only rewrites (small setups are never throttled). */
const METRICS_MIN_WRITES_PER_TICK = 32;
/** Explorer txs remembered as applied (HL keeps ~hundreds per writer; dozens of writers). */
const SEEN_TXS_MAX = 50_000;

const SEVERITY: Partial<Record<Hip3MarketStatus, IncidentSeverity>> = {
  warn: 'warning',
  critical: 'critical',
};

/** The HIP-3 engine: market registry, ingestion, derivation and batched persistence. */
export type Hip3Engine = ReturnType<typeof createHip3Engine>;

/**
 * Holds every watched dex and market, folds validated payloads into per-market state, and on each
 * `tick()` evaluates every market and commits — in one event-log transaction — the changed
 * samples, the oracle updates, the derived states and the status transitions with their events
 * and incidents. Nothing here does I/O except through the event log.
 */
export function createHip3Engine(params: CreateHip3EngineParameters) {
  const th = params.thresholds ?? defaultHip3Thresholds;
  const { eventLog, clock, counters } = params;
  const dexes = new Map<string, DexInfo>();
  const universe = new Map<string, string[]>();
  const states = new Map<string, MarketState>();
  const persisted = new Map<string, { status: Hip3MarketStatus; since: number; reasons: string }>();
  const writerDex = new Map<string, Set<string>>();
  let pendingSamples: Hip3SampleRow[] = [];
  let pendingOracle: Hip3OracleUpdateRow[] = [];
  let pendingGaps: { fromAt: number; toAt: number; reason: string }[] = [];
  let pendingMeta: { coin: string; dex: string; metaJson: string; isDelisted: boolean }[] = [];
  let pendingEvents: ((w: EventWriter) => void)[] = [];
  const startedAt = clock.now();
  let lastEvaluations = new Map<string, MarketEvaluation>();
  let lastTickMs: number | null = null;

  const writes = prepareHip3Writes(params.db);
  const lastWritten = new Map<string, { sampleMs: number | null; at: number }>();
  for (const row of listHip3Markets(params.db)) {
    persisted.set(row.coin, {
      status: row.status as Hip3MarketStatus,
      since: row.statusSince,
      reasons: row.reasonsJson,
    });
  }

  const watched = (dex: string) =>
    dex === ''
      ? params.includeMainDex
      : params.dexFilter === null || params.dexFilter.includes(dex);

  /** Folds the `perpDexs` answer in; returns the names of newly discovered watched dexes. */
  function applyPerpDexs(list: HlPerpDexs): string[] {
    const now = clock.now();
    const added: string[] = [];
    const rows: Parameters<typeof upsertHip3Dexes>[1][number][] = [];
    list.forEach((d, index) => {
      if (d === null || !watched(d.name)) return;
      const writers = new Set<string>();
      if (d.oracleUpdater) writers.add(d.oracleUpdater.toLowerCase());
      for (const [variant, users] of d.subDeployers ?? []) {
        if (variant === 'setOracle') for (const u of users) writers.add(u.toLowerCase());
      }
      const info: DexInfo = {
        name: d.name,
        index,
        fullName: d.fullName,
        deployer: d.deployer.toLowerCase(),
        oracleWriters: [...writers],
        fundingMultipliers: new Map(d.assetToFundingMultiplier),
        streamingOiCaps: new Map(d.assetToStreamingOiCap),
        totalOiCapUsd: dexes.get(d.name)?.totalOiCapUsd ?? null,
      };
      if (!dexes.has(d.name)) added.push(d.name);
      dexes.set(d.name, info);
      for (const wr of writers) {
        const set = writerDex.get(wr) ?? new Set();
        set.add(d.name);
        writerDex.set(wr, set);
      }
      rows.push({
        name: d.name,
        fullName: d.fullName,
        deployer: info.deployer,
        oracleWritersJson: JSON.stringify(info.oracleWriters),
        dexIndex: index,
        totalOiCapUsd: info.totalOiCapUsd,
        lastSeenAt: now,
      });
    });
    if (params.includeMainDex && !dexes.has('')) {
      dexes.set('', {
        name: '',
        index: 0,
        fullName: 'Hyperliquid (validator perps)',
        deployer: '',
        oracleWriters: [],
        fundingMultipliers: new Map(),
        streamingOiCaps: new Map(),
        totalOiCapUsd: null,
      });
      added.push('');
    }
    eventLog.write((w) => upsertHip3Dexes(w.tx, rows, now), { writer: HIP3_WRITER });
    return added;
  }

  function stateOf(coin: string, dex: string): MarketState {
    let s = states.get(coin);
    if (!s) {
      s = createMarketState(coin, dex);
      states.set(coin, s);
    }
    return s;
  }

  /**
   * Folds a dex's `meta` in: new markets are registered (`market.listed`), delisting is noted
   * (`market.delisted`), multipliers and streaming caps attached. Optional ctx rows (from
   * `metaAndAssetCtxs`, the REST fallback) are ingested like stream rows.
   */
  function applyMeta(dex: string, meta: HlMeta, ctxRows?: readonly unknown[], receivedMs?: number) {
    const info = dexes.get(dex);
    const coins = meta.universe.map((u) => u.name);
    const known = universe.get(dex);
    universe.set(dex, coins);
    meta.universe.forEach((u) => {
      const s = stateOf(u.name, dex);
      const wasDelisted = s.meta?.isDelisted === true;
      const isNew = s.meta === null;
      s.meta = u;
      s.fundingMultiplier = info?.fundingMultipliers.get(u.name) ?? (dex === '' ? null : '1.0');
      s.oiCapUsd ??= info?.streamingOiCaps.get(u.name) ?? null;
      const isDelisted = u.isDelisted === true;
      if (isNew || wasDelisted !== isDelisted) {
        pendingMeta.push({ coin: u.name, dex, metaJson: JSON.stringify(u), isDelisted });
        if (known !== undefined && isNew) {
          pendingEvents.push((w) =>
            w.emit('market.listed', { type: 'market', id: u.name }, { dex }),
          );
        }
        if (!isNew && wasDelisted !== isDelisted) {
          pendingEvents.push((w) =>
            w.emit(
              isDelisted ? 'market.delisted' : 'market.relisted',
              { type: 'market', id: u.name },
              { dex },
            ),
          );
        }
      }
    });
    if (ctxRows && receivedMs !== undefined) {
      // `metaAndAssetCtxs` answers both halves at once, so they should always line up; if they
      // do not, no row can be matched to its coin with confidence.
      if (ctxRows.length === coins.length) {
        mismatchedDexes.delete(dex);
        ingestRows(dex, ctxRows, receivedMs, 'rest');
      } else dropMismatched(dex, ctxRows.length, coins.length, 'rest');
    }
  }

  /** Dexes currently answering a ctx count that differs from their known universe (logged once). */
  const mismatchedDexes = new Set<string>();
  let droppedRows = 0;

  /** Counts and logs (once per episode and dex) a ctx batch dropped for a universe-size mismatch. */
  function dropMismatched(dex: string, rows: number, markets: number, source: 'ws' | 'rest') {
    droppedRows += rows;
    counters.reject(`${source}.universeSize`, `${dex}: ${rows} ctxs for ${markets} markets`);
    if (!mismatchedDexes.has(dex)) {
      mismatchedDexes.add(dex);
      params.logger.warn(
        { dex, source, ctxs: rows, markets },
        'HIP-3 ctx batch dropped: its size does not match the known universe; refreshing meta',
      );
    }
  }

  function ingestRows(
    dex: string,
    rows: readonly unknown[],
    receivedMs: number,
    source: 'ws' | 'rest',
  ) {
    const coins = universe.get(dex);
    let accepted = 0;
    let rejected = 0;
    if (!coins) return { accepted, rejected };
    const n = Math.min(rows.length, coins.length);
    for (let i = 0; i < n; i++) {
      const coin = coins[i] as string;
      // The precompiled check on the hot path; zod only to name what was wrong.
      const ctx = parsePerpAssetCtxFast(rows[i]);
      if (ctx === null) {
        rejected += 1;
        const parsed = HlPerpAssetCtx.safeParse(rows[i]);
        counters.reject(
          `${source}.ctxRow`,
          `${coin}: ${parsed.success ? 'invalid' : (parsed.error.issues[0]?.message ?? 'invalid')}`,
        );
        continue;
      }
      const s = stateOf(coin, dex);
      const prevMark = s.ctx?.markPx ?? null;
      const obs = observeCtx(s, ctx, receivedMs, th);
      accepted += 1;
      if (!obs.changed) continue;
      pendingSamples.push({
        coin,
        receivedAt: receivedMs,
        oraclePx: ctx.oraclePx,
        markPx: ctx.markPx,
        midPx: ctx.midPx,
        funding: ctx.funding,
        premium: ctx.premium,
        openInterest: ctx.openInterest,
        dayNtlVlm: ctx.dayNtlVlm,
        markDeviation: s.markDev.value,
        source,
      });
      if (obs.oracleChanged && prevMark !== null) {
        pendingOracle.push({
          coin,
          source: 'ctx',
          at: receivedMs,
          oraclePx: ctx.oraclePx,
          markPx: ctx.markPx,
          intervalMs: obs.oracleIntervalMs,
          markJump: obs.markJump,
          txHash: '',
          error: null,
        });
      }
    }
    return { accepted, rejected };
  }

  /** Ingests one validated `allDexsAssetCtxs` frame stamped with its receive time. */
  function ingestFrame(event: HlAllDexsAssetCtxsEvent, receivedMs: number): FrameResult {
    const result: FrameResult = {
      accepted: 0,
      rejected: 0,
      unknownDexes: [],
      resizedDexes: [],
      dropped: 0,
    };
    for (const [dex, rows] of event.ctxs) {
      if (!watched(dex)) continue;
      const coins = universe.get(dex);
      if (!coins) {
        result.unknownDexes.push(dex);
        continue;
      }
      if (rows.length !== coins.length) {
        // Drop rather than mislabel; the caller refreshes this dex's meta.
        result.resizedDexes.push(dex);
        result.dropped += rows.length;
        dropMismatched(dex, rows.length, coins.length, 'ws');
        continue;
      }
      mismatchedDexes.delete(dex);
      const r = ingestRows(dex, rows, receivedMs, 'ws');
      result.accepted += r.accepted;
      result.rejected += r.rejected;
    }
    return result;
  }

  /** Per-asset OI caps and the dex total from `perpDexLimits`. */
  function applyLimits(dex: string, limits: HlPerpDexLimits) {
    const info = dexes.get(dex);
    if (info) info.totalOiCapUsd = limits.totalOiCap;
    for (const [coin, cap] of limits.coinToOiCap) {
      const s = states.get(coin);
      if (s) s.oiCapUsd = cap;
    }
  }

  /** Coins of `dex` currently at their OI cap (`perpsAtOpenInterestCap`). */
  function applyAtCap(dex: string, coins: readonly string[]) {
    const set = new Set(coins);
    for (const c of universe.get(dex) ?? []) {
      const s = states.get(c);
      if (s) s.atOpenInterestCap = set.has(c);
    }
  }

  /**
   * Book depth within ±3 % of mid per side (quote units, USD) and relative spread from one
   * `l2Book`, by `@perpscope/math` (`bookDepth`, `bookSpread`). An empty book counts as zero depth;
   * a book the math rejects (crossed, unsorted) is counted and ignored, never stored.
   */
  function applyBook(book: HlL2Book, receivedMs: number) {
    const s = states.get(book.coin);
    if (!s) return;
    try {
      const depth = bookDepth({ book, bandFraction: '0.03' });
      const spread = bookSpread(book);
      observeBook(s, {
        timeMs: receivedMs,
        bidUsd: depth?.bid ? Number(depth.bid.quote) : 0,
        askUsd: depth?.ask ? Number(depth.ask.quote) : 0,
        spread: spread ? spread.spreadBps / 10_000 : null,
      });
    } catch (error) {
      counters.reject('rest.l2Book', `${book.coin}: ${(error as Error).message}`);
    }
  }

  const seenTxs = new Set<string>();
  function rememberTx(key: string) {
    seenTxs.add(key);
    // Bounded: beyond it the oldest keys go (a forgotten tx is only re-inserted, idempotently).
    if (seenTxs.size > SEEN_TXS_MAX) seenTxs.delete(seenTxs.values().next().value as string);
  }

  /** `setOracle` actions of an oracle writer (explorer `userDetails`): exact update times. */
  function applySetOracleTxs(details: HlUserDetails) {
    let added = 0;
    for (const tx of details.txs) {
      // The explorer returns a writer's recent history on every poll (hundreds of txs of ~100
      // prices each). Rows of a tx already applied are stored (inserts are idempotent), so skip it
      // rather than validate and re-insert thousands of rows in one tick.
      const seenKey = `${tx.user.toLowerCase()}:${tx.hash}`;
      if (seenTxs.has(seenKey)) continue;
      const parsed = HlSetOracleAction.safeParse(tx.action);
      if (!parsed.success) {
        rememberTx(seenKey);
        continue; // other actions of the same address
      }
      const { dex, oraclePxs, markPxs } = parsed.data.setOracle;
      const allowedDexes = writerDex.get(tx.user.toLowerCase());
      // A non-writer's attempt (HL rejects it anyway); not remembered: discovery may add the writer.
      if (!allowedDexes?.has(dex)) continue;
      rememberTx(seenKey);
      const marks = new Map(markPxs[0] ?? []);
      for (const [coin, px] of oraclePxs) {
        const s = states.get(coin);
        if (!s) continue;
        if (tx.error === null && (s.setOracleMs === null || tx.time > s.setOracleMs)) {
          s.setOracleMs = tx.time;
        }
        pendingOracle.push({
          coin,
          source: 'explorer',
          at: tx.time,
          oraclePx: px,
          markPx: marks.get(coin) ?? null,
          intervalMs: null,
          markJump: null,
          txHash: tx.hash,
          error: tx.error,
        });
        added += 1;
      }
    }
    return added;
  }

  /** Marks a stream gap on every watched market and records it. */
  function markGap(fromMs: number, toMs: number, reason: string) {
    pendingGaps.push({ fromAt: fromMs, toAt: toMs, reason });
    for (const s of states.values()) s.gap = { fromMs, toMs };
  }

  function incidentFor(w: EventWriter, coin: string, ev: MarketEvaluation, from: Hip3MarketStatus) {
    const subject = { type: 'market', id: coin };
    const sev = SEVERITY[ev.status];
    const top = ev.reasons.find((r) => r.severity === ev.status) ?? ev.reasons[0];
    const peak: Record<string, number> = {};
    const dev = ev.metrics.markDeviation.value;
    if (dev !== null) peak.absMarkDeviation = Math.abs(dev);
    if (ev.metrics.oracle.lastChangeAgeSeconds !== null) {
      peak.oracleAgeSeconds = ev.metrics.oracle.lastChangeAgeSeconds;
    }
    if (sev) {
      const inc = w.openIncident({
        subject,
        kind: 'hip3-status',
        severity: sev,
        title: `${coin}: ${top?.message ?? ev.status}`,
        peak,
        context: { reasons: ev.reasons.map((r) => r.code) },
      });
      w.touchIncident(w.escalateIncident(inc, sev, `${coin}: ${top?.message ?? ev.status}`), {
        peak,
      });
    } else if (ev.status === 'ok' || ev.status === 'watch' || ev.status === 'halted') {
      const open = w.findOpenIncident(subject, 'hip3-status');
      if (open) w.closeIncident(open, { resolvedTo: ev.status });
    }
    // A market already delisted when first seen is history, not an incident.
    if (ev.status === 'halted' && from !== 'halted' && from !== 'unknown') {
      w.openIncident({
        subject,
        kind: 'hip3-halt',
        severity: 'warning',
        title: `${coin}: ${top?.message ?? 'halted'}`,
      });
    } else if (from === 'halted' && ev.status !== 'halted') {
      const open = w.findOpenIncident(subject, 'hip3-halt');
      if (open) w.closeIncident(open, { resolvedTo: ev.status });
    }
  }

  const reasonKey = (rs: readonly Hip3Reason[]) =>
    rs.map((r) => `${r.code}:${r.severity}`).join(',');

  /**
   * Evaluates every market at `clock.now()` and commits everything pending in one transaction.
   * Returns the number of status transitions.
   */
  function tick(): number {
    const now = clock.now();
    const evaluations = new Map<string, MarketEvaluation>();
    const changes: { coin: string; ev: MarketEvaluation; from: Hip3MarketStatus; since: number }[] =
      [];
    const stateWrites: {
      coin: string;
      ev: MarketEvaluation;
      since: number;
      lastSample: number | null;
    }[] = [];
    // Metrics-only rewrites are spread over ticks: all markets change status on the same first
    // tick, so without a cap they would all fall due together every METRICS_WRITE_MS and turn one
    // tick in five into a write of every market (a ~10 ms event-loop stall at ~300 markets). The
    // cap is the steady rate that still rewrites each market about every METRICS_WRITE_MS; a
    // market over the cap stays due and is written on a following tick.
    const sinceLastTick = lastTickMs === null ? METRICS_WRITE_MS : now - lastTickMs;
    let metricsBudget = Math.max(
      METRICS_MIN_WRITES_PER_TICK,
      Math.ceil((states.size * Math.max(sinceLastTick, 0)) / METRICS_WRITE_MS),
    );
    lastTickMs = now;
    for (const [coin, s] of states) {
      if (s.meta === null) continue;
      // After a restart, keep the persisted status until data had a chance to arrive.
      if (s.ctx === null && persisted.has(coin) && now - startedAt < th.sampleStaleMs) continue;
      const ev = evaluateMarket(s, now, th);
      evaluations.set(coin, ev);
      const prev = persisted.get(coin);
      const key = reasonKey(ev.reasons);
      if (!prev || prev.status !== ev.status) {
        const from = prev?.status ?? 'unknown';
        changes.push({ coin, ev, from, since: now });
        persisted.set(coin, { status: ev.status, since: now, reasons: key });
        stateWrites.push({ coin, ev, since: now, lastSample: s.lastSampleMs });
      } else {
        const lw = lastWritten.get(coin);
        const fresh = lw === undefined || lw.sampleMs !== s.lastSampleMs;
        if (prev.reasons !== key) {
          prev.reasons = key;
          stateWrites.push({ coin, ev, since: prev.since, lastSample: s.lastSampleMs });
        } else if (fresh && now - (lw?.at ?? 0) >= METRICS_WRITE_MS && metricsBudget > 0) {
          metricsBudget -= 1;
          stateWrites.push({ coin, ev, since: prev.since, lastSample: s.lastSampleMs });
        }
      }
    }
    lastEvaluations = evaluations;
    const samples = pendingSamples;
    const oracle = pendingOracle;
    const gaps = pendingGaps;
    const metas = pendingMeta;
    const events = pendingEvents;
    pendingSamples = [];
    pendingOracle = [];
    pendingGaps = [];
    pendingMeta = [];
    pendingEvents = [];
    if (
      samples.length +
        oracle.length +
        gaps.length +
        metas.length +
        events.length +
        stateWrites.length ===
      0
    ) {
      return 0;
    }
    eventLog.write(
      (w) => {
        for (const m of metas) upsertHip3MarketMeta(w.tx, { ...m, now });
        writes.insertSamples(samples);
        writes.insertOracleUpdates(oracle);
        for (const g of gaps) insertHip3StreamGap(w.tx, g);
        for (const e of events) e(w);
        for (const sw of stateWrites) {
          lastWritten.set(sw.coin, { sampleMs: sw.lastSample, at: now });
          writes.updateMarketState({
            coin: sw.coin,
            status: sw.ev.status,
            statusSince: sw.since,
            reasonsJson: JSON.stringify(sw.ev.reasons),
            metricsJson: JSON.stringify(sw.ev.metrics),
            lastSampleAt: sw.lastSample,
            updatedAt: now,
          });
        }
        for (const c of changes) {
          insertHip3Transition(w.tx, {
            coin: c.coin,
            at: now,
            fromStatus: c.from,
            toStatus: c.ev.status,
            reasonsJson: JSON.stringify(c.ev.reasons),
          });
          w.emit(
            'market.status',
            { type: 'market', id: c.coin },
            {
              from: c.from,
              to: c.ev.status,
              reasons: c.ev.reasons.map((r) => ({
                code: r.code,
                severity: r.severity,
                message: r.message,
              })),
            },
          );
          incidentFor(w, c.coin, c.ev, c.from);
        }
      },
      { writer: HIP3_WRITER },
    );
    return changes.length;
  }

  return {
    dexes,
    states,
    universe,
    applyPerpDexs,
    applyMeta,
    ingestFrame,
    applyLimits,
    applyAtCap,
    applyBook,
    applySetOracleTxs,
    markGap,
    tick,
    /** The evaluations of the last tick (in-memory view). */
    evaluations: () => lastEvaluations,
    /** Oracle-writer addresses of all watched dexes. */
    oracleWriters: () => [...writerDex.keys()],
    watchedDexes: () => [...dexes.keys()],
    /** Ctx rows dropped so far because their dex's universe size did not match. */
    droppedCtxRows: () => droppedRows,
  };
}
