import { z } from 'zod';

// Hyperliquid info responses, validated at the edge (the SDK and the API do not validate;
// SPEC §1). Shapes: research/hyperliquid.md §2.1 and ../fixtures/hyperliquid/. Unknown fields
// are allowed (the API adds fields over time); the ones we use are checked.

const decimal = z.string().regex(/^-?\d+(\.\d+)?(e-?\d+)?$/i, 'a decimal string');

const leverageSchema = z.object({
  type: z.enum(['cross', 'isolated']),
  value: z.number(),
  rawUsd: decimal.optional(),
});

/** `assetPositions[].position` of `clearinghouseState`. */
export const hlPositionSchema = z.object({
  coin: z.string().min(1).max(64),
  szi: decimal,
  leverage: leverageSchema,
  entryPx: decimal.nullable().optional(),
  positionValue: decimal,
  unrealizedPnl: decimal,
  liquidationPx: decimal.nullable(),
  marginUsed: decimal,
  maxLeverage: z.number().int().positive(),
});
export type HlPosition = z.infer<typeof hlPositionSchema>;

const summarySchema = z.object({
  accountValue: decimal,
  totalNtlPos: decimal,
  totalRawUsd: decimal,
  totalMarginUsed: decimal,
});

/** `{"type":"clearinghouseState","user","dex"}` response. */
export const clearinghouseStateSchema = z.object({
  marginSummary: summarySchema,
  crossMarginSummary: summarySchema,
  crossMaintenanceMarginUsed: decimal.optional(),
  assetPositions: z.array(z.object({ type: z.string(), position: hlPositionSchema })).max(500),
  time: z.number().optional(),
});
export type ClearinghouseState = z.infer<typeof clearinghouseStateSchema>;

const marginTableSchema = z.object({
  description: z.string().optional(),
  marginTiers: z
    .array(z.object({ lowerBound: decimal, maxLeverage: z.number().positive() }))
    .min(1)
    .max(10),
});

/** `meta` part of `metaAndAssetCtxs`. */
export const metaSchema = z.object({
  universe: z
    .array(
      z.object({
        name: z.string().min(1).max(64),
        maxLeverage: z.number().positive(),
        marginTableId: z.number().int().optional(),
        isDelisted: z.boolean().optional(),
      }),
    )
    .max(2000),
  marginTables: z
    .array(z.tuple([z.number().int(), marginTableSchema]))
    .max(500)
    .optional(),
  /** Spot token index of the dex's collateral (0 = USDC); says which spot balance backs it. */
  collateralToken: z.number().int().nonnegative().optional(),
});
export type Meta = z.infer<typeof metaSchema>;

/** One perp asset context (aligned by index with `meta.universe`). */
export const assetCtxSchema = z.object({
  funding: decimal,
  oraclePx: decimal,
  markPx: decimal,
  openInterest: decimal.optional(),
  premium: decimal.nullable().optional(),
});
export type AssetCtx = z.infer<typeof assetCtxSchema>;

/** `{"type":"metaAndAssetCtxs","dex"}` response. */
export const metaAndAssetCtxsSchema = z.tuple([metaSchema, z.array(assetCtxSchema).max(2000)]);

/** `{"type":"perpDexs"}` response: element 0 is `null` (the main dex). */
export const perpDexsSchema = z
  .array(z.object({ name: z.string().regex(/^[a-z0-9]{1,16}$/i) }).nullable())
  .max(200);

/** `{"type":"userAbstraction","user"}` response. */
export const userAbstractionSchema = z.string().max(40);

/**
 * `{"type":"spotClearinghouseState","user"}` response: the spot balances that are the collateral of
 * unified and portfolio-margin accounts (research/venues.md §4). Rows keep their other fields
 * (`borrowed`, `ltv`, …) for the math package; HIP-4 outcome rows carry no `token`.
 */
export const spotClearinghouseStateSchema = z.looseObject({
  balances: z
    .array(
      z.looseObject({
        coin: z.string().min(1).max(64),
        token: z.number().int().nonnegative().optional(),
        total: decimal,
      }),
    )
    .max(1000),
});
export type SpotClearinghouseState = z.infer<typeof spotClearinghouseStateSchema>;

/** `{"type":"candleSnapshot","req":{coin,interval,startTime,endTime}}` response (fields we use). */
export const candleSnapshotSchema = z.array(z.object({ t: z.number(), c: decimal })).max(5000);
