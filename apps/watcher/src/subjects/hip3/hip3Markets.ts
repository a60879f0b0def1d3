import {
  type HlAllDexsAssetCtxsEvent,
  type HlL2Book,
  type HlMeta,
  HlPerpAssetCtx,
  type HlPerpDexLimits,
  type HlPerpDexs,
  type HlUserDetails,
  parsePerpAssetCtxFast,
  parseSetOracleActionFast,
} from '@perpscope/hyperliquid';
import { bookDepth, bookSpread } from '@perpscope/math';
import type { Clock } from '../../clock.js';
import type { Hip3DexRow, Hip3OracleUpdateRow, Hip3SampleRow } from '../../db/queries/hip3.js';
import type { EventWriter } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
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

/** Parameters of {@link createHip3Markets}. */
export type CreateHip3MarketsParameters = {
  clock: Clock;
  logger: Logger;
  counters: PayloadCounters;
  thresholds?: Hip3Thresholds;
  /** Dex names to watch; `null` = every discovered HIP-3 dex. */
  dexFilter: readonly string[] | null;
  /** Also watch the main (validator) dex `''`. */
  includeMainDex: boolean;
};

/** What {@link Hip3Markets.ingestFrame} saw. */
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

/**
 * Sample (and, apart, oracle-update) rows held for the next commit while commits fail: ~10 min of
 * ctx samples for 300 markets. Older rows are dropped first (see `requeuePending`).
 */
export const PENDING_ROWS_MAX = 200_000;

/**
 * Explorer txs remembered as applied, per oracle writer: over three times the ~300 txs (~15 min at
 * HL's ~3 s cadence) the explorer answers per writer, so a tx still in the answer is never
 * forgotten. Per writer, not one pool: a pool sized for dozens of writers (it was 50,000
 * `user:hash` keys) filled only after ~5 hours at 8 writers and then held ~12 MB of the worker's
 * heap (11.6 MB in a harness; 8 writers × 1,000 hashes: 0.8 MB).
 */
const SEEN_TXS_PER_WRITER = 1_000;

/**
 * What ingestion produced since the last tick, for {@link recordHip3Changes}: rows to store and
 * events to emit. Taken (and emptied) by {@link Hip3Markets.takePending}.
 */
export type Hip3Pending = {
  dexRows: Omit<Hip3DexRow, 'firstSeenAt'>[];
  samples: Hip3SampleRow[];
  oracle: Hip3OracleUpdateRow[];
  gaps: { fromAt: number; toAt: number; reason: string }[];
  metas: { coin: string; dex: string; metaJson: string; isDelisted: boolean }[];
  events: ((w: EventWriter) => Promise<unknown>)[];
};

/** A {@link Hip3Pending} with nothing queued. */
export const emptyHip3Pending = (): Hip3Pending => ({
  dexRows: [],
  samples: [],
  oracle: [],
  gaps: [],
  metas: [],
  events: [],
});

/** The HIP-3 market registry and ingestion (see {@link createHip3Markets}). */
export type Hip3Markets = ReturnType<typeof createHip3Markets>;

/**
 * The registry of watched dexes and markets and the ingestion into it: folds validated payloads
 * (ctx stream, REST, explorer, books) into per-market state, queues the rows they produce
 * ({@link Hip3Pending}) and marks the markets whose inputs changed. No I/O: the ticker evaluates
 * and {@link recordHip3Changes} writes.
 */
