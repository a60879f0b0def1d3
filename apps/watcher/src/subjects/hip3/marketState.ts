import type { HlPerpAssetCtx, HlUniverseEntry } from '@perpscope/hyperliquid';
import { hip3OracleTiers } from '@perpscope/math';

/** Thresholds of the HIP-3 rules (SPEC §3.2, note 4, research/hyperliquid.md §1.2). */
export type Hip3Thresholds = {
  /** No oracle change for longer → the protocol has fallen back to the local mark. */
  fallbackAfterMs: number;
  /** No oracle change for longer → the oracle is dead. */
  deadAfterMs: number;
  /** Mark step per update above this fraction violates the setOracle clamp. */
  jumpFraction: number;
  /** How long a jump keeps its reason on the market. */
  jumpHoldMs: number;
  l1Fraction: number;
  l2Fraction: number;
  /** ≥ l2Fraction held this long → L2. */
  l2HoldMs: number;
  /** ≥ l2Fraction held this long → L3. */
  l3HoldMs: number;
  /** No ctx sample for longer → status `unknown` (we cannot see the market). */
  sampleStaleMs: number;
  oiNearCapFraction: number;
  wideSpreadFraction: number;
  /** Depth below this fraction of its baseline median → collapse. */
  depthCollapseFraction: number;
  /** Window in which alternating depth swings count toward spoofing. */
  spoofWindowMs: number;
  spoofSwingFraction: number;
  spoofMinSwings: number;
};

/** Defaults: 10 s fallback, 60 s dead, 1 % clamp, L1 3 %, L2 5 % for 30 s, L3 5 % for 5 min. */
export const defaultHip3Thresholds: Hip3Thresholds = {
  // Oracle staleness and deviation tiers: defined once, in @perpscope/math.
  fallbackAfterMs: hip3OracleTiers.fallbackAfterMs,
  deadAfterMs: hip3OracleTiers.deadAfterMs,
  jumpFraction: 0.01,
  jumpHoldMs: 60_000,
  l1Fraction: hip3OracleTiers.l1Fraction,
  l2Fraction: hip3OracleTiers.l2Fraction,
  l2HoldMs: hip3OracleTiers.l2HoldMs,
  l3HoldMs: hip3OracleTiers.l3HoldMs,
  sampleStaleMs: 15_000,
  oiNearCapFraction: 0.9,
  wideSpreadFraction: 0.01,
  depthCollapseFraction: 0.2,
  spoofWindowMs: 60_000,
  spoofSwingFraction: 0.3,
  spoofMinSwings: 4,
};

/** How long a deviation has been above the L1 and L2 thresholds. */
export type DeviationClock = {
  value: number | null;
  l1SinceMs: number | null;
  l2SinceMs: number | null;
};

/** One book observation. */
export type DepthPoint = { timeMs: number; depthUsd: number };

/** Everything the watcher remembers about one market between samples. */
export type MarketState = {
  coin: string;
  dex: string;
  meta: HlUniverseEntry | null;
  fundingMultiplier: string | null;
  oiCapUsd: string | null;
  atOpenInterestCap: boolean;
  ctx: HlPerpAssetCtx | null;
  lastSampleMs: number | null;
  /** How the latest sample (`ctx`) arrived: the ctx stream or the REST fallback. */
  lastSampleVia: 'ws' | 'rest' | null;
  oracleChangedMs: number | null;
  /** Latest successful `setOracle` block time for this coin (explorer source). */
  setOracleMs: number | null;
  /** Recent intervals between observed oracle changes (ms), oldest first. */
  intervals: number[];
  /**
   * The same intervals in ascending order, kept beside `intervals` by {@link pushOracleInterval}
   * so an evaluation reads their percentiles without sorting. Sorting 256 intervals per market
   * per evaluation was ~18 ms/s of the worker at 3,000 markets once they had filled
   * (`ARCHITECTURE.md`, run J).
   */
  intervalsSorted: number[];
  lastMarkJump: { fraction: number; atMs: number } | null;
  lastOracleJump: { fraction: number; atMs: number } | null;
  markDev: DeviationClock;
  midDev: DeviationClock;
  depth: DepthPoint[];
  depthBidUsd: number | null;
  depthAskUsd: number | null;
  spread: number | null;
  /** Set by the ingestion when the stream had a gap; cleared by the next fresh sample. */
  gap: { fromMs: number; toMs: number } | null;
};

/** Oracle intervals a market keeps (its percentiles are over these). */
export const MAX_INTERVALS = 256;
const MAX_DEPTH_POINTS = 240;

/** Index of the first element of ascending `sorted` that is not below `x`. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Appends one oracle interval (ms) to `intervals` (the oldest dropped past {@link MAX_INTERVALS})
 * and keeps `intervalsSorted` equal to them in ascending order: a binary-search insert and
 * removal instead of a sort per evaluation.
 */
export function pushOracleInterval(
  state: Pick<MarketState, 'intervals' | 'intervalsSorted'>,
  ms: number,
): void {
  state.intervals.push(ms);
  state.intervalsSorted.splice(lowerBound(state.intervalsSorted, ms), 0, ms);
  if (state.intervals.length > MAX_INTERVALS) {
    const oldest = state.intervals.shift() as number;
    state.intervalsSorted.splice(lowerBound(state.intervalsSorted, oldest), 1);
  }
}

