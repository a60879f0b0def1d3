import type { HlAccountMode } from '@perpscope/hyperliquid';
import { analyzeHyperliquidAccount, BaseError, liquidationDistance } from '@perpscope/math';

/** One dex's answers for an account. */
export type GuardedDexState = {
  /** `''` = the main (validator) dex. */
  dex: string;
  /** The `clearinghouseState` body (validated). */
  clearinghouseState: unknown;
  /** That dex's `meta` (margin tables), `null` when not fetched (one tier at `maxLeverage`). */
  meta: unknown;
};

/** Risk figures of one guarded position (decimal strings, as `@perpscope/math` returns them). */
export type GuardedPositionRisk = {
  dex: string;
  coin: string;
  side: 'long' | 'short';
  size: string;
  marginMode: 'cross' | 'isolated';
  /** The exchange's mark at the snapshot (`positionValue / |szi|`), or the one {@link withMark} set. */
  markPrice: string;
  /** Our liquidation price (`@perpscope/math`), `null` when none exists. */
  liquidationPrice: string | null;
  /** The venue's `liquidationPx`. */
  exchangeLiquidationPrice: string | null;
  /**
   * `|mark − liq| / mark` in percent for the nearer of ours and the venue's liquidation price,
   * `null` when neither exists.
   */
  distancePct: string | null;
  /** Whose liquidation price `distancePct` measures (`null` with no distance). */
  distanceFrom: 'ours' | 'venue' | null;
};

/** Result of {@link analyzeGuardedAccount}. */
export type GuardedAccountRisk =
  | { computable: true; positions: GuardedPositionRisk[] }
  | { computable: false; reason: string };

/** `|mark − liq| / mark` in percent, `null` without a price (or a non-positive one). */
function distancePctOf(markPrice: string, liquidationPrice: string | null): string | null {
  if (liquidationPrice === null || !(Number(liquidationPrice) > 0)) return null;
  return liquidationDistance({ markPrice, liquidationPrice })?.percent ?? null;
}

/**
 * The guard's one entry point into the margin math: every position's liquidation price and distance
 * for an account in `mode`, through `@perpscope/math`'s `analyzeHyperliquidAccount`, which models every
 * Hyperliquid account mode (standard per-dex, dex abstraction, unified per collateral token, portfolio
 * margin; research/venues.md §4) — never a perp-only figure for an account margined in spot.
 *
 * The distance the guard alerts on is the **nearer** of ours and the venue's `liquidationPx` (SPEC §5's
 * conservative headline): where they disagree, the one that warns earlier wins. Where ours cannot be
 * solved exactly (portfolio-margin cross positions: `reason: 'portfolioMargin'`), the venue's price is
 * used. A payload the math rejects (e.g. a unified account whose spot state is missing) makes the
 * account "not computable" with the math's message, which names the JSON path.
 */
export function analyzeGuardedAccount(params: {
  mode: HlAccountMode;
  dexStates: readonly GuardedDexState[];
  /** The `spotClearinghouseState` body (`null` for standard accounts, which do not read it). */
  spot: unknown;
}): GuardedAccountRisk {
  let analysis: ReturnType<typeof analyzeHyperliquidAccount>;
  try {
    analysis = analyzeHyperliquidAccount({
      abstraction: params.mode,
      dexes: params.dexStates.map((s) => ({
        dex: s.dex,
        clearinghouseState: s.clearinghouseState,
        meta: s.meta,
      })),
      ...(params.spot !== null &&
        params.spot !== undefined && { spotClearinghouseState: params.spot }),
    });
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    return {
      computable: false,
      reason: `account mode ${params.mode}: not computable (${error.message})`,
    };
  }
  const positions: GuardedPositionRisk[] = [];
  for (const p of analysis.positions) {
    if (p.size === '0') continue;
    positions.push({
      dex: p.dex,
      coin: p.coin,
      side: p.side,
      size: p.size,
      marginMode: p.marginMode,
      markPrice: p.markPrice,
      liquidationPrice: p.liquidationPrice,
      exchangeLiquidationPrice: p.exchangeLiquidationPrice,
      ...nearerDistance(p.markPrice, p.liquidationPrice, p.exchangeLiquidationPrice),
    });
  }
  return { computable: true, positions };
}

/** The distance to the nearer of ours and the venue's liquidation price, and whose it is. */
function nearerDistance(
  markPrice: string,
  ours: string | null,
  venue: string | null,
): Pick<GuardedPositionRisk, 'distancePct' | 'distanceFrom'> {
  const o = ours === null ? null : distancePctOf(markPrice, ours);
  const v = distancePctOf(markPrice, venue);
  const distancePct = o === null ? v : v === null ? o : Number(v) < Number(o) ? v : o;
  return {
    distancePct,
    distanceFrom: distancePct === null ? null : distancePct === o ? 'ours' : 'venue',
  };
}

/**
 * The same position valued at another mark (e.g. the HIP-3 ctx stream's, fresher than the account
 * state's): the liquidation prices stay those of the account state and the distance is measured
 * from `markPrice`. Exact for isolated positions and for a cross position alone on its margin
 * (both liquidation prices are independent of the mark then: `accountValue` and the maintenance move
 * with it); with several cross positions sharing margin, the others' marks stay the account state's.
 *
 * @example withMark(position, '87.5').distancePct // (87.5 − liq) / 87.5 in percent
 */
export function withMark(position: GuardedPositionRisk, markPrice: string): GuardedPositionRisk {
  return {
    ...position,
    markPrice,
    ...nearerDistance(markPrice, position.liquidationPrice, position.exchangeLiquidationPrice),
  };
}
