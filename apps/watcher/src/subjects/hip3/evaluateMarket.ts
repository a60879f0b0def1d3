import { HL_FUNDING_INTERVAL_HOURS } from '@perpscope/hyperliquid';
import { annualizeRate, depthSwings, hip3OracleFreshness } from '@perpscope/math';
import {
  type DeviationTier,
  type Hip3Deviation,
  type Hip3MarketMetrics,
  type Hip3MarketStatus,
  type Hip3Reason,
  marketSeverity,
  type OracleFreshness,
  severityRank,
} from '@perpscope/schemas';
import { marketHours } from './marketHours.js';
import {
  type DeviationClock,
  defaultHip3Thresholds,
  type Hip3Thresholds,
  type MarketState,
} from './marketState.js';

/** Result of {@link evaluateMarket}. */
export type MarketEvaluation = {
  status: Hip3MarketStatus;
  reasons: Hip3Reason[];
  metrics: Hip3MarketMetrics;
};

/**
 * The status two reasons combine to: `halted`, then `unknown`, override every verdict (they leave
 * none: `isMarketVerdict`); between verdicts the higher on the one severity scale wins
 * (`marketSeverity`: ok < watch < warn < critical).
 */
export function worseStatus(a: Hip3MarketStatus, b: Hip3MarketStatus): Hip3MarketStatus {
  for (const override of ['halted', 'unknown'] as const) {
    if (a === override || b === override) return override;
  }
  return severityRank(marketSeverity(b)) > severityRank(marketSeverity(a)) ? b : a;
}

