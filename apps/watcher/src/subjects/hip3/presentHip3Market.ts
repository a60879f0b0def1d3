import type { HlUniverseEntry } from '@perpscope/hyperliquid';
import type {
  Hip3Dex,
  Hip3Market,
  Hip3MarketDetail,
  Hip3MarketMetrics,
  Hip3MarketStatus,
  Hip3Reason,
  RiskSummaryMarket,
} from '@perpscope/schemas';
import type { Hip3DexRow, Hip3MarketRow } from '../../db/queries/hip3.js';
import { marketGuidance } from './marketGuidance.js';

/** A stored market row with its JSON columns parsed once (rows are cached by the routes). */
export type ParsedMarketRow = {
  row: Hip3MarketRow;
  meta: HlUniverseEntry;
  reasons: Hip3Reason[];
  metrics: Hip3MarketMetrics | null;
};

/** Parses the JSON columns of a market row. */
export function parseMarketRow(row: Hip3MarketRow): ParsedMarketRow {
  const metrics = JSON.parse(row.metricsJson) as Partial<Hip3MarketMetrics>;
  return {
    row,
    meta: JSON.parse(row.metaJson) as HlUniverseEntry,
    reasons: JSON.parse(row.reasonsJson) as Hip3Reason[],
    metrics: metrics.oracle ? (metrics as Hip3MarketMetrics) : null,
  };
}

/**
 * Metrics as of `now`: ages were computed when the row was written (`updatedAt`), so they grow by
 * the time elapsed since — an oracle that stopped is not frozen at its last evaluation.
 */
export function metricsAt(p: ParsedMarketRow, now: number): Hip3MarketMetrics | null {
  const m = p.metrics;
  if (!m) return null;
  const dt = Math.max(0, now - p.row.updatedAt) / 1000;
  const grow = (x: number | null) => (x === null ? null : x + dt);
  return {
    ...m,
    oracle: {
      ...m.oracle,
      lastChangeAgeSeconds: grow(m.oracle.lastChangeAgeSeconds),
      lastSetOracleAgeSeconds: grow(m.oracle.lastSetOracleAgeSeconds),
    },
  };
}

/** The summary view of a market. */
export function presentHip3Market(p: ParsedMarketRow): Hip3Market {
  return {
    coin: p.row.coin,
    dex: p.row.dex,
    status: p.row.status as Hip3MarketStatus,
    reasons: p.reasons,
    guidance: marketGuidance[p.row.status as Hip3MarketStatus] ?? '',
    statusSinceMs: p.row.statusSince,
    isDelisted: p.row.isDelisted,
    maxLeverage: p.meta.maxLeverage ?? null,
    markPx: p.metrics?.markPx ?? null,
    oraclePx: p.metrics?.oracle.oraclePx ?? null,
    fundingApr: p.metrics?.fundingApr ?? null,
    lastSampleMs: p.row.lastSampleAt,
  };
}

const emptyMetrics: Hip3MarketMetrics = {
  markPx: null,
  midPx: null,
  oracle: {
    freshness: 'unknown',
    oraclePx: null,
    lastChangeAgeSeconds: null,
    lastSetOracleAgeSeconds: null,
    intervalP50Seconds: null,
    intervalP95Seconds: null,
    intervalMaxSeconds: null,
    maxMarkJump: null,
  },
  markDeviation: { value: null, tier: 'none', aboveL1Seconds: 0, aboveL2Seconds: 0 },
  midDeviation: { value: null, tier: 'none', aboveL1Seconds: 0, aboveL2Seconds: 0 },
  fundingRate1h: null,
  fundingApr: null,
  fundingMultiplier: null,
  premium: null,
  openInterest: null,
  openInterestUsd: null,
  dayNtlVlm: null,
  oiToVolume: null,
  oiCapUsd: null,
  oiCapUtilization: null,
  atOpenInterestCap: false,
  depthBid3PctUsd: null,
  depthAsk3PctUsd: null,
  spread: null,
  growthMode: false,
  marketHours: null,
  lastSampleMs: null,
};

/** The detail view: summary + every metric as of `now`. */
export function presentHip3MarketDetail(p: ParsedMarketRow, now: number): Hip3MarketDetail {
  return { ...presentHip3Market(p), metrics: metricsAt(p, now) ?? emptyMetrics };
}

/** The risk-summary view of a market. */
export function presentRiskMarket(p: ParsedMarketRow, now: number): RiskSummaryMarket {
  const m = metricsAt(p, now);
  return {
    coin: p.row.coin,
    dex: p.row.dex,
    status: p.row.status as Hip3MarketStatus,
    reasons: p.reasons,
    statusSinceMs: p.row.statusSince,
    oracle: {
      freshness: m?.oracle.freshness ?? 'unknown',
      lastChangeAgeSeconds: m?.oracle.lastChangeAgeSeconds ?? null,
      oraclePx: m?.oracle.oraclePx ?? null,
      markPx: m?.markPx ?? null,
      markDeviation: m?.markDeviation.value ?? null,
      deviationTier: m?.markDeviation.tier ?? 'none',
    },
    funding: {
      rate1h: m?.fundingRate1h ?? null,
      apr: m?.fundingApr ?? null,
      multiplier: m?.fundingMultiplier ?? null,
    },
    atOpenInterestCap: m?.atOpenInterestCap ?? false,
    lastSampleMs: p.row.lastSampleAt,
  };
}

/** The API view of a dex. */
export function presentHip3Dex(row: Hip3DexRow, marketCount: number): Hip3Dex {
  return {
    name: row.name,
    fullName: row.fullName,
    deployer: row.deployer,
    oracleWriters: JSON.parse(row.oracleWritersJson) as string[],
    index: row.dexIndex,
    marketCount,
    totalOiCapUsd: row.totalOiCapUsd,
    firstSeenMs: row.firstSeenAt,
    lastSeenMs: row.lastSeenAt,
  };
}
