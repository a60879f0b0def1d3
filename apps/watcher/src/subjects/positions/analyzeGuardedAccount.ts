import { analyzeClearinghouseState } from '@perpscope/math';
import type { HlAccountMode } from './positionSchemas.js';

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
  /** The exchange's mark at the snapshot (`positionValue / |szi|`). */
  markPrice: string;
  /** Our liquidation price (`@perpscope/math`), `null` when none exists. */
  liquidationPrice: string | null;
  /** The venue's `liquidationPx`. */
  exchangeLiquidationPrice: string | null;
  /** `|mark − liq| / mark` in percent, `null` without a liquidation price. */
  distancePct: string | null;
};

/** Result of {@link analyzeGuardedAccount}. */
export type GuardedAccountRisk =
  | { computable: true; positions: GuardedPositionRisk[] }
  | { computable: false; reason: string };

/** Account modes whose collateral is the per-dex perp clearinghouse (standard accounts). */
const standardModes: readonly HlAccountMode[] = ['default', 'disabled'];

/**
 * The guard's one entry point into the margin math: every position's liquidation price and distance
 * for an account in `mode`. Standard accounts (`default`, `disabled`) use `analyzeClearinghouseState`
 * per dex. Unified, portfolio-margin and dex-abstraction accounts keep their collateral in the spot
 * clearinghouse (research/venues.md §4), so a perp-only figure would be wrong: they are reported "not
 * computable" until `@perpscope/math` has the account-mode-aware `analyzeHyperliquidAccount`
 * (issue 12) — switch this function to it then (`spot` is already passed for that).
 *
 * @throws {import('@perpscope/math').InvalidPayloadError} naming the JSON path when a payload lacks a
 *   field the computation needs.
 */
export function analyzeGuardedAccount(params: {
  mode: HlAccountMode;
  dexStates: readonly GuardedDexState[];
  /** The `spotClearinghouseState` body (unused for standard accounts). */
  spot: unknown;
}): GuardedAccountRisk {
  if (!standardModes.includes(params.mode))
    return {
      computable: false,
      reason: `account mode ${params.mode}: its collateral is in the spot clearinghouse; liquidation distance is not computable until account-mode-aware math lands`,
    };
  const positions: GuardedPositionRisk[] = [];
  for (const s of params.dexStates) {
    const risk = analyzeClearinghouseState({
      clearinghouseState: s.clearinghouseState,
      meta: s.meta,
    });
    for (const p of risk.positions) {
      if (p.size === '0') continue;
      positions.push({
        dex: s.dex,
        coin: p.coin,
        side: p.side,
        size: p.size,
        marginMode: p.marginMode,
        markPrice: p.markPrice,
        liquidationPrice: p.liquidationPrice,
        exchangeLiquidationPrice: p.exchangeLiquidationPrice,
        distancePct: p.distance?.percent ?? null,
      });
    }
  }
  return { computable: true, positions };
}
