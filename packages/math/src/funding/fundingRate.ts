import {
  type DecimalString,
  fail,
  parseNonNegative,
  parseOptional,
  positiveNumber,
} from '../internal/args.js';
import {
  clamp,
  div,
  divRound,
  type Fixed,
  formatDecimal,
  fromNumber,
  mul,
  parseDecimal,
  WAD,
} from '../internal/decimal.js';

/**
 * `P̄ + clamp(I − P̄, −0.05 %, +0.05 %)`: the 8-hour rate from `averagePremium` and `interestRate8h`
 * (default 0.01 %), shared by Aevo, Binance and Hyperliquid.
 */
function rate8h(params: { averagePremium: DecimalString; interestRate8h?: DecimalString }): Fixed {
  const p = parseDecimal(params.averagePremium, 'averagePremium');
  // Default interest: 0.01 % per 8 h.
  const i = parseOptional(params.interestRate8h, 'interestRate8h', WAD / 10_000n);
  // ±0.05 % per 8 h: the clamp of `interest − premium` shared by Aevo, Binance, Bybit and Hyperliquid.
  const c = WAD / 2000n;
  return p + clamp(i - p, -c, c);
}

/** A funding rate together with its interval: every funding value in this package carries one. */
export type FundingRate = {
  /** Rate per interval as a fraction (positive: longs pay shorts). */
  rate: DecimalString;
  /** Hours between payments of `rate`. */
  intervalHours: number;
};

/**
 * Aevo funding (docs, effective 2024-08-01): `8H = P̄ + clamp(I − P̄, −0.05 %, +0.05 %)`,
 * `capped = clamp(8H, floor, ceiling)`, `1H = capped / fundingIntervalHours`; paid every hour.
 * Rounding: exact, the hourly rate half-even at 18 decimals.
 *
 * @returns the paid hourly rate `{ rate, intervalHours: 1 }` (the 8-hour rate is `rate × fundingIntervalHours`).
 * @throws {InvalidParameterError} when `floor > ceiling` or `fundingIntervalHours` ≤ 0.
 * @example aevoFundingRate({ averagePremium: '0.001' }).rate // '0.0000625' (8H 0.0005)
 */
export function aevoFundingRate(params: {
  /** Time-weighted average premium (see `averagePremium(…, 'linear')`). */
  averagePremium: DecimalString;
  /** Interest per 8 h, default `'0.0001'` (0.01 %). */
  interestRate8h?: DecimalString;
  /** Per-market ceiling of the 8h rate (default: none). */
  ceiling?: DecimalString;
  /** Per-market floor of the 8h rate (default: none). */
  floor?: DecimalString;
  /** "Funding Interval" that divides the 8h rate: usually 8, sometimes 4. Default 8. */
  fundingIntervalHours?: number;
}): FundingRate {
  const divisor = positiveNumber('fundingIntervalHours', params.fundingIntervalHours ?? 8);
  const capped = capFloor(rate8h(params), params);
  return { rate: formatDecimal(div(capped, fromNumber(divisor))), intervalHours: 1 };
}

/**
 * Hyperliquid hourly funding rate (docs "Funding"): `F8 = P̄ + clamp(I − P̄, ±0.0005)`, paid hourly at
 * `F8 / 8`, times the HIP-3 funding multiplier (0–10, scales the whole rate including interest, verified on
 * xyz captures), capped at ±4 %/h. HIP-3 deployers may replace the interest with `interestRate8h`.
 * Rounding: exact, half-even at 18 decimals (the API publishes 10).
 * Open question (research hyperliquid.md §4): one public HIP-3 row fits a ±0.0003 clamp; the ±0.0005 clamp
 * used here matches every recorded main-dex and xyz row we have.
 *
 * @throws {InvalidParameterError} when `multiplier` is outside [0, 10].
 * @example hyperliquidFundingRate({ averagePremium: '-0.0004653492' }).rate // '0.00000433135'
 * @example hyperliquidFundingRate({ averagePremium: '0.0001', multiplier: '0.5' }).rate // '0.00000625'
 */
