import type {
  HlClearinghouseState as ClearinghouseState,
  HlMeta as Meta,
} from '@perpscope/hyperliquid';
import { hyperliquidMarginTiers } from '@perpscope/math';
import type { PositionBasis } from '../model.js';
import type { AccountPositionRisk } from './computePositionRisk.js';

/**
 * The inputs of a Hyperliquid position's liquidation price ({@link PositionBasis}) for the popup's
 * what-if line and the halt amounts, or why they cannot be given exactly. Cross positions take
 * the collateral pool `analyzeHyperliquidAccount` solved them with (so unified and DEX-abstraction
 * accounts get their mode's numbers, never the perp-only ones); isolated positions their own
 * `marginUsed`. Not available when our price is not computable (the reason is passed on, e.g.
 * `not available for portfolioMargin accounts: …`).
 *
 * @param params.state the position's dex state (validated); `meta` that dex's meta (null: not fetched).
 */
export function positionBasis(params: {
  readonly risk: AccountPositionRisk;
  readonly mode: string | null;
  readonly state: ClearinghouseState | undefined;
  readonly meta: Meta | null;
  readonly collateralSymbol: string;
}): { readonly basis: PositionBasis | null; readonly reason: string | null } {
  const { risk, mode, state, meta } = params;
  const r = risk.position;
  const none = (reason: string) => ({ basis: null, reason });
  if (risk.notComputable !== null)
    return none(
      mode !== null && risk.notComputable.startsWith('portfolio margin')
        ? `not available for ${mode} accounts (${risk.notComputable})`
        : `not available: ${risk.notComputable}`,
    );
  const raw = state?.assetPositions.find((a) => a.position.coin === r.coin)?.position;
  if (!raw) return none('not available: the position is not in its dex state');
  if (!raw.entryPx) return none('not available: the venue sent no entry price');
  let collateral: string;
  let other = '0';
  if (r.marginMode === 'cross') {
    if (!risk.pool) return none('not available: the collateral pool is unknown');
    collateral = risk.pool.collateral;
    other = risk.pool.otherMaintenanceMargin;
  } else collateral = raw.marginUsed;
  return {
    reason: null,
    basis: {
      marginMode: r.marginMode,
      side: r.side,
      size: r.size,
      entryPx: raw.entryPx,
      markPx: r.markPrice,
      collateral,
      otherMaintenanceMargin: other,
      leverage: raw.leverage.value,
      maxLeverage: raw.maxLeverage,
      marginTiers: marginTiersOf(r.coin, meta, raw.maxLeverage),
      collateralSymbol: params.collateralSymbol,
    },
  };
}

/**
 * A coin's margin tiers as `analyzeHyperliquidAccount` reads them (`hyperliquidMarginTiers` of
 * `@perpscope/math`: the listed table of its `marginTableId`, one tier at an unlisted id below 50),
 * one tier at the universe's `maxLeverage` without an id, and at the position's own `maxLeverage`
 * when the coin, the whole meta or the table of its id is missing.
 */
export function marginTiersOf(
  coin: string,
  meta: Meta | null,
  positionMaxLeverage: number,
): readonly { readonly lowerBound: string; readonly maxLeverage: number }[] {
  const u = meta?.universe.find((x) => x.name === coin);
  if (!u) return [{ lowerBound: '0', maxLeverage: positionMaxLeverage }];
  if (u.marginTableId === undefined) return [{ lowerBound: '0', maxLeverage: u.maxLeverage }];
  try {
    return hyperliquidMarginTiers({ id: u.marginTableId, marginTables: meta?.marginTables ?? [] });
  } catch {
    // An id ≥ 50 the meta does not list: not a leverage (the old reading made it one tier at 56×).
    return [{ lowerBound: '0', maxLeverage: positionMaxLeverage }];
  }
}