export function createHip3Markets(params: CreateHip3MarketsParameters) {
  const th = params.thresholds ?? defaultHip3Thresholds;
  const { clock, counters } = params;
  const dexes = new Map<string, DexInfo>();
  const universe = new Map<string, string[]>();
  const states = new Map<string, MarketState>();
  const writerDex = new Map<string, Set<string>>();
  let pending = emptyHip3Pending();
  let droppedPending = 0;
  /** Markets whose inputs changed since the last {@link takeChanged} (the ticker evaluates them). */
  let changed = new Set<string>();
  /** Dexes currently answering a ctx count that differs from their known universe (logged once). */
  const mismatchedDexes = new Set<string>();
  let droppedRows = 0;
  /** Applied explorer tx hashes by lower-cased writer address, oldest first. */
  const seenTxs = new Map<string, Set<string>>();

  const watched = (dex: string) =>
    dex === ''
      ? params.includeMainDex
      : params.dexFilter === null || params.dexFilter.includes(dex);

  /** Folds the `perpDexs` answer in; returns the names of newly discovered watched dexes. */
  function applyPerpDexs(list: HlPerpDexs): string[] {
    const now = clock.now();
    const added: string[] = [];
    const rows: Omit<Hip3DexRow, 'firstSeenAt'>[] = [];
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
    pending.dexRows.push(...rows);
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
      changed.add(u.name);
      if (isNew || wasDelisted !== isDelisted) {
        pending.metas.push({ coin: u.name, dex, metaJson: JSON.stringify(u), isDelisted });
        if (known !== undefined && isNew) {
          pending.events.push((w) =>
            w.emit('market.listed', { type: 'market', id: u.name }, { dex }),
          );
        }
        if (!isNew && wasDelisted !== isDelisted) {
          pending.events.push((w) =>
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
      const prevSampleMs = s.lastSampleMs;
      const hadGap = s.gap !== null;
      const obs = observeCtx(s, ctx, receivedMs, th);
      // Taken (not an older sample replayed after a reconnect): remember how it came.
      if (s.lastSampleMs === receivedMs) s.lastSampleVia = source;
      accepted += 1;
      // An unchanged row is news too when it ends a stale stretch or a stream gap.
      if (
        obs.changed ||
        hadGap !== (s.gap !== null) ||
        prevSampleMs === null ||
        receivedMs - prevSampleMs > th.sampleStaleMs
      ) {
        changed.add(coin);
      }
      if (!obs.changed) continue;
      pending.samples.push({
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
        pending.oracle.push({
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
      if (s && s.oiCapUsd !== cap) {
        s.oiCapUsd = cap;
        changed.add(coin);
      }
    }
  }

  /** Coins of `dex` currently at their OI cap (`perpsAtOpenInterestCap`). */
  function applyAtCap(dex: string, coins: readonly string[]) {
    const set = new Set(coins);
    for (const c of universe.get(dex) ?? []) {
      const s = states.get(c);
      if (s && s.atOpenInterestCap !== set.has(c)) {
        s.atOpenInterestCap = set.has(c);
        changed.add(c);
      }
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
      changed.add(book.coin);
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

  function rememberTx(user: string, hash: string) {
    let seen = seenTxs.get(user);
    if (seen === undefined) {
      seen = new Set();
      seenTxs.set(user, seen);
    }
    seen.add(hash);
    // Bounded: beyond it the oldest hashes go (a forgotten tx is only re-inserted, idempotently).
    if (seen.size > SEEN_TXS_PER_WRITER) seen.delete(seen.values().next().value as string);
  }

  const knowsTx = (user: string, hash: string): boolean =>
    seenTxs.get(user.toLowerCase())?.has(hash) ?? false;

  /** `setOracle` actions of an oracle writer (explorer `userDetails`): exact update times. */
  function applySetOracleTxs(details: HlUserDetails) {
    let added = 0;
    for (const tx of details.txs) {
      // The explorer returns a writer's recent history on every poll (hundreds of txs of ~100
      // prices each). Rows of a tx already applied are stored (inserts are idempotent), so skip it
      // rather than validate and re-insert thousands of rows in one tick.
      const user = tx.user.toLowerCase();
      if (knowsTx(user, tx.hash)) continue;
      // Not zod: ~375 price pairs per tx at 3,000 markets (see `parseSetOracleActionFast`).
      const action = parseSetOracleActionFast(tx.action);
      if (action === null) {
        rememberTx(user, tx.hash);
        continue; // other actions of the same address
      }
      const { dex, oraclePxs, markPxs } = action.setOracle;
      const allowedDexes = writerDex.get(user);
      // A non-writer's attempt (HL rejects it anyway); not remembered: discovery may add the writer.
      if (!allowedDexes?.has(dex)) continue;
      rememberTx(user, tx.hash);
      const marks = new Map(markPxs[0] ?? []);
      for (const [coin, px] of oraclePxs) {
        const s = states.get(coin);
        if (!s) continue;
        if (tx.error === null && (s.setOracleMs === null || tx.time > s.setOracleMs)) {
          s.setOracleMs = tx.time;
          changed.add(coin);
        }
        pending.oracle.push({
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
    pending.gaps.push({ fromAt: fromMs, toAt: toMs, reason });
    for (const [coin, s] of states) {
      s.gap = { fromMs, toMs };
      changed.add(coin);
    }
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
    /**
     * Whether the explorer tx `hash` of `user` was applied already ({@link applySetOracleTxs}
     * skips it): the explorer poll cuts such txs out of the answer's text unparsed.
     */
    knowsTx,
    markGap,
    /** The markets whose inputs changed since the last call; starts a new set. */
    takeChanged(): Set<string> {
      const taken = changed;
      changed = new Set();
      return taken;
    },
    /** Everything queued since the last call (the next commit's content); empties the queue. */
    takePending(): Hip3Pending {
      const taken = pending;
      pending = emptyHip3Pending();
      return taken;
    },
    /**
     * Puts back what {@link takePending} returned when its commit failed, ahead of what was queued
     * since, so the rows land with the next commit that succeeds. While storage keeps failing the
     * queue is capped at {@link PENDING_ROWS_MAX} sample and oracle rows each (the oldest dropped
     * and counted in `droppedPendingRows`): the markets are served `unknown` meanwhile, and a
     * full disk must not also exhaust memory.
     */
    requeuePending(taken: Hip3Pending): void {
      const cap = <T>(rows: T[]): T[] => {
        if (rows.length <= PENDING_ROWS_MAX) return rows;
        droppedPending += rows.length - PENDING_ROWS_MAX;
        return rows.slice(rows.length - PENDING_ROWS_MAX);
      };
      pending = {
        dexRows: [...taken.dexRows, ...pending.dexRows],
        samples: cap([...taken.samples, ...pending.samples]),
        oracle: cap([...taken.oracle, ...pending.oracle]),
        gaps: [...taken.gaps, ...pending.gaps],
        metas: [...taken.metas, ...pending.metas],
        events: [...taken.events, ...pending.events],
      };
    },
    /** Sample and oracle rows dropped from a queue held back by failing commits (see requeuePending). */
    droppedPendingRows: () => droppedPending,
    /** Oracle-writer addresses of all watched dexes. */
    oracleWriters: () => [...writerDex.keys()],
    watchedDexes: () => [...dexes.keys()],
    /** Ctx rows dropped so far because their dex's universe size did not match. */
    droppedCtxRows: () => droppedRows,
  };
}
