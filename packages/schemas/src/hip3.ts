import { z } from 'zod';

/**
 * Status of one HIP-3 market (SPEC §3.2), worst reason wins:
 * - `ok` nothing notable;
 * - `watch` early signs (deviation L1 ≥ 3 %, OI near its cap, wide spread, spoofing pattern);
 * - `warn` the oracle has not moved for > 10 s (mark fell back to the local mark), a mark step
 *   above the 1 % clamp, deviation L2 (≥ 5 % for ≥ 30 s), depth collapse;
 * - `critical` oracle dead (> 60 s) or deviation L3 (≥ 5 % for 5 min);
 * - `halted` trading halted or market delisted;
 * - `unknown` no trustworthy data (stream down, never seen, rejected payloads only).
 */
export const Hip3MarketStatus = z
  .enum(['ok', 'watch', 'warn', 'critical', 'halted', 'unknown'])
  .meta({ id: 'Hip3MarketStatus' });
export type Hip3MarketStatus = z.infer<typeof Hip3MarketStatus>;

/** Stable machine codes of the reasons behind a market status. */
export const Hip3ReasonCode = z
  .enum([
    'no_data',
    'stream_gap',
    'oracle_fallback',
    'oracle_dead',
    'mark_jump',
    'oracle_jump',
    'deviation_l1',
    'deviation_l2',
    'deviation_l3',
    'mid_deviation_l1',
    'mid_deviation_l2',
    'mid_deviation_l3',
    'oi_near_cap',
    'oi_at_cap',
    'depth_collapse',
    'spoofing',
    'wide_spread',
    'market_closed',
    'halted',
    'delisted',
  ])
  .meta({ id: 'Hip3ReasonCode' });
export type Hip3ReasonCode = z.infer<typeof Hip3ReasonCode>;

/** One reason contributing to a market status, with the severity it implies on its own. */
export const Hip3Reason = z
  .object({
    code: Hip3ReasonCode,
    severity: Hip3MarketStatus,
    message: z.string(),
    /** Epoch ms when the condition started (receive time of the first sample showing it), if known. */
    sinceMs: z.number().int().nullable(),
  })
  .meta({ id: 'Hip3Reason' });
export type Hip3Reason = z.infer<typeof Hip3Reason>;

/** Deviation tier per note 4: L1 ≥ 3 %; L2 ≥ 5 % held ≥ 30 s; L3 ≥ 5 % held ≥ 5 min. */
export const DeviationTier = z.enum(['none', 'L1', 'L2', 'L3']).meta({ id: 'DeviationTier' });
export type DeviationTier = z.infer<typeof DeviationTier>;

/** Oracle freshness: `fresh` ≤ 10 s since the last change, `fallback` > 10 s, `dead` > 60 s. */
export const OracleFreshness = z
  .enum(['fresh', 'fallback', 'dead', 'unknown'])
  .meta({ id: 'OracleFreshness' });
export type OracleFreshness = z.infer<typeof OracleFreshness>;

/** A HIP-3 dex as discovered from `perpDexs` (GET /v1/hip3/dexes). */
export const Hip3Dex = z
  .object({
    name: z.string(),
    fullName: z.string(),
    deployer: z.string(),
    /** `oracleUpdater` ∪ `subDeployers["setOracle"]`, lower-cased, de-duplicated. */
    oracleWriters: z.array(z.string()),
    /** Position in the `perpDexs` array (asset ids are `100000 + index·10000 + i`). */
    index: z.number().int(),
    marketCount: z.number().int().nonnegative(),
    /** `perpDexLimits.totalOiCap` in USD (decimal string) when known. */
    totalOiCapUsd: z.string().nullable(),
    firstSeenMs: z.number().int(),
    lastSeenMs: z.number().int(),
  })
  .meta({ id: 'Hip3Dex' });
export type Hip3Dex = z.infer<typeof Hip3Dex>;

export const Hip3DexList = z.object({ dexes: z.array(Hip3Dex) }).meta({ id: 'Hip3DexList' });
export type Hip3DexList = z.infer<typeof Hip3DexList>;

/** Oracle block of a market: freshness, last change and interval statistics. */
export const Hip3OracleState = z
  .object({
    freshness: OracleFreshness,
    oraclePx: z.string().nullable(),
    /** Seconds since the oracle price last changed (on the watcher's receive clock). */
    lastChangeAgeSeconds: z.number().nullable(),
    /** Seconds since the last `setOracle` action seen on the explorer, when that source is enabled. */
    lastSetOracleAgeSeconds: z.number().nullable(),
    /** Distribution of intervals between observed oracle changes (seconds) over the recent window. */
    intervalP50Seconds: z.number().nullable(),
    intervalP95Seconds: z.number().nullable(),
    intervalMaxSeconds: z.number().nullable(),
    /** Largest mark step between consecutive samples in the recent window, as a fraction (0.01 = 1 %). */
    maxMarkJump: z.number().nullable(),
  })
  .meta({ id: 'Hip3OracleState' });
export type Hip3OracleState = z.infer<typeof Hip3OracleState>;

