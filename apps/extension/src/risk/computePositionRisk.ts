// The one place where the extension calls position math: thin wrappers over @perpscope/math, so
// the background never re-implements a formula and the content scripts never bundle the math.
import { HL_ACCOUNT_MODES, HL_SPOT_MODES, HL_STANDARD_MODES } from '@perpscope/hyperliquid';
import {
  aevoMarginHealth,
  analyzeHyperliquidAccount,
  formatDecimal,
  type HyperliquidAccountPosition,
  liquidationDistance,
  parseDecimal,
  realizedVolatility,
} from '@perpscope/math';

/** Account modes (`userAbstraction`) where each dex is its own collateral: the perp state suffices. */
export const STANDARD_MODES: readonly string[] = HL_STANDARD_MODES;

/** Account modes whose collateral is the spot balance (`spotClearinghouseState` is needed). */
export const SPOT_MODES: readonly string[] = HL_SPOT_MODES;

/** Every mode `@perpscope/math`'s `analyzeHyperliquidAccount` handles. */
export const HANDLED_MODES: readonly string[] = HL_ACCOUNT_MODES;

/** One dex of an account as fetched: its `clearinghouseState` and `meta` (null when not fetched). */
export interface AccountDexInput {
  readonly dex: string;
  readonly state: unknown;
  readonly meta: unknown | null;
}

/** One position of {@link hyperliquidAccountRisk}. */
export interface AccountPositionRisk {
  readonly position: HyperliquidAccountPosition;
  /** Our liquidation price; null when none exists or when `notComputable` says why not. */
  readonly liquidationPrice: string | null;
  /** Why our price is not computable (the venue's is the headline then); null when it is. */
  readonly notComputable: string | null;
  /**
   * A cross position's collateral pool as the math solved it (the mode's pool: a dex, the USDC
   * dexes, a collateral token): its equity at mark and the other cross positions' maintenance.
   * Null for isolated positions and when our price is not computable.
   */
  readonly pool: { readonly collateral: string; readonly otherMaintenanceMargin: string } | null;
}

/**
 * Our liquidation price of every position of one Hyperliquid account, for its account mode, through
 * `@perpscope/math`'s `analyzeHyperliquidAccount` (standard, DEX abstraction, unified, portfolio
 * margin: research/venues.md §4). Never the perp-only figure for an account that is not standard:
 * an unknown or unhandled mode, missing spot balances or dex metadata, a payload the math rejects,
 * and portfolio-margin cross positions (math: reason `portfolioMargin`) make the price "not
 * computable", with the reason. The positions themselves (mark, side, size, the venue's price) are
 * then read from the perp states alone, standard-mode style, so the venue's price can headline.
 *
 * @param params.mode the `userAbstraction` answer; null when unknown (lookup failed or skipped).
 * @param params.dexes the dexes the account holds (positions, or balance under DEX abstraction).
 * @param params.spot `spotClearinghouseState`; null when not fetched.
 * @throws {Error} from the math package when a perp state itself is unreadable.
 */
export function hyperliquidAccountRisk(params: {
  readonly mode: string | null;
  readonly dexes: readonly AccountDexInput[];
  readonly spot: unknown | null;
}): { readonly positions: readonly AccountPositionRisk[]; readonly problem: string | null } {
  const { mode, dexes, spot } = params;
  let reason: string | null = null;
  let problem: string | null = null;
  if (mode === null) reason = 'account mode unknown';
  else if (!HANDLED_MODES.includes(mode)) reason = `account mode ${mode} not handled`;
  else if (SPOT_MODES.includes(mode) && spot === null) reason = 'spot balances not fetched';
  else if (!STANDARD_MODES.includes(mode)) {
    const missing = dexes.find((d) => d.meta === null);
    if (missing) reason = `market data of dex ${missing.dex || 'main'} not fetched`;
  }
  if (reason === null && mode !== null) {
    try {
      const account = analyzeHyperliquidAccount({
        abstraction: mode,
        dexes: dexes.map((d) => ({
          dex: d.dex,
          clearinghouseState: d.state,
          // Standard mode without `meta` (not fetched yet): one tier at each coin's maxLeverage.
          meta: d.meta ?? { universe: [] },
        })),
        ...(spot === null ? {} : { spotClearinghouseState: spot }),
      });
      return {
        problem: null,
        positions: account.positions.map((position) => {
          const notComputable =
            position.reason === 'portfolioMargin'
              ? 'portfolio margin: cross positions not solved'
              : null;
          const pool =
            position.marginMode === 'cross' && notComputable === null
              ? account.pools.find((p) => p.dexes.includes(position.dex))
              : undefined;
          return {
            position,
            liquidationPrice: position.liquidationPrice,
            notComputable,
            pool: pool
              ? {
                  collateral: pool.collateral,
                  otherMaintenanceMargin: formatDecimal(
                    parseDecimal(pool.maintenanceMargin) - parseDecimal(position.maintenanceMargin),
                  ),
                }
              : null,
          };
        }),
      };
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
      reason = 'account data rejected by the math';
    }
  }
  // Not computable: the positions as the perp states give them; our price withheld.
  const rows = analyzeHyperliquidAccount({
    abstraction: 'default',
    dexes: dexes.map((d) => ({
      dex: d.dex,
      clearinghouseState: d.state,
      meta: d.meta ?? { universe: [] },
    })),
  });
  return {
    problem,
    positions: rows.positions.map((position) => ({
      position,
      liquidationPrice: null,
      notComputable: reason,
      pool: null,
    })),
  };
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
