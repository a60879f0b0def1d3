import type { HlPerpAssetCtx } from '@perpscope/hyperliquid';
import { hip3PremiumIndex, premiumIndex } from '@perpscope/math';

/**
 * Recomputes a ctx's `premium` from its impact prices and oracle, as HL publishes it (10 decimals):
 * HIP-3 dexes `0.5·(impactBid + impactAsk)/oracle − 1`, the main dex CEX style
 * `(max(impactBid − oracle, 0) − max(oracle − impactAsk, 0))/oracle` (research/hyperliquid.md §4).
 * `null` when the ctx has no impact prices (empty book).
 *
 * @example premiumFromCtx({ …, impactPxs: ['24655.0', '24657.0'], oraclePx: '24657.0' }, 'xyz') // '-0.0000405564'
 */
export function premiumFromCtx(
  ctx: Pick<HlPerpAssetCtx, 'impactPxs' | 'oraclePx'>,
  dex: string,
): string | null {
  if (ctx.impactPxs === null) return null;
  const p = {
    impactBid: ctx.impactPxs[0],
    impactAsk: ctx.impactPxs[1],
    indexPrice: ctx.oraclePx,
    decimals: 10,
  };
  return dex === '' ? premiumIndex(p) : hip3PremiumIndex(p);
}
