import { z } from 'zod';
import { HL_ACCOUNT_MODES } from './accountModes.js';
import { HlAddress, HlDecimal } from './HlDecimal.js';

/**
 * Zod schemas of the user-level Hyperliquid answers (account mode, perp and spot states, fills, the
 * per-user WS stream). Shapes: the recordings in `../shared/fixtures/hyperliquid/`
 * (`clearinghouseState`), research/hyperliquid.md §2.1 and the SDK's response types
 * (`@nktkas/hyperliquid` 0.33 `UserAbstractionResponse`, `SpotClearinghouseStateResponse`,
 * `UserFillsResponse`, `AllDexsClearinghouseStateEvent`).
 *
 * The state schemas are loose: they check what our code reads and keep every other field, since
 * `@perpscope/math`'s `analyzeHyperliquidAccount` needs the whole payload (spot `token`, isolated
 * `leverage.rawUsd`, …) and validates it itself, naming the JSON path of anything wrong.
 *
 * @module
 */

/**
 * `userAbstraction`: the account mode. A mode name HL adds later is accepted (as a string), so a
 * reader can say which mode it does not handle ("account mode X not handled") instead of failing
 * the whole read; anything but a short name is rejected.
 */
export const HlAccountMode = z.union([
  z.enum(HL_ACCOUNT_MODES),
  z.string().regex(/^[A-Za-z]{1,40}$/, 'expected an account mode name'),
]);
export type HlAccountMode = z.infer<typeof HlAccountMode>;

/**
 * `spotClearinghouseState`: token balances, the collateral of unified and portfolio-margin accounts
 * (research/venues.md §4). HIP-4 outcome rows carry no `token`.
 */
export const HlSpotClearinghouseState = z.looseObject({
  balances: z
    .array(
      z.looseObject({
        coin: z.string().min(1).max(64),
        token: z.number().int().nonnegative().optional(),
        total: HlDecimal,
        hold: HlDecimal,
      }),
    )
    .max(10_000),
});
export type HlSpotClearinghouseState = z.infer<typeof HlSpotClearinghouseState>;

/** `clearinghouseState.assetPositions[i].position`. */
export const HlUserPosition = z.looseObject({
  coin: z.string().min(1).max(64),
  szi: HlDecimal,
  leverage: z.looseObject({
    type: z.enum(['cross', 'isolated']),
    value: z.number(),
    rawUsd: HlDecimal.optional(),
  }),
  entryPx: HlDecimal,
  positionValue: HlDecimal,
  unrealizedPnl: HlDecimal,
  liquidationPx: HlDecimal.nullable(),
  marginUsed: HlDecimal,
  maxLeverage: z.number().int().positive(),
  cumFunding: z.looseObject({ allTime: HlDecimal, sinceOpen: HlDecimal }).optional(),
});
export type HlUserPosition = z.infer<typeof HlUserPosition>;

const HlMarginSummary = z.looseObject({
  accountValue: HlDecimal,
  totalNtlPos: HlDecimal,
  totalRawUsd: HlDecimal,
  totalMarginUsed: HlDecimal,
});

/** `clearinghouseState` of one dex (`time` is HL's clock, ms). */
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
