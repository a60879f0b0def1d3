import {
  divRound,
  type Fixed,
  formatDecimal,
  fromNumber,
  marginTableFromHyperliquid,
  parseDecimal,
  WAD,
} from '@perpscope/math';
import type { HaltPlan, PositionBasis } from '../model.js';

const CENT = 10n ** 16n; // 0.01 in WAD

/**
 * What brings a position to the distance to keep during a halt (`keepPct`, note 1), exactly, from
 * the inputs its liquidation price was solved with (research perp-math.md §3.9: the position is
 * liquidated at `X` where `C + s·q·(X − m) = q·X·mmr_k − d_k + O`, with `C` the collateral at mark
 * `m`, `s` ±1, `q` the size, `O` the other cross positions' maintenance, `k` the tier of `q·X`).
 * The target price is `X* = m·(1 − s·keep/100)`, moved away from the mark when rounded.
 *
 * - **Add** (cross: to the pool's collateral — the dex's account, or the token's spot balance
 *   under unified / DEX abstraction; isolated: to the position's margin):
 *   `C* = q·X*·mmr_k − d_k + O − s·q·(X* − m)`, add `C* − C`, rounded up to 0.01.
 * - **Cut** (cross only; a reduce at mark moves no collateral): the size `q'` whose price is `X*`,
 *   `q' = (C − O + d_k) / (X*·mmr_k + m·keep/100)` in the tier holding `q'·X*`; cut `1 − q'/q`,
 *   rounded up to a whole percent. Fees are not counted. Isolated positions get no cut: the venue
 *   releases isolated margin on a reduce by a rule not documented exactly (the math's pro-rata
 *   approximation leaves the price where it is), so the amount would be a guess.
 *
 * No amounts (`note` says why) when there is no basis, or when the headline distance is the
 * venue's price rather than ours: amounts solved on our price would not move that one exactly.
 *
 * @param params.headline which liquidation price the displayed distance uses.
 * @throws from `@perpscope/math` when the basis holds malformed decimals or tiers.
 */
export function haltPlan(params: {
  readonly basis: PositionBasis | null;
  readonly basisReason: string | null;
  readonly headline: 'ours' | 'venue' | null;
  readonly keepPct: number;
  readonly collateralSymbol: string;
}): HaltPlan {
  const { basis, keepPct, collateralSymbol } = params;
  const only = (note: string): HaltPlan => ({
    keepPct,
    addCollateral: null,
    collateralSymbol,
    cutPct: null,
    note,
  });
  if (basis === null) return only(`Amounts ${params.basisReason ?? 'not available'}.`);
  if (params.headline === 'venue')
    return only(
      "Amounts not shown: the venue's liquidation price is nearer than ours and is the one shown; amounts solved on ours would not move it exactly.",
    );
  if (params.headline === null) return only('No liquidation price: nothing to add or cut.');
  const s = basis.side === 'long' ? 1n : -1n;
  const q = parseDecimal(basis.size);
  const m = parseDecimal(basis.markPx);
  const c = parseDecimal(basis.collateral);
  const o = parseDecimal(basis.otherMaintenanceMargin);
  const keep = fromNumber(keepPct);
  const tiers = marginTableFromHyperliquid({ marginTiers: basis.marginTiers }).tiers;
  // Distance to keep in price, rounded up: X* moves away from the mark.
  const gap = divRound(m * keep, 100n * WAD, 'ceil');
  const x = s === 1n ? m - gap : m + gap;
  if (x <= 0n)
    return only(`A long cannot keep ≥ ${keepPct} % to liquidation: only closing it does.`);
  const tierOf = (notional: Fixed) => {
    let k = 0;
    while (k + 1 < tiers.length && tiers[k + 1]!.lowerBound <= notional) k++;
    return k;
  };
  // Add: at WAD³ scale, exact until the one rounding up.
  const tier = tiers[tierOf((q * x) / WAD)]!;
  const required =
    q * x * tier.maintenanceMarginRate - (tier.deduction - o) * WAD * WAD - s * q * (x - m) * WAD;
  const add = divRound(required - c * WAD * WAD, WAD * WAD, 'ceil');
  const addCollateral = add <= 0n ? '0' : formatDecimal(divRound(add, CENT, 'ceil') * CENT);
  if (basis.marginMode === 'isolated')
    return {
      keepPct,
      addCollateral,
      collateralSymbol,
      cutPct: null,
      note: 'No cut shown for an isolated position: the venue releases its margin on a reduce by a rule not documented exactly, so how far a cut moves the liquidation price is not known.',
    };
  // Cut: q' = (C − O + d_k)·WAD² / (X*·mmr_k + m·D) in the tier that holds q'·X*; rounded down.
  const d = divRound(keep, 100n, 'ceil'); // keep/100 as a WAD fraction (exact to 16 dp of percent)
  let kept: Fixed | null = null;
  for (let k = 0; k < tiers.length; k++) {
    const t = tiers[k]!;
    const num = c - o + t.deduction;
    if (num <= 0n) {
      kept = 0n;
      break;
    }
    const qk = divRound(num * WAD * WAD, x * t.maintenanceMarginRate + m * d, 'floor');
    if (tierOf((qk * x) / WAD) === k) {
      kept = qk;
      break;
    }
  }
  const cutPct =
    kept === null ? null : kept >= q ? 0 : Number(divRound((q - kept) * 100n, q, 'ceil'));
  return {
    keepPct,
    addCollateral,
    collateralSymbol,
    cutPct,
    note:
      cutPct === null
        ? 'No cut shown: no size of this position solves to the halt distance in its margin tiers.'
        : null,
  };
}