/** A fresh state for a newly discovered market. */
export function createMarketState(coin: string, dex: string): MarketState {
  return {
    coin,
    dex,
    meta: null,
    fundingMultiplier: null,
    oiCapUsd: null,
    atOpenInterestCap: false,
    ctx: null,
    lastSampleMs: null,
    lastSampleVia: null,
    oracleChangedMs: null,
    setOracleMs: null,
    intervals: [],
    intervalsSorted: [],
    lastMarkJump: null,
    lastOracleJump: null,
    markDev: { value: null, l1SinceMs: null, l2SinceMs: null },
    midDev: { value: null, l1SinceMs: null, l2SinceMs: null },
    depth: [],
    depthBidUsd: null,
    depthAskUsd: null,
    spread: null,
    gap: null,
  };
}

/** What one ctx sample changed, for the oracle-update log. */
export type CtxObservation = {
  /** The sample differs from the previous one in any field (only changed samples are stored). */
  changed: boolean;
  oracleChanged: boolean;
  /** ms since the previous observed oracle change (null for the first). */
  oracleIntervalMs: number | null;
  /** Relative mark step vs the previous sample, or null. */
  markJump: number | null;
};

function sameCtx(a: HlPerpAssetCtx, b: HlPerpAssetCtx): boolean {
  return (
    a.oraclePx === b.oraclePx &&
    a.markPx === b.markPx &&
    a.midPx === b.midPx &&
    a.funding === b.funding &&
    a.openInterest === b.openInterest &&
    a.premium === b.premium &&
    a.dayNtlVlm === b.dayNtlVlm &&
    a.prevDayPx === b.prevDayPx &&
    a.dayBaseVlm === b.dayBaseVlm &&
    a.impactPxs?.[0] === b.impactPxs?.[0] &&
    a.impactPxs?.[1] === b.impactPxs?.[1]
  );
}

function trackDeviation(
  clock: DeviationClock,
  value: number | null,
  t: number,
  th: Hip3Thresholds,
) {
  clock.value = value;
  const abs = value === null ? 0 : Math.abs(value);
  if (abs >= th.l1Fraction) clock.l1SinceMs ??= t;
  else clock.l1SinceMs = null;
  if (abs >= th.l2Fraction) clock.l2SinceMs ??= t;
  else clock.l2SinceMs = null;
}

/**
 * Folds one validated ctx sample (stamped with its receive time) into the market state: oracle
 * change time and interval, mark/oracle jumps, deviation clocks. Samples older than the latest
 * one are ignored (a replayed snapshot after a reconnect must not move time backwards).
 */
export function observeCtx(
  state: MarketState,
  ctx: HlPerpAssetCtx,
  receivedMs: number,
  th: Hip3Thresholds = defaultHip3Thresholds,
): CtxObservation {
  const prev = state.ctx;
  if (state.lastSampleMs !== null && receivedMs < state.lastSampleMs) {
    return { changed: false, oracleChanged: false, oracleIntervalMs: null, markJump: null };
  }
  const changed = prev === null || !sameCtx(prev, ctx);
  let oracleChanged = false;
  let oracleIntervalMs: number | null = null;
  let markJump: number | null = null;
  const oracle = Number(ctx.oraclePx);
  const mark = Number(ctx.markPx);
  if (prev === null) {
    oracleChanged = true;
    state.oracleChangedMs = receivedMs;
  } else {
    if (prev.oraclePx !== ctx.oraclePx) {
      oracleChanged = true;
      if (state.oracleChangedMs !== null) {
        oracleIntervalMs = receivedMs - state.oracleChangedMs;
        pushOracleInterval(state, oracleIntervalMs);
      }
      state.oracleChangedMs = receivedMs;
      const prevOracle = Number(prev.oraclePx);
      const oracleStep = prevOracle > 0 ? oracle / prevOracle - 1 : 0;
      if (Math.abs(oracleStep) > th.jumpFraction) {
        state.lastOracleJump = { fraction: oracleStep, atMs: receivedMs };
      }
    }
    if (prev.markPx !== ctx.markPx) {
      const prevMark = Number(prev.markPx);
      markJump = prevMark > 0 ? mark / prevMark - 1 : null;
      // One update apart only: a longer gap may hide several legal ≤ 1 % steps.
      const gapMs = state.lastSampleMs === null ? 0 : receivedMs - state.lastSampleMs;
      if (markJump !== null && Math.abs(markJump) > th.jumpFraction && gapMs <= 5_000) {
        state.lastMarkJump = { fraction: markJump, atMs: receivedMs };
      }
    }
  }
  trackDeviation(state.markDev, oracle > 0 ? mark / oracle - 1 : null, receivedMs, th);
  const mid = ctx.midPx === null ? null : Number(ctx.midPx);
  trackDeviation(
    state.midDev,
    mid !== null && oracle > 0 ? mid / oracle - 1 : null,
    receivedMs,
    th,
  );
  state.ctx = ctx;
  state.lastSampleMs = receivedMs;
  if (state.gap && receivedMs >= state.gap.toMs) state.gap = null;
  return { changed, oracleChanged, oracleIntervalMs, markJump };
}

/** Folds one book observation (depth ±3 % per side in USD and relative spread). */
export function observeBook(
  state: MarketState,
  obs: { timeMs: number; bidUsd: number; askUsd: number; spread: number | null },
) {
  state.depthBidUsd = obs.bidUsd;
  state.depthAskUsd = obs.askUsd;
  state.spread = obs.spread;
  state.depth.push({ timeMs: obs.timeMs, depthUsd: obs.bidUsd + obs.askUsd });
  if (state.depth.length > MAX_DEPTH_POINTS) state.depth.shift();
}
