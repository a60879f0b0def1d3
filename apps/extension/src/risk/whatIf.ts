import {
  estimatePostTradeLiquidationPrice,
  isDecimalString,
  liquidationDistance,
  marginTableFromHyperliquid,
} from '@perpscope/math';
import type { PositionBasis } from '../model.js';

/** What the user asks: a size change (base units, signed) or a new leverage. */
export type WhatIfChange =
  | { readonly kind: 'size'; readonly text: string }
  | { readonly kind: 'leverage'; readonly text: string };

/** Result of {@link whatIf}: the new liquidation price and distance, or what was wrong with the input. */
export type WhatIfResult =
  | {
      readonly ok: true;
      /** The resulting position (null: the change closes it). */
      readonly side: 'long' | 'short' | null;
      readonly size: string | null;
      /** New liquidation price (null: none exists, or the position is closed). */
      readonly liquidationPx: string | null;
      /** `|mark − liq| / mark` in percent (18 dp); null without a price. */
      readonly distancePct: string | null;
      /** How the change was read (leverage semantics, assumptions), for the line's tooltip. */
      readonly note: string;
    }
  | { readonly ok: false; readonly error: string };

const SIGNED = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * The popup's what-if line: the position's liquidation price and distance after a size change or
 * a leverage change, through `@perpscope/math`'s `estimatePostTradeLiquidationPrice` on the
 * position's {@link PositionBasis} (its mode's collateral pool, so unified accounts get their
 * mode's numbers). The trade is a market order filled at the mark, without fees.
 *
 * - **Size** `+0.5` / `-0.2` (base units): an order of that size at mark; the resulting position
 *   (increase, reduce, flip, close) is solved, cross or isolated as the function documents
 *   (isolated: an increase adds `|Δ|·mark / leverage` at the position's current leverage).
 * - **Leverage** `L` (1 … the market's max): cross positions keep their price (leverage sets only
 *   the initial margin; the order has size 0); an isolated position is solved as if reopened at
 *   mark with `L` (its margin becomes `size·mark / L`, the function's "open from flat").
 *
 * Invalid input gives `{ ok: false, error }` naming what is wrong; never throws on user input.
 */
export function whatIf(basis: PositionBasis, change: WhatIfChange): WhatIfResult {
  const text = change.text.trim().replace(/,/g, '');
  const table = marginTableFromHyperliquid({ marginTiers: basis.marginTiers });
  const common = {
    markPrice: basis.markPx,
    marginTable: table,
    otherMaintenanceMargin: basis.otherMaintenanceMargin,
  };
  let result: ReturnType<typeof estimatePostTradeLiquidationPrice>;
  let note: string;
  if (change.kind === 'size') {
    if (text === '') return { ok: false, error: 'Enter a size change, e.g. +0.5 or -0.2.' };
    if (!SIGNED.test(text) || !isDecimalString(text.replace(/^[+-]/, '')))
      return {
        ok: false,
        error: `"${change.text.trim()}" is not a size change: write a signed number of coins, e.g. +0.5 or -0.2.`,
      };
    const magnitude = text.replace(/^[+-]/, '');
    if (/^0*\.?0*$/.test(magnitude))
      return { ok: false, error: 'A size change of 0 changes nothing: enter e.g. +0.5 or -0.2.' };
    const sell = text.startsWith('-');
    result = estimatePostTradeLiquidationPrice({
      ...common,
      position: { side: basis.side, size: basis.size, entryPrice: basis.entryPx },
      order: { side: sell ? 'short' : 'long', size: magnitude, price: basis.markPx },
      marginMode: basis.marginMode,
      collateral: basis.collateral,
      leverage: basis.leverage,
    });
    note = `${sell ? 'Sell' : 'Buy'} ${magnitude} at the mark ${basis.markPx}, no fees; ${basis.marginMode}${basis.marginMode === 'isolated' ? `, margin added at ${basis.leverage}×` : ''}.`;
  } else {
    const lev = Number(text);
    if (text === '' || !/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(lev))
      return { ok: false, error: `Enter a leverage from 1 to ${basis.maxLeverage}, e.g. 5.` };
    if (lev < 1 || lev > basis.maxLeverage)
      return {
        ok: false,
        error: `Leverage ${text} is outside 1–${basis.maxLeverage} (this market's maximum is ${basis.maxLeverage}×).`,
      };
    if (basis.marginMode === 'cross') {
      result = estimatePostTradeLiquidationPrice({
        ...common,
        position: { side: basis.side, size: basis.size, entryPrice: basis.entryPx },
        order: { side: basis.side, size: '0', price: basis.markPx },
        marginMode: 'cross',
        collateral: basis.collateral,
        leverage: lev,
      });
      note =
        'Cross margin: leverage sets only the initial margin; the liquidation price depends on the account equity and maintenance, so it does not move.';
    } else {
      result = estimatePostTradeLiquidationPrice({
        ...common,
        position: null,
        order: { side: basis.side, size: basis.size, price: basis.markPx },
        marginMode: 'isolated',
        collateral: '0',
        leverage: lev,
      });
      note = `Isolated margin set to size × mark / ${lev} (the position reopened at the mark with ${lev}×; unrealized PnL not kept).`;
    }
  }
  const liq = result.liquidationPrice;
  const dist =
    liq === null ? null : liquidationDistance({ markPrice: basis.markPx, liquidationPrice: liq });
  return {
    ok: true,
    side: result.position?.side ?? null,
    size: result.position?.size ?? null,
    liquidationPx: liq,
    distancePct: dist?.percent ?? null,
    note,
  };
}
