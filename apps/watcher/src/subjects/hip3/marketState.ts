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
  /** The last {@link MAX_INTERVALS} intervals between observed oracle changes. */
  intervals: OracleIntervals;
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

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The oracle-update intervals (ms) of one market: the last {@link MAX_INTERVALS} in arrival order
 * and the same values in ascending order, so an evaluation reads their percentiles without a sort
 * (sorting 256 intervals per market per evaluation was ~18 ms/s of the worker at 3,000 markets,
 * `ARCHITECTURE.md` run J). Both live in one `Int32Array` allocated on the first push (2 KB per
 * market, outside the V8 heap): as two JS arrays they were ~6 KB of heap per market that every
 * full GC marked (~18 MB at 3,000 markets, run K). Values are whole ms clamped to the int32 range
 * (±24.8 days), which every interval the clock can produce fits.
 */
export class OracleIntervals {
  /** `[0, MAX)`: a ring in arrival order from `#head`; `[MAX, 2·MAX)`: the same values sorted. */
  #buf: Int32Array | null = null;
  #head = 0;
  #count = 0;

  /** Intervals held (at most {@link MAX_INTERVALS}). */
  get count(): number {
    return this.#count;
  }

  /** Appends one interval, dropping the oldest past {@link MAX_INTERVALS}. */
  push(ms: number): void {
    const v = Math.max(INT32_MIN, Math.min(INT32_MAX, Math.round(ms)));
    if (this.#buf === null) this.#buf = new Int32Array(2 * MAX_INTERVALS);
    const buf = this.#buf;
    let n = this.#count;
    if (n === MAX_INTERVALS) {
      const oldest = buf[this.#head] as number;
      buf[this.#head] = v;
      this.#head = (this.#head + 1) % MAX_INTERVALS;
      const at = this.#lowerBound(oldest, n);
      buf.copyWithin(MAX_INTERVALS + at, MAX_INTERVALS + at + 1, MAX_INTERVALS + n);
      n -= 1;
    } else {
      buf[(this.#head + n) % MAX_INTERVALS] = v;
    }
    const at = this.#lowerBound(v, n);
    buf.copyWithin(MAX_INTERVALS + at + 1, MAX_INTERVALS + at, MAX_INTERVALS + n);
    buf[MAX_INTERVALS + at] = v;
    this.#count = n + 1;
  }

  /** The nearest-rank percentile `p` (0–1] of the intervals, or null when there is none. */
  percentile(p: number): number | null {
    const n = this.#count;
    if (n === 0 || this.#buf === null) return null;
    const i = Math.min(n - 1, Math.max(0, Math.ceil(p * n) - 1));
    return this.#buf[MAX_INTERVALS + i] as number;
  }

  /** The longest interval, or null when there is none. */
  max(): number | null {
    return this.#count === 0 || this.#buf === null
      ? null
      : (this.#buf[MAX_INTERVALS + this.#count - 1] as number);
  }

  /** The intervals in arrival order, oldest first (a copy). */
  inArrivalOrder(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#count; i++)
      out.push(this.#buf?.[(this.#head + i) % MAX_INTERVALS] as number);
    return out;
  }

  /** The intervals in ascending order (a copy). */
  ascending(): number[] {
    return this.#buf === null
      ? []
      : Array.from(this.#buf.subarray(MAX_INTERVALS, MAX_INTERVALS + this.#count));
  }

  /** Index in the sorted half (of its first `n` values) of the first value not below `x`. */
  #lowerBound(x: number, n: number): number {
    const buf = this.#buf as Int32Array;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((buf[MAX_INTERVALS + mid] as number) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
    intervals: new OracleIntervals(),
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
        state.intervals.push(oracleIntervalMs);
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
  // An equal sample keeps the object already held: the new one then dies young instead of being
  // promoted with the state and left for a full GC (thousands of markets, a frame a second).
  if (changed) state.ctx = ctx;
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
