import { z } from 'zod';
import { HlAddress, HlDecimal, isHlDecimal } from './HlDecimal.js';

/**
 * Zod schemas of the market-level Hyperliquid payloads (info requests and WS events), derived from
 * the recorded fixtures (`../shared/fixtures/hyperliquid/`, whose README names the source of each
 * file). The SDK does not validate responses (research/hyperliquid.md §5.1), so everything is checked
 * at the edge. Unknown extra fields are tolerated (HL adds fields over time), wrong types are not: a
 * number where HL sends a decimal string is rejected.
 *
 * @module
 */

/** Hard ceiling on list lengths so a hostile/huge payload is rejected before it costs memory. */
export const MAX_MARKETS_PER_DEX = 2000;

/**
 * Hours between Hyperliquid funding payments, and the period a ctx's `funding` rate is quoted per:
 * funding is quoted per hour and paid hourly on every dex (research/hyperliquid.md §4).
 */
export const HL_FUNDING_INTERVAL_HOURS = 1;

/**
 * A perp asset context (`metaAndAssetCtxs[1][i]`, `allDexsAssetCtxs.ctxs[d][1][i]`); `funding` is the
 * rate per {@link HL_FUNDING_INTERVAL_HOURS}.
 */
export const HlPerpAssetCtx = z.object({
  funding: HlDecimal,
  openInterest: HlDecimal,
  prevDayPx: HlDecimal,
  dayNtlVlm: HlDecimal,
  premium: HlDecimal.nullable(),
  oraclePx: HlDecimal,
  markPx: HlDecimal,
  midPx: HlDecimal.nullable(),
  impactPxs: z.tuple([HlDecimal, HlDecimal]).nullable(),
  dayBaseVlm: HlDecimal,
});
export type HlPerpAssetCtx = z.infer<typeof HlPerpAssetCtx>;

const isNullableDecimal = (v: unknown): v is string | null => v === null || isHlDecimal(v);

/**
 * The hot-path check of one ctx row (~300 per WS frame, every second): accepts exactly what
 * {@link HlPerpAssetCtx} accepts and returns the same value (only the known fields, unknown extra
 * ones dropped) without zod's per-field machinery and issue allocation. `null` means invalid: call
 * `HlPerpAssetCtx.safeParse` for the reason (rows are rarely invalid, so the slow path is rare).
 * Kept equivalent to the schema by a property test (`schemas.test.ts`).
 */
export function parsePerpAssetCtxFast(row: unknown): HlPerpAssetCtx | null {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return null;
  const r = row as Record<string, unknown>;
  const impact = r.impactPxs;
  if (
    !isHlDecimal(r.funding) ||
    !isHlDecimal(r.openInterest) ||
    !isHlDecimal(r.prevDayPx) ||
    !isHlDecimal(r.dayNtlVlm) ||
    !isNullableDecimal(r.premium) ||
    !isHlDecimal(r.oraclePx) ||
    !isHlDecimal(r.markPx) ||
    !isNullableDecimal(r.midPx) ||
    !isHlDecimal(r.dayBaseVlm)
  ) {
    return null;
  }
  let impactPxs: [string, string] | null = null;
  if (impact !== null) {
    if (
      !Array.isArray(impact) ||
      impact.length !== 2 ||
      !isHlDecimal(impact[0]) ||
      !isHlDecimal(impact[1])
    ) {
      return null;
    }
    impactPxs = [impact[0], impact[1]];
  }
  return {
    funding: r.funding,
    openInterest: r.openInterest,
    prevDayPx: r.prevDayPx,
    dayNtlVlm: r.dayNtlVlm,
    premium: r.premium,
    oraclePx: r.oraclePx,
    markPx: r.markPx,
    midPx: r.midPx,
    impactPxs,
    dayBaseVlm: r.dayBaseVlm,
  };
}

/** A `meta.universe` entry; HIP-3 adds margin mode and growth-mode fields. */
export const HlUniverseEntry = z.object({
  szDecimals: z.number().int().min(0).max(18),
  name: z.string().min(1).max(64),
  maxLeverage: z.number().int().min(1).max(200),
  marginTableId: z.number().int().optional(),
  onlyIsolated: z.boolean().optional(),
  isDelisted: z.boolean().optional(),
  marginMode: z.string().optional(),
  growthMode: z.string().optional(),
  lastGrowthModeChangeTime: z.string().optional(),
});
export type HlUniverseEntry = z.infer<typeof HlUniverseEntry>;

/** A margin table (`meta.marginTables[i][1]`): leverage tiers by notional lower bound. */
export const HlMarginTable = z.object({
  description: z.string(),
  marginTiers: z
    .array(z.object({ lowerBound: HlDecimal, maxLeverage: z.number().int().min(1) }))
    .min(1)
    .max(10),
});
export type HlMarginTable = z.infer<typeof HlMarginTable>;

/** `meta` for one dex. `collateralToken` is the spot token index of the dex's collateral (0 = USDC). */
export const HlMeta = z.object({
  universe: z.array(HlUniverseEntry).max(MAX_MARKETS_PER_DEX),
  marginTables: z.array(z.tuple([z.number().int(), HlMarginTable])).max(500),
  collateralToken: z.number().int().nonnegative(),
});
export type HlMeta = z.infer<typeof HlMeta>;

