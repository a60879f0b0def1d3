// The one place where the extension calls position math: thin wrappers over @perpscope/math, so
// the background never re-implements a formula and the content scripts never bundle the math.
import {
  aevoMarginHealth,
  analyzeClearinghouseState,
  type HyperliquidAccountRisk,
  liquidationDistance,
  realizedVolatility,
} from '@perpscope/math';

/**
 * Liquidation price, maintenance margin and distance of every position of one
 * `clearinghouseState` (one dex), with margin tables from that dex's `meta` (SPEC §2.3).
 * Without `meta` (not fetched yet) each coin falls back to one tier at its `maxLeverage`.
 *
 * @throws {Error} from the math package when the payload lacks a required field.
 */
export function analyzeHyperliquidAccount(params: {
  readonly state: unknown;
  readonly meta: unknown | null;
}): HyperliquidAccountRisk {
  return analyzeClearinghouseState({
    clearinghouseState: params.state,
    meta: params.meta ?? { universe: [] },
  });
}

/** A timestamped price sample (epoch ms, price as a decimal string). */
export interface PriceSample {
  readonly t: number;
  readonly px: string;
}

/**
 * Annualized realized volatility of mark samples taken at roughly regular intervals (the poll);
 * null with fewer than `minSamples` samples or no elapsed time.
 */
export function annualizedVolatility(
  samples: readonly PriceSample[],
  minSamples = 10,
): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (samples.length < minSamples || !first || !last || last.t <= first.t) return null;
  const intervalHours = (last.t - first.t) / (samples.length - 1) / 3_600_000;
  const sigma = realizedVolatility({
    prices: samples.map((s) => s.px),
    sampleIntervalHours: intervalHours,
  });
  return sigma > 0 && Number.isFinite(sigma) ? sigma : null;
}

/**
 * Annualized realized volatility of hourly candle closes (the last day of `candleSnapshot`);
 * null with fewer than `minCloses` closes.
 */
export function annualizedVolatilityFromHourlyCloses(
  closes: readonly string[],
  minCloses = 12,
): number | null {
  if (closes.length < minCloses) return null;
  const sigma = realizedVolatility({ prices: closes, sampleIntervalHours: 1 });
  return sigma > 0 && Number.isFinite(sigma) ? sigma : null;
}

/**
 * Distance from mark to liquidation in percent and, given an annualized σ, in σ of one day.
 * Null without a liquidation price.
 */
export function distanceToLiquidation(params: {
  readonly markPx: string;
  readonly liqPx: string | null;
  readonly annualVol: number | null;
}): { readonly pct: number; readonly sigmas: number | null } | null {
  const d = liquidationDistance({
    markPrice: params.markPx,
    liquidationPrice: params.liqPx,
    ...(params.annualVol === null
      ? {}
      : { volatility: { sigma: params.annualVol, targetHorizonHours: 24 } }),
  });
  return d === null ? null : { pct: Number(d.percent), sigmas: d.sigmas };
}

/**
 * Aevo maintenance buffer `AB + UP − OO − MM` (USD, note 2); ≤ 0 means liquidatable.
 */
export function aevoMaintenanceBuffer(params: {
  readonly balance: string;
  readonly unrealizedPnl: string;
  readonly openOrdersMargin: string;
  readonly maintenanceMargin: string;
}): number {
  return Number(
    aevoMarginHealth({
      accountBalance: params.balance,
      unrealizedPnl: params.unrealizedPnl,
      openOrders: params.openOrdersMargin,
      initialMargin: '0',
      maintenanceMargin: params.maintenanceMargin,
    }).maintenanceBuffer,
  );
}