export function hyperliquidFundingRate(params: {
  /** Hour-averaged premium (plain mean of the 5 s samples). */
  averagePremium: DecimalString;
  /** Interest per 8 h, default `'0.0001'`; HIP-3 `setFundingInterestRates` overrides it. */
  interestRate8h?: DecimalString;
  /** HIP-3 funding multiplier, 0–10, default `'1'`. */
  multiplier?: DecimalString;
}): FundingRate {
  const m = parseOptional(params.multiplier, 'multiplier', WAD, parseNonNegative);
  if (m > 10n * WAD) fail('multiplier', 'at most 10', params.multiplier);
  const hourly = divRound(rate8h(params) * m, 8n * WAD, 'halfEven');
  const cap = WAD / 25n; // Hyperliquid's hourly funding cap: 4 %/h
  return { rate: formatDecimal(clamp(hourly, -cap, cap)), intervalHours: 1 };
}

/**
 * Binance USDⓈ-M funding rate per the symbol's interval (formula since 2025-09-18):
 * `F = [P̄ + clamp(I − P̄, ±0.05 %)] / (8 / N)` with `N = fundingIntervalHours`, then capped to
 * `±capMultiplier·MMR` (MMR of the max-leverage tier; k = 0.75 by default, 1 on some symbols) or to the
 * explicit `ceiling`/`floor` (`adjustedFundingRateCap`/`Floor` of `GET /fapi/v1/fundingInfo`) when given. Interest 0.03 %/day = 0.01 % per 8 h.
 *
 * @throws {InvalidParameterError} when `fundingIntervalHours` ≤ 0.
 * @example binanceFundingRate({ averagePremium: '0.0002', fundingIntervalHours: 4 }).rate // '0.00005'
 */
export function binanceFundingRate(params: {
  averagePremium: DecimalString;
  /** Funding interval in hours (8, 4, 2 or 1). Default 8. */
  fundingIntervalHours?: number;
  /** Interest per 8 h; default `'0.0001'`; `'0'` for BNB pairs. */
  interestRate8h?: DecimalString;
  /** Maintenance margin rate of the max-leverage bracket, for the `±k·MMR` cap. */
  maintenanceMarginRate?: DecimalString;
  /** The `k` of `±k·MMR`, default `'0.75'`. */
  capMultiplier?: DecimalString;
  /** Explicit `adjustedFundingRateCap`; with `floor`, takes precedence over `k·MMR` (which is then not applied). */
  ceiling?: DecimalString;
  /** Explicit `adjustedFundingRateFloor`. */
  floor?: DecimalString;
}): FundingRate {
  const intervalHours = positiveNumber('fundingIntervalHours', params.fundingIntervalHours ?? 8);
  // Dividing by 8/N is multiplying by N/8.
  let rate = divRound(rate8h(params) * fromNumber(intervalHours), 8n * WAD, 'halfEven');
  // An explicit fundingInfo ceiling/floor replaces the ±k·MMR bound (it is that bound as Binance publishes it).
  if (
    params.maintenanceMarginRate !== undefined &&
    (params.ceiling ?? params.floor) === undefined
  ) {
    const mmr = parseNonNegative(params.maintenanceMarginRate, 'maintenanceMarginRate');
    const k = parseOptional(
      params.capMultiplier,
      'capMultiplier',
      (3n * WAD) / 4n, // k = 0.75 by default
      parseNonNegative,
    );
    const bound = mul(k, mmr);
    rate = clamp(rate, -bound, bound);
  }
  return { rate: formatDecimal(capFloor(rate, params)), intervalHours };
}

/** `x` limited to the optional `[params.floor, params.ceiling]`. */
function capFloor(x: Fixed, params: { ceiling?: DecimalString; floor?: DecimalString }): Fixed {
  const hi = parseOptional(params.ceiling, 'ceiling', null);
  const lo = parseOptional(params.floor, 'floor', null);
  if (lo !== null && lo > (hi ?? lo)) fail('floor', 'at most ceiling', params.floor);
  return clamp(x, lo ?? x, hi ?? x);
}
