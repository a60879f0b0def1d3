import { z } from 'zod';
import { HlAddress, HlDecimal } from '../hip3/hlSchemas.js';

/**
 * Zod schemas of the user-level Hyperliquid answers the position guard reads. Shapes: the SDK's
 * response types (`@nktkas/hyperliquid` 0.33 `UserAbstractionResponse`,
 * `SpotClearinghouseStateResponse`, `UserFillsResponse`) and research/hyperliquid.md §2.1 for
 * `clearinghouseState` (its recordings in `../shared/fixtures/hyperliquid/`). Extra fields are
 * tolerated, wrong types are not.
 *
 * @module
 */

/** `userAbstraction`: the account mode (research/venues.md §4). */
export const HlAccountMode = z.enum([
  'default',
  'disabled',
  'dexAbstraction',
  'unifiedAccount',
  'portfolioMargin',
]);
export type HlAccountMode = z.infer<typeof HlAccountMode>;

// The state schemas are loose: they check what the guard reads and keep every other field, since
// `analyzeHyperliquidAccount` needs the whole payload (spot `token`, isolated `leverage.rawUsd`, …)
// and validates it itself, naming the JSON path of anything wrong.

/** `spotClearinghouseState`: token balances (what unified accounts margin with). */
export const HlSpotClearinghouseState = z.looseObject({
  balances: z
    .array(
      z.looseObject({
        coin: z.string().max(64),
        total: HlDecimal,
        hold: HlDecimal,
      }),
    )
    .max(10_000),
});
export type HlSpotClearinghouseState = z.infer<typeof HlSpotClearinghouseState>;

const HlUserPosition = z.looseObject({
  coin: z.string().min(1).max(64),
  szi: HlDecimal,
  leverage: z.looseObject({ type: z.enum(['cross', 'isolated']), value: z.number() }),
  entryPx: HlDecimal,
  positionValue: HlDecimal,
  unrealizedPnl: HlDecimal,
  liquidationPx: HlDecimal.nullable(),
  marginUsed: HlDecimal,
  maxLeverage: z.number().int().positive(),
  cumFunding: z.looseObject({ allTime: HlDecimal, sinceOpen: HlDecimal }).optional(),
});

const HlMarginSummary = z.looseObject({ accountValue: HlDecimal });

/** `clearinghouseState` of one dex. */
export const HlClearinghouseState = z.looseObject({
  marginSummary: HlMarginSummary,
  crossMarginSummary: HlMarginSummary,
  crossMaintenanceMarginUsed: HlDecimal,
  assetPositions: z.array(z.looseObject({ position: HlUserPosition })).max(2_000),
  time: z.number().int().nonnegative(),
});
export type HlClearinghouseState = z.infer<typeof HlClearinghouseState>;

/**
 * One fill. `liquidation` marks a liquidation fill: the SDK types it as
 * `{ liquidatedUser?, markPx, method: 'market' | 'backstop' }`; other clients describe a boolean, so
 * `true` is accepted as well.
 */
export const HlUserFill = z.object({
  coin: z.string().min(1).max(64),
  px: HlDecimal,
  sz: HlDecimal,
  side: z.enum(['B', 'A']),
  time: z.number().int().nonnegative(),
  startPosition: HlDecimal,
  dir: z.string().max(64),
  closedPnl: HlDecimal,
  tid: z.number().int(),
  liquidation: z
    .union([
      z.object({
        liquidatedUser: HlAddress.optional(),
        markPx: HlDecimal,
        method: z.enum(['market', 'backstop']),
      }),
      z.literal(true),
    ])
    .optional(),
});
export type HlUserFill = z.infer<typeof HlUserFill>;

/** `userFillsByTime`: at most 2,000 fills per answer (the API pages by time). */
export const HlUserFills = z.array(HlUserFill).max(2_000);

/** `candleSnapshot`: the close of each candle (the SDK's `CandleSnapshotResponse`). */
export const HlCandles = z
  .array(z.object({ t: z.number().int().nonnegative(), c: HlDecimal }))
  .max(5_000);

/**
 * One `allDexsClearinghouseState` WebSocket event: a user's `clearinghouseState` on every dex (the
 * main dex named `''`). Shape: `@nktkas/hyperliquid` 0.33.3 `AllDexsClearinghouseStateEvent`
 * (`esm/api/subscription/_methods/allDexsClearinghouseState.d.ts`).
 */
export const HlAllDexsClearinghouseStateEvent = z.object({
  user: HlAddress,
  clearinghouseStates: z.array(z.tuple([z.string().max(64), HlClearinghouseState])).max(1_000),
});
export type HlAllDexsClearinghouseStateEvent = z.infer<typeof HlAllDexsClearinghouseStateEvent>;
