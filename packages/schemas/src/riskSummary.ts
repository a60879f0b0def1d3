import { z } from 'zod';
import { ChainStatus } from './chains.js';
import { DeviationTier, Hip3MarketStatus, Hip3Reason, OracleFreshness } from './hip3.js';

/**
 * Query of `GET /v1/risk-summary`: comma-separated lists. Coins are HL names as the API sends them
 * (`BTC`, `xyz:TSLA`); chains are registry keys (`arbitrum`, `base`) or decimal chain ids.
 * At most 200 of each.
 */
export const RiskSummaryQuery = z.object({
  coins: z
    .string()
    .max(8000)
    .optional()
    .transform((s) => splitList(s))
    .pipe(z.array(z.string().min(1).max(64)).max(200)),
  chains: z
    .string()
    .max(4000)
    .optional()
    .transform((s) => splitList(s))
    .pipe(z.array(z.string().min(1).max(64)).max(200)),
});
export type RiskSummaryQuery = z.infer<typeof RiskSummaryQuery>;

function splitList(s: string | undefined): string[] {
  if (s === undefined) return [];
  return [
    ...new Set(
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    ),
  ];
}

/** Sequencer status of an L2 (SPEC §3.1). */
export const ChainLivenessStatus = z.enum(ChainStatus.options).meta({ id: 'ChainLivenessStatus' });
export type ChainLivenessStatus = z.infer<typeof ChainLivenessStatus>;

/** Note 1's phases: `pre-halt` = degraded; `normal` = up. */
export const ChainPhase = z
  .enum(['normal', 'pre-halt', 'halted', 'recovering', 'unknown'])
  .meta({ id: 'ChainPhase' });
export type ChainPhase = z.infer<typeof ChainPhase>;

/** One chain as the extension shows it: status, phase badge and the phase's guidance text. */
export const RiskSummaryChain = z
  .object({
    /** Registry key, e.g. `arbitrum`. */
    chain: z.string(),
    chainId: z.number().int(),
    name: z.string(),
    status: ChainLivenessStatus,
    phase: ChainPhase,
    /** Note 1's guidance for the phase (short sentences, plain text). */
    guidance: z.array(z.string()),
    flags: z.object({
      reorg: z.boolean(),
      safeLagWarn: z.boolean(),
      safeLagCrit: z.boolean(),
      feedDown: z.boolean(),
    }),
    headAgeSeconds: z.number().nullable(),
    statusSinceMs: z.number().int().nullable(),
  })
  .meta({ id: 'RiskSummaryChain' });
export type RiskSummaryChain = z.infer<typeof RiskSummaryChain>;

/** One market as the extension shows it: status with reasons, oracle state and funding. */
export const RiskSummaryMarket = z
  .object({
    coin: z.string(),
    /** `''` for the main (validator) dex. */
    dex: z.string(),
    status: Hip3MarketStatus,
    reasons: z.array(Hip3Reason),
    statusSinceMs: z.number().int().nullable(),
    oracle: z.object({
      freshness: OracleFreshness,
      lastChangeAgeSeconds: z.number().nullable(),
      oraclePx: z.string().nullable(),
      markPx: z.string().nullable(),
      /** Signed `(mark − oracle)/oracle`. */
      markDeviation: z.number().nullable(),
      deviationTier: DeviationTier,
    }),
    funding: z.object({
      /** Current hourly rate (decimal string, as HL sends it). */
      rate1h: z.string().nullable(),
      /** `rate1h × 8760` (decimal string). */
      apr: z.string().nullable(),
      multiplier: z.string().nullable(),
    }),
    atOpenInterestCap: z.boolean(),
    lastSampleMs: z.number().int().nullable(),
  })
  .meta({ id: 'RiskSummaryMarket' });
export type RiskSummaryMarket = z.infer<typeof RiskSummaryMarket>;

/**
 * Body of `GET /v1/risk-summary?coins=…&chains=…` — everything the browser extension needs in one
 * response. Unknown coins/chains are listed, not errors, so an extension with a stale list keeps working.
 */
export const RiskSummary = z
  .object({
    generatedAtMs: z.number().int(),
    chains: z.array(RiskSummaryChain),
    markets: z.array(RiskSummaryMarket),
    unknownCoins: z.array(z.string()),
    unknownChains: z.array(z.string()),
  })
  .meta({ id: 'RiskSummary' });
export type RiskSummary = z.infer<typeof RiskSummary>;