/**
 * `metaAndAssetCtxs` for one dex. The ctx rows are kept `unknown` here and validated one by one
 * ({@link HlPerpAssetCtx}, {@link parsePerpAssetCtxFast}) so one bad row does not discard a whole dex.
 */
export const HlMetaAndAssetCtxs = z.tuple([HlMeta, z.array(z.unknown()).max(MAX_MARKETS_PER_DEX)]);
export type HlMetaAndAssetCtxs = z.infer<typeof HlMetaAndAssetCtxs>;

/**
 * `metaAndAssetCtxs` with every ctx row validated: one bad row rejects the answer (its issue names
 * `1.<row>.<field>`). For readers that use a dex's data only when all of it is sound (the extension).
 */
export const HlMetaAndValidAssetCtxs = z.tuple([
  HlMeta,
  z.array(HlPerpAssetCtx).max(MAX_MARKETS_PER_DEX),
]);
export type HlMetaAndValidAssetCtxs = z.infer<typeof HlMetaAndValidAssetCtxs>;

/** A `perpDexs` element (null = the main dex). */
export const HlPerpDex = z.object({
  name: z.string().min(1).max(16),
  fullName: z.string().max(200),
  deployer: HlAddress,
  oracleUpdater: HlAddress.nullable(),
  feeRecipient: HlAddress.nullable(),
  assetToStreamingOiCap: z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX),
  subDeployers: z
    .array(z.tuple([z.string(), z.array(HlAddress).max(100)]))
    .max(100)
    .optional(),
  deployerFeeScale: HlDecimal.optional(),
  lastDeployerFeeScaleChangeTime: z.string().optional(),
  assetToFundingMultiplier: z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX),
  assetToFundingInterestRate: z
    .array(z.tuple([z.string(), HlDecimal]))
    .max(MAX_MARKETS_PER_DEX)
    .optional(),
});
export type HlPerpDex = z.infer<typeof HlPerpDex>;

/** `perpDexs`: element 0 is `null` (the main dex). */
export const HlPerpDexs = z.array(HlPerpDex.nullable()).max(1000);
export type HlPerpDexs = z.infer<typeof HlPerpDexs>;

/** `perpDexLimits` for one dex. */
export const HlPerpDexLimits = z.object({
  totalOiCap: HlDecimal,
  oiSzCapPerPerp: HlDecimal,
  maxTransferNtl: HlDecimal,
  coinToOiCap: z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX),
});
export type HlPerpDexLimits = z.infer<typeof HlPerpDexLimits>;

/** `perpsAtOpenInterestCap`: coin names. */
export const HlPerpsAtOpenInterestCap = z.array(z.string().max(64)).max(MAX_MARKETS_PER_DEX);

const HlL2Level = z.object({ px: HlDecimal, sz: HlDecimal, n: z.number().int().nonnegative() });

/** `l2Book` (info or WS); the recorded capture carries an undocumented `spread`. */
export const HlL2Book = z.object({
  coin: z.string(),
  time: z.number().int(),
  levels: z.tuple([z.array(HlL2Level).max(1000), z.array(HlL2Level).max(1000)]),
  spread: HlDecimal.optional(),
});
export type HlL2Book = z.infer<typeof HlL2Book>;

/**
 * The `allDexsAssetCtxs` WS event: `{ctxs: [[dex, ctx[]]]}` (`''` = main dex). Rows stay `unknown`
 * and are validated per row.
 */
export const HlAllDexsAssetCtxsEvent = z.object({
  ctxs: z
    .array(z.tuple([z.string().max(16), z.array(z.unknown()).max(MAX_MARKETS_PER_DEX)]))
    .max(1000),
});
export type HlAllDexsAssetCtxsEvent = z.infer<typeof HlAllDexsAssetCtxsEvent>;

/**
 * The hot-path check of an `allDexsAssetCtxs` frame's envelope (every second, one list of rows per
 * dex): accepts exactly what {@link HlAllDexsAssetCtxsEvent} accepts and returns the same value
 * (only `ctxs`; the row lists are the input's own arrays — zod copies each one, ~0.36 MB/s at
 * 3,000 markets). The rows stay unchecked here, as in the schema. `null` means invalid: call
 * `HlAllDexsAssetCtxsEvent.safeParse` for the reason. Kept equivalent by a test (`schemas.test.ts`).
 */
export function parseAllDexsAssetCtxsEventFast(data: unknown): HlAllDexsAssetCtxsEvent | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const { ctxs } = data as Record<string, unknown>;
  if (!Array.isArray(ctxs) || ctxs.length > 1000) return null;
  for (const entry of ctxs) {
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      typeof entry[0] !== 'string' ||
      entry[0].length > 16 ||
      !Array.isArray(entry[1]) ||
      entry[1].length > MAX_MARKETS_PER_DEX
    ) {
      return null;
    }
  }
  return { ctxs: ctxs as [string, unknown[]][] };
}

/** `candleSnapshot`: the fields read (open time `t`, close `c`); the SDK's `CandleSnapshotResponse`. */
export const HlCandles = z
  .array(z.object({ t: z.number().int().nonnegative(), c: HlDecimal }))
  .max(5_000);
export type HlCandles = z.infer<typeof HlCandles>;
