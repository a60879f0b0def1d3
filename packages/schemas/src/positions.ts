import { z } from 'zod';

/** A guarded position's level (SPEC §3.4): `unknown` = no current data (never a stale level shown as current). */
export const PositionLevel = z
  .enum(['ok', 'warn', 'critical', 'unknown'])
  .meta({ id: 'PositionLevel' });
export type PositionLevel = z.infer<typeof PositionLevel>;

/** A position level judged on current data: every {@link PositionLevel} but `unknown`. */
export const KnownPositionLevel = PositionLevel.exclude(['unknown']);
export type KnownPositionLevel = z.infer<typeof KnownPositionLevel>;

/** One open position of a guarded account. Prices and sizes are decimal strings. */
export const GuardedPosition = z
  .object({
    coin: z.string(),
    /** `''` = the main dex. */
    dex: z.string(),
    side: z.enum(['long', 'short']),
    size: z.string(),
    marginMode: z.enum(['cross', 'isolated']),
    /** The mark the distance is measured from (see `markSource`). */
    markPrice: z.string(),
    /**
     * Where `markPrice` comes from: the HIP-3 watch's ctx stream (`ctxStream`) or its REST fallback
     * (`ctxRest`) when it watches the market and its mark is fresh, else the account state
     * (`accountState`: `positionValue / |szi|` of `clearinghouseState` or its push). Always sent;
     * optional so that clients also read watchers from before it.
     */
    markSource: z.enum(['ctxStream', 'ctxRest', 'accountState']).optional(),
    /** Seconds since `markPrice` was received (its age at `observedAt` plus `ageSeconds`); always sent. */
    markAgeSeconds: z.number().optional(),
    /** Our liquidation price (`@perpscope/math`); `null` when none exists or not computable. */
    liquidationPrice: z.string().nullable(),
    /** The venue's `liquidationPx`. */
    venueLiquidationPrice: z.string().nullable(),
    /**
     * `|mark − liq| / mark` in percent for the nearer of ours and the venue's liquidation price (the
     * conservative headline), `null` when neither exists.
     */
    distancePct: z.string().nullable(),
    /** Whose liquidation price `distancePct` measures. */
    distanceFrom: z.enum(['ours', 'venue']).nullable(),
    /** The distance in σ of the coin's 24-hour move (realized volatility of hourly closes); `null` until known. */
    distanceSigmas: z.number().nullable(),
    level: PositionLevel,
    /** The last level judged on current data (what alerts follow); equals `level` unless `unknown`. */
    lastKnownLevel: KnownPositionLevel,
    reasons: z.array(z.string()),
    /** Thresholds in force (after any halt multiplier), percent. */
    thresholds: z.object({ warnPct: z.number(), criticalPct: z.number(), multiplier: z.number() }),
    unrealizedPnl: z.string().nullable(),
    /** Funding paid since the position opened (venue's `cumFunding.sinceOpen`; positive = paid). */
    fundingSinceOpen: z.string().nullable(),
    /** Funding paid in the last funding hour (change of `fundingSinceOpen` across the hour); `null` until two hours were seen. */
    fundingLastHour: z.string().nullable(),
    /** When the data was read (ISO 8601). */
    observedAt: z.string(),
    /** Seconds since `observedAt`. */
    ageSeconds: z.number(),
    stale: z.boolean(),
  })
  .meta({ id: 'GuardedPosition' });
export type GuardedPosition = z.infer<typeof GuardedPosition>;

/** A liquidation fill seen on a guarded account. */
export const GuardedLiquidation = z
  .object({
    coin: z.string(),
    at: z.string(),
    px: z.string(),
    sz: z.string(),
    side: z.enum(['B', 'A']),
    closedPnl: z.string(),
    markPx: z.string().nullable(),
    method: z.string().nullable(),
  })
  .meta({ id: 'GuardedLiquidation' });
export type GuardedLiquidation = z.infer<typeof GuardedLiquidation>;

/** One guarded account. The address is personal data: shown masked, keyed by its hash. */
export const GuardedAccount = z
  .object({
    label: z.string(),
    /** First 16 hex digits of sha256 of the lowercase address (also the metrics label). */
    addressHash: z.string(),
    /** `0x1234…abcd`. */
    addressMasked: z.string(),
    venues: z.array(z.string()),
    /** `userAbstraction`; `null` until read. */
    mode: z.string().nullable(),
    /** `ok`, `unknown` (the last read failed or is too old), `not-computable` (account mode). */
    status: z.enum(['ok', 'unknown', 'not-computable']),
    reason: z.string().nullable(),
    lastSuccessAt: z.string().nullable(),
    positions: z.array(GuardedPosition),
    liquidations: z.array(GuardedLiquidation),
  })
  .meta({ id: 'GuardedAccount' });
export type GuardedAccount = z.infer<typeof GuardedAccount>;

/** `GET /v1/positions`. */
export const GuardedAccountList = z
  .object({ accounts: z.array(GuardedAccount) })
  .meta({ id: 'GuardedAccountList' });
export type GuardedAccountList = z.infer<typeof GuardedAccountList>;
