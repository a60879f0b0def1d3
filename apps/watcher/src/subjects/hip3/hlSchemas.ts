import { z } from 'zod';

/**
 * Zod schemas of the Hyperliquid payloads the HIP-3 watch consumes, derived from the recorded
 * fixtures (`../shared/fixtures/hyperliquid/`, see its README for the source of each file). The SDK
 * does not validate responses (research/hyperliquid.md §5.1), so everything is checked here, at the
 * edge. Unknown extra fields are tolerated (HL adds fields over time — "parse leniently"), wrong
 * types are not: a number where HL sends a decimal string is rejected.
 */

/** A finite decimal string as HL sends prices and sizes (`"24657.0"`, `"-0.0000405564"`). */
export const HlDecimal = z
  .string()
  .max(64)
  .regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');

/** An EVM address (any case). */
export const HlAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x address');

/** A perp asset context (`metaAndAssetCtxs[1][i]`, `allDexsAssetCtxs.ctxs[d][1][i]`). */
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

const DECIMAL_RE = /^-?\d+(\.\d+)?$/;
const isDecimal = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= 64 && DECIMAL_RE.test(v);
const isNullableDecimal = (v: unknown): v is string | null => v === null || isDecimal(v);

/**
 * The hot-path check of one ctx row (~300 per WS frame, every second): accepts exactly what
 * {@link HlPerpAssetCtx} accepts and returns the same value (only the known fields, unknown extra
 * ones dropped) without zod's per-field machinery and issue allocation. `null` means invalid: call
 * `HlPerpAssetCtx.safeParse` for the reason (rows are rarely invalid, so the slow path is rare).
 * Kept equivalent to the schema by a property test (`hlSchemas.test.ts`).
 */
export function parsePerpAssetCtxFast(row: unknown): HlPerpAssetCtx | null {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return null;
  const r = row as Record<string, unknown>;
  const impact = r.impactPxs;
  if (
    !isDecimal(r.funding) ||
    !isDecimal(r.openInterest) ||
    !isDecimal(r.prevDayPx) ||
    !isDecimal(r.dayNtlVlm) ||
    !isNullableDecimal(r.premium) ||
    !isDecimal(r.oraclePx) ||
    !isDecimal(r.markPx) ||
    !isNullableDecimal(r.midPx) ||
    !isDecimal(r.dayBaseVlm)
  ) {
    return null;
  }
  let impactPxs: [string, string] | null = null;
  if (impact !== null) {
    if (
      !Array.isArray(impact) ||
      impact.length !== 2 ||
      !isDecimal(impact[0]) ||
      !isDecimal(impact[1])
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

/** Hard ceiling on list lengths so a hostile/huge payload is rejected before it costs memory. */
export const MAX_MARKETS_PER_DEX = 2000;

export const HlMarginTable = z.object({
  description: z.string(),
  marginTiers: z
    .array(z.object({ lowerBound: HlDecimal, maxLeverage: z.number().int().min(1) }))
    .max(10),
});

/** `meta` for one dex. */
export const HlMeta = z.object({
  universe: z.array(HlUniverseEntry).max(MAX_MARKETS_PER_DEX),
  marginTables: z.array(z.tuple([z.number().int(), HlMarginTable])).max(500),
  collateralToken: z.number().int(),
});
export type HlMeta = z.infer<typeof HlMeta>;

/**
 * `metaAndAssetCtxs` for one dex. The ctx rows are kept `unknown` here and validated one by one
 * ({@link HlPerpAssetCtx}) so one bad row does not discard a whole dex.
 */
export const HlMetaAndAssetCtxs = z.tuple([HlMeta, z.array(z.unknown()).max(MAX_MARKETS_PER_DEX)]);
export type HlMetaAndAssetCtxs = z.infer<typeof HlMetaAndAssetCtxs>;

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

/** The `setOracle` variant of a `perpDeploy` action (research/hyperliquid.md §1.1). */
export const HlSetOracleAction = z.object({
  type: z.literal('perpDeploy'),
  setOracle: z.object({
    dex: z.string(),
    oraclePxs: z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX),
    markPxs: z.array(z.array(z.tuple([z.string(), HlDecimal])).max(MAX_MARKETS_PER_DEX)).max(2),
    externalPerpPxs: z
      .array(z.tuple([z.string(), HlDecimal]))
      .max(MAX_MARKETS_PER_DEX)
      .optional(),
  }),
});
export type HlSetOracleAction = z.infer<typeof HlSetOracleAction>;

/**
 * One explorer transaction (`userDetails.txs[i]`). Shape typed by the SDK
 * (`ExplorerTransaction`: action, block, error, hash, time, user) and observed on
 * `POST https://rpc.hyperliquid.xyz/explorer` by third parties; historical entries may carry a
 * positional action array, so `action` is checked per use.
 */
export const HlExplorerTx = z.object({
  action: z.unknown(),
  block: z.number().int(),
  error: z.string().nullable(),
  hash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  time: z.number().int(),
  user: HlAddress,
});
export type HlExplorerTx = z.infer<typeof HlExplorerTx>;

/** Explorer `userDetails` response. */
export const HlUserDetails = z.object({
  type: z.literal('userDetails'),
  txs: z.array(HlExplorerTx).max(5000),
});
export type HlUserDetails = z.infer<typeof HlUserDetails>;