/** A deviation (mark–oracle or mid–oracle): current value, tier and how long it has been held. */
export const Hip3Deviation = z
  .object({
    /** Signed fraction `(px − oracle)/oracle`. */
    value: z.number().nullable(),
    tier: DeviationTier,
    /** Seconds the deviation has stayed ≥ 5 % (L2/L3 clock); 0 when below. */
    aboveL2Seconds: z.number(),
    /** Seconds the deviation has stayed ≥ 3 %; 0 when below. */
    aboveL1Seconds: z.number(),
  })
  .meta({ id: 'Hip3Deviation' });
export type Hip3Deviation = z.infer<typeof Hip3Deviation>;

/** Current metrics of a market (GET /v1/hip3/markets/{coin}). */
export const Hip3MarketMetrics = z
  .object({
    markPx: z.string().nullable(),
    midPx: z.string().nullable(),
    oracle: Hip3OracleState,
    markDeviation: Hip3Deviation,
    midDeviation: Hip3Deviation,
    /** Hour-to-date funding rate per hour (decimal string, as HL sends it). */
    fundingRate1h: z.string().nullable(),
    /** `rate1h × 8760` (decimal string); HL's rate already includes the dex funding multiplier. */
    fundingApr: z.string().nullable(),
    fundingMultiplier: z.string().nullable(),
    premium: z.string().nullable(),
    /** Open interest in base units (coins), as HL sends it. */
    openInterest: z.string().nullable(),
    openInterestUsd: z.string().nullable(),
    dayNtlVlm: z.string().nullable(),
    /** OI (USD) / 24 h notional volume. */
    oiToVolume: z.number().nullable(),
    oiCapUsd: z.string().nullable(),
    /** OI (USD) / per-asset OI cap; ≥ 1 at the cap. */
    oiCapUtilization: z.number().nullable(),
    atOpenInterestCap: z.boolean(),
    /** Book depth within ±3 % of mid, USD notional per side, from the latest `l2Book`. */
    depthBid3PctUsd: z.string().nullable(),
    depthAsk3PctUsd: z.string().nullable(),
    /** Relative spread `(ask − bid)/mid`. */
    spread: z.number().nullable(),
    growthMode: z.boolean(),
    /** Non-24h asset (equity/commodity/index) and whether its reference market is open now. */
    marketHours: z
      .object({ kind: z.enum(['24x7', 'equity', 'commodity']), open: z.boolean() })
      .nullable(),
    lastSampleMs: z.number().int().nullable(),
  })
  .meta({ id: 'Hip3MarketMetrics' });
export type Hip3MarketMetrics = z.infer<typeof Hip3MarketMetrics>;

/** Summary row of a market (GET /v1/hip3/markets?dex=). */
const Hip3MarketFields = z.object({
  coin: z.string(),
  dex: z.string(),
  status: Hip3MarketStatus,
  reasons: z.array(Hip3Reason),
  /**
   * What a trader should do in this status (SPEC §0 note 4's monitoring tiers as advice; the same
   * sentence goes into alerts); empty for `ok`.
   */
  guidance: z.string(),
  statusSinceMs: z.number().int().nullable(),
  isDelisted: z.boolean(),
  maxLeverage: z.number().int().nullable(),
  markPx: z.string().nullable(),
  oraclePx: z.string().nullable(),
  fundingApr: z.string().nullable(),
  lastSampleMs: z.number().int().nullable(),
});
export const Hip3Market = Hip3MarketFields.meta({ id: 'Hip3Market' });
export type Hip3Market = z.infer<typeof Hip3Market>;

export const Hip3MarketList = z
  .object({ markets: z.array(Hip3Market) })
  .meta({ id: 'Hip3MarketList' });
export type Hip3MarketList = z.infer<typeof Hip3MarketList>;

/** Market detail: the summary plus every metric. */
export const Hip3MarketDetail = Hip3MarketFields.extend({ metrics: Hip3MarketMetrics }).meta({
  id: 'Hip3MarketDetail',
});
export type Hip3MarketDetail = z.infer<typeof Hip3MarketDetail>;

/**
 * One oracle update of a market. `source: 'ctx'` = an observed change of `oraclePx` in the ctx
 * stream (time = watcher receive time); `source: 'explorer'` = a `setOracle` action of one of the
 * dex's oracle writers (time = block time, may have failed — then `error` is set).
 */
export const Hip3OracleUpdate = z
  .object({
    timeMs: z.number().int(),
    source: z.enum(['ctx', 'explorer']),
    oraclePx: z.string().nullable(),
    markPx: z.string().nullable(),
    /** Seconds since the previous update of the same source. */
    intervalSeconds: z.number().nullable(),
    /** Relative mark step vs the previous update (fraction). */
    markJump: z.number().nullable(),
    txHash: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'Hip3OracleUpdate' });
export type Hip3OracleUpdate = z.infer<typeof Hip3OracleUpdate>;

/** Page of oracle updates, newest first; pass `nextCursor` as `cursor` for the next page. */
export const Hip3OracleUpdatePage = z
  .object({
    coin: z.string(),
    updates: z.array(Hip3OracleUpdate),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'Hip3OracleUpdatePage' });
export type Hip3OracleUpdatePage = z.infer<typeof Hip3OracleUpdatePage>;