function deviationOf(clock: DeviationClock, now: number, th: Hip3Thresholds): Hip3Deviation {
  const aboveL2 = clock.l2SinceMs === null ? 0 : Math.max(0, now - clock.l2SinceMs);
  const aboveL1 = clock.l1SinceMs === null ? 0 : Math.max(0, now - clock.l1SinceMs);
  let tier: DeviationTier = 'none';
  if (clock.l2SinceMs !== null && aboveL2 >= th.l3HoldMs) tier = 'L3';
  else if (clock.l2SinceMs !== null && aboveL2 >= th.l2HoldMs) tier = 'L2';
  else if (clock.l1SinceMs !== null) tier = 'L1';
  return {
    value: clock.value,
    tier,
    aboveL2Seconds: aboveL2 / 1000,
    aboveL1Seconds: aboveL1 / 1000,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

/** A market's status and reasons ({@link assessMarket}), without its metrics. */
export type MarketVerdict = Pick<MarketEvaluation, 'status' | 'reasons'>;

/**
 * {@link evaluateMarket}'s status and reasons, with the metrics built only when asked for:
 * `metrics()` must be called before `state` changes (the ticker calls it in the same synchronous
 * step, and only for the markets it writes — about one evaluation in five at steady state).
 */
export type MarketAssessment = MarketVerdict & { metrics(): Hip3MarketMetrics };

/**
 * Derives a market's status, reasons and metrics at `nowMs` (SPEC §3.2). Pure: everything comes
 * from `state` and `nowMs`. The same as {@link assessMarket} with the metrics built at once.
 */
export function evaluateMarket(
  state: MarketState,
  nowMs: number,
  th: Hip3Thresholds = defaultHip3Thresholds,
): MarketEvaluation {
  const a = assessMarket(state, nowMs, th);
  return { status: a.status, reasons: a.reasons, metrics: a.metrics() };
}

/**
 * Derives a market's status and reasons at `nowMs` (SPEC §3.2), and the function that builds its
 * metrics. Pure: everything comes from `state` and `nowMs`.
 *
 * Severity of each reason: oracle > 10 s without change → `warn` (mark has fallen back to the local
 * mark), > 60 s → `critical`; mark step > 1 % → `warn` for `jumpHoldMs`; deviation L1 → `watch`,
 * L2 → `warn`, L3 → `critical`; OI near/at cap, spoofing, wide spread → `watch`; depth collapse →
 * `warn`; halted/delisted → `halted`; no or stale samples → `unknown`. The status is the worst
 * reason; `ok` when there is none.
 */
export function assessMarket(
  state: MarketState,
  nowMs: number,
  th: Hip3Thresholds = defaultHip3Thresholds,
): MarketAssessment {
  const reasons: Hip3Reason[] = [];
  const add = (r: Hip3Reason) => reasons.push(r);
  const ctx = state.ctx;
  const isDelisted = state.meta?.isDelisted === true;
  const markDeviation = deviationOf(state.markDev, nowMs, th);
  const midDeviation = deviationOf(state.midDev, nowMs, th);

  const oracleAgeMs =
    state.oracleChangedMs === null
      ? null
      : nowMs - Math.max(state.oracleChangedMs, state.setOracleMs ?? Number.NEGATIVE_INFINITY);
  const setOracleAgeMs = state.setOracleMs === null ? null : nowMs - state.setOracleMs;
  const sampleAgeMs = state.lastSampleMs === null ? null : nowMs - state.lastSampleMs;
  const stale = sampleAgeMs === null || sampleAgeMs > th.sampleStaleMs;

  // Halt heuristics: delisted in meta, or an empty book with zero OI (haltTrading settles all
  // positions and cancels all orders — research/hyperliquid.md §1.1).
  const emptyHalt =
    ctx !== null && ctx.midPx === null && ctx.impactPxs === null && Number(ctx.openInterest) === 0;

  // The 10 s fallback / 60 s dead and 1 % mark-step rules are HIP-3 setOracle rules; a validator
  // perp's oracle (main dex) may keep printing the same price and its mark is not clamped, so
  // there freshness is shown only.
  const hip3 = state.dex !== '';
  let freshness: OracleFreshness = 'unknown';
  if (isDelisted || emptyHalt) {
    add({
      code: isDelisted ? 'delisted' : 'halted',
      severity: 'halted',
      message: isDelisted
        ? 'Market is delisted or halted (meta isDelisted)'
        : 'Trading halted: empty book and zero open interest',
      sinceMs: null,
    });
  } else if (ctx === null) {
    add({ code: 'no_data', severity: 'unknown', message: 'No ctx sample yet', sinceMs: null });
  } else if (stale) {
    add({
      code: 'stream_gap',
      severity: 'unknown',
      message: `No ctx sample for ${secs(sampleAgeMs ?? 0)}`,
      sinceMs: state.lastSampleMs,
    });
  } else {
    if (state.gap) {
      add({
        code: 'stream_gap',
        severity: 'watch',
        message: `Stream gap of ${secs(state.gap.toMs - state.gap.fromMs)} just recovered`,
        sinceMs: state.gap.fromMs,
      });
    }
    if (oracleAgeMs !== null) {
      freshness = hip3OracleFreshness(oracleAgeMs, th);
      const since = nowMs - oracleAgeMs;
      if (freshness === 'dead') {
        if (hip3)
          add({
            code: 'oracle_dead',
            severity: 'critical',
            message: `Oracle unchanged for ${secs(oracleAgeMs)} (> ${secs(th.deadAfterMs)})`,
            sinceMs: since,
          });
      } else if (freshness === 'fallback') {
        if (hip3)
          add({
            code: 'oracle_fallback',
            severity: 'warn',
            message: `Oracle unchanged for ${secs(oracleAgeMs)}: mark has fallen back to the local mark`,
            sinceMs: since,
          });
      }
    }
    if (hip3 && state.lastMarkJump && nowMs - state.lastMarkJump.atMs <= th.jumpHoldMs) {
      add({
        code: 'mark_jump',
        severity: 'warn',
        message: `Mark moved ${pct(state.lastMarkJump.fraction)} in one update (limit ${pct(th.jumpFraction)})`,
        sinceMs: state.lastMarkJump.atMs,
      });
    }
    if (state.lastOracleJump && nowMs - state.lastOracleJump.atMs <= th.jumpHoldMs) {
      add({
        code: 'oracle_jump',
        severity: 'watch',
        message: `Oracle moved ${pct(state.lastOracleJump.fraction)} in one update`,
        sinceMs: state.lastOracleJump.atMs,
      });
    }
    const devReason = (d: Hip3Deviation, clock: DeviationClock, kind: 'mark' | 'mid') => {
      if (d.tier === 'none' || d.value === null) return;
      const code =
        `${kind === 'mark' ? '' : 'mid_'}deviation_${d.tier.toLowerCase()}` as Hip3Reason['code'];
      const severity: Hip3MarketStatus =
        d.tier === 'L3' ? 'critical' : d.tier === 'L2' ? 'warn' : 'watch';
      const held = d.tier === 'L1' ? d.aboveL1Seconds : d.aboveL2Seconds;
      add({
        code,
        severity,
        message: `${kind === 'mark' ? 'Mark' : 'Mid'}–oracle deviation ${pct(d.value)} (${d.tier}, held ${Math.round(held)} s)`,
        sinceMs: d.tier === 'L1' ? clock.l1SinceMs : clock.l2SinceMs,
      });
    };
    devReason(markDeviation, state.markDev, 'mark');
    devReason(midDeviation, state.midDev, 'mid');
  }

  const mark = ctx ? Number(ctx.markPx) : null;
  const oiUsd = ctx && mark !== null ? Number(ctx.openInterest) * mark : null;
  const vol = ctx ? Number(ctx.dayNtlVlm) : null;
  const cap = state.oiCapUsd === null ? null : Number(state.oiCapUsd);
  const capUtil = oiUsd !== null && cap !== null && cap > 0 ? oiUsd / cap : null;
  const atCap = state.atOpenInterestCap || (capUtil !== null && capUtil >= 1);
  const live = !isDelisted && !emptyHalt && ctx !== null && !stale;
  if (live && atCap) {
    add({
      code: 'oi_at_cap',
      severity: 'watch',
      message: 'Open interest at its cap',
      sinceMs: null,
    });
  } else if (live && capUtil !== null && capUtil >= th.oiNearCapFraction) {
    add({
      code: 'oi_near_cap',
      severity: 'watch',
      message: `Open interest at ${pct(capUtil)} of its cap`,
      sinceMs: null,
    });
  }

  const depthNow = state.depth.at(-1);
  if (live && depthNow && state.depth.length >= 5) {
    const sorted = state.depth.map((d) => d.depthUsd).sort((a, b) => a - b);
    const baseline = sorted[Math.floor(sorted.length / 2)] ?? 0;
    if (baseline > 0 && depthNow.depthUsd < baseline * th.depthCollapseFraction) {
      add({
        code: 'depth_collapse',
        severity: 'warn',
        message: `Depth ±3 % fell to ${pct(depthNow.depthUsd / baseline)} of its median`,
        sinceMs: depthNow.timeMs,
      });
    }
    // Fast, direction-alternating depth swings (note 4's spoofing signal), by @perpscope/math.
    const recent = state.depth.filter((d) => d.timeMs >= depthNow.timeMs - th.spoofWindowMs);
    const swings =
      recent.length < 2
        ? 0
        : depthSwings({
            snapshots: recent.map((d) => ({ timeMs: d.timeMs, depth: d.depthUsd.toFixed(2) })),
            windowMs: th.spoofWindowMs,
            swingFraction: th.spoofSwingFraction,
            minSwings: th.spoofMinSwings,
          }).swingCount;
    if (swings >= th.spoofMinSwings) {
      add({
        code: 'spoofing',
        severity: 'watch',
        message: `${swings} alternating depth swings ≥ ${pct(th.spoofSwingFraction)} within ${secs(th.spoofWindowMs)}`,
        sinceMs: null,
      });
    }
  }
  if (live && state.spread !== null && state.spread > th.wideSpreadFraction) {
    add({
      code: 'wide_spread',
      severity: 'watch',
      message: `Spread ${pct(state.spread)}`,
      sinceMs: null,
    });
  }
  const hours = marketHours(state.coin, nowMs);
  if (live && hours && !hours.open) {
    add({
      code: 'market_closed',
      severity: 'ok',
      message: `Reference ${hours.kind} market is closed: the price may be pinned near the last close`,
      sinceMs: null,
    });
  }

  let status: Hip3MarketStatus = 'ok';
  for (const r of reasons) status = worseStatus(status, r.severity);
  const metrics = () =>
    buildMetrics(state, nowMs, th, {
      ctx,
      freshness,
      oracleAgeMs,
      setOracleAgeMs,
      markDeviation,
      midDeviation,
      oiUsd,
      vol,
      capUtil,
      atCap,
      hours,
    });
  return { status, reasons, metrics };
}

/** What {@link assessMarket} derived on the way to the reasons that the metrics show too. */
type Derived = {
  ctx: MarketState['ctx'];
  freshness: OracleFreshness;
  oracleAgeMs: number | null;
  setOracleAgeMs: number | null;
  markDeviation: Hip3Deviation;
  midDeviation: Hip3Deviation;
  oiUsd: number | null;
  vol: number | null;
  capUtil: number | null;
  atCap: boolean;
  hours: ReturnType<typeof marketHours>;
};

/** The metrics of {@link evaluateMarket} (see {@link MarketAssessment.metrics}). */
function buildMetrics(
  state: MarketState,
  nowMs: number,
  th: Hip3Thresholds,
  d: Derived,
): Hip3MarketMetrics {
  const {
    ctx,
    freshness,
    oracleAgeMs,
    setOracleAgeMs,
    markDeviation,
    midDeviation,
    oiUsd,
    vol,
    capUtil,
    atCap,
    hours,
  } = d;
  const toS = (x: number | null) => (x === null ? null : x / 1000);
  const recentJump =
    state.lastMarkJump && nowMs - state.lastMarkJump.atMs <= th.jumpHoldMs
      ? Math.abs(state.lastMarkJump.fraction)
      : null;
  return {
    markPx: ctx?.markPx ?? null,
    midPx: ctx?.midPx ?? null,
    oracle: {
      freshness,
      oraclePx: ctx?.oraclePx ?? null,
      lastChangeAgeSeconds: oracleAgeMs === null ? null : oracleAgeMs / 1000,
      lastSetOracleAgeSeconds: setOracleAgeMs === null ? null : setOracleAgeMs / 1000,
      intervalP50Seconds: toS(state.intervals.percentile(0.5)),
      intervalP95Seconds: toS(state.intervals.percentile(0.95)),
      intervalMaxSeconds: toS(state.intervals.max()),
      maxMarkJump: recentJump,
    },
    markDeviation,
    midDeviation,
    fundingRate1h: ctx?.funding ?? null,
    fundingApr: ctx
      ? annualizeRate({ rate: ctx.funding, intervalHours: HL_FUNDING_INTERVAL_HOURS })
      : null,
    fundingMultiplier: state.fundingMultiplier,
    premium: ctx?.premium ?? null,
    openInterest: ctx?.openInterest ?? null,
    openInterestUsd: oiUsd === null ? null : oiUsd.toFixed(2),
    dayNtlVlm: ctx?.dayNtlVlm ?? null,
    oiToVolume: oiUsd !== null && vol !== null && vol > 0 ? oiUsd / vol : null,
    oiCapUsd: state.oiCapUsd,
    oiCapUtilization: capUtil,
    atOpenInterestCap: atCap,
    depthBid3PctUsd: state.depthBidUsd === null ? null : state.depthBidUsd.toFixed(2),
    depthAsk3PctUsd: state.depthAskUsd === null ? null : state.depthAskUsd.toFixed(2),
    spread: state.spread,
    growthMode: state.meta?.growthMode === 'enabled',
    marketHours: hours,
    lastSampleMs: state.lastSampleMs,
  };
}

/**
 * The earliest time after `nowMs` at which {@link evaluateMarket} could answer differently for an
 * unchanged `state`: the next threshold one of its clocks crosses (oracle fallback and dead, sample
 * staleness, jump holds, deviation L2/L3 holds), capped at `nowMs + maxWaitMs` (market hours and
 * the ages shown in the metrics move with time too). The ticker re-evaluates a market whose inputs
 * did not change only then, so each rule still fires on the first tick past its threshold.
 */
export function nextEvaluationDueMs(
  state: MarketState,
  nowMs: number,
  th: Hip3Thresholds,
  maxWaitMs: number,
): number {
  let due = nowMs + maxWaitMs;
  // The rules compare with `>`: the first instant they hold is 1 ms past the threshold.
  const at = (t: number | null | undefined, plusMs: number) => {
    if (t === null || t === undefined) return;
    const d = t + plusMs;
    if (d > nowMs && d < due) due = d;
  };
  const oracleBase =
    state.oracleChangedMs === null
      ? null
      : Math.max(state.oracleChangedMs, state.setOracleMs ?? Number.NEGATIVE_INFINITY);
  at(oracleBase, th.fallbackAfterMs + 1);
  at(oracleBase, th.deadAfterMs + 1);
  at(state.lastSampleMs, th.sampleStaleMs + 1);
  at(state.lastMarkJump?.atMs, th.jumpHoldMs + 1);
  at(state.lastOracleJump?.atMs, th.jumpHoldMs + 1);
  for (const clock of [state.markDev, state.midDev]) {
    at(clock.l2SinceMs, th.l2HoldMs);
    at(clock.l2SinceMs, th.l3HoldMs);
  }
  return due;
}
