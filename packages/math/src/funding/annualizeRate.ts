import { type DecimalString, decimalToNumber, positiveNumber } from '../internal/args.js';
import {
  divRound,
  type Fixed,
  formatDecimal,
  fromNumber,
  parseDecimal,
  WAD,
} from '../internal/decimal.js';

/**
 * Annual percentage rate (simple, not compounded) of a rate paid every `intervalHours`:
 * `APR = rate × 8760 / intervalHours` (SPEC §2.1). Never assumes 8 h: 0.0001 per 8 h, 0.0000125 per
 * 1 h and 0.00005 per 4 h are all 0.1095 (10.95 %). Exact, half-even at 18 decimals.
 *
 * @throws {InvalidParameterError} when `intervalHours` is not a finite number > 0.
 * `Math.InvalidDecimalError` when `rate` is malformed.
 * @example annualizeRate({ rate: '0.0000125', intervalHours: 1 }) // '0.1095'
 */
export function annualizeRate(params: {
  rate: DecimalString;
  intervalHours: number;
}): DecimalString {
  const hours = fromNumber(positiveNumber('intervalHours', params.intervalHours));
  return formatDecimal(annualizeRateFixed(parseDecimal(params.rate, 'rate'), hours));
}

/**
 * Pre-parsed form of {@link annualizeRate}: rate and interval (hours) as WAD, APR as WAD (half-even).
 * @example annualizeRateFixed(parseDecimal('0.0001'), parseDecimal('8')) // 109_500_000_000_000_000n (0.1095)
 */
export function annualizeRateFixed(rate: Fixed, intervalHours: Fixed): Fixed {
  return divRound(rate * 8760n * WAD, intervalHours, 'halfEven');
}

/**
 * Converts a rate per `fromIntervalHours` to the equivalent simple rate per `toIntervalHours`
 * (`rate × to / from`), e.g. an 8-hour rate to the hourly rate Hyperliquid pays. Half-even, 18 decimals.
 * An APR is a rate per 8760 hours: `fromIntervalHours: 8760` turns an APR into a rate per
 * `toIntervalHours` (the inverse of {@link annualizeRate}; `toIntervalHours: 24` gives the daily rate).
 *
 * @throws {InvalidParameterError} when an interval is not > 0.
 * @example convertRateInterval({ rate: '0.0001', fromIntervalHours: 8, toIntervalHours: 1 }) // '0.0000125'
 * @example convertRateInterval({ rate: '0.1095', fromIntervalHours: 8760, toIntervalHours: 8 }) // '0.0001' (APR → 8 h)
 * @example convertRateInterval({ rate: '0.4', fromIntervalHours: 8760, toIntervalHours: 24 }) // '0.001095890410958904' (APR → day)
 */
export function convertRateInterval(params: {
  rate: DecimalString;
  fromIntervalHours: number;
  toIntervalHours: number;
}): DecimalString {
  const from = fromNumber(positiveNumber('fromIntervalHours', params.fromIntervalHours));
  const to = fromNumber(positiveNumber('toIntervalHours', params.toIntervalHours));
  // rate × to / from with one half-even rounding.
  return formatDecimal(divRound(parseDecimal(params.rate, 'rate') * to, from, 'halfEven'));
}

/**
 * Annual percentage yield: the rate compounded once per interval over a 365-day year,
 * `(1 + rate)^(8760/intervalHours) − 1`. Computed in float64 (a statistic, ~15 significant digits),
 * returned as a decimal string rounded half-even to 18 decimals.
 *
 * @example annualPercentageYield({ rate: '0.0001', intervalHours: 8 }) // '0.11571396279168664' (float64)
 */
export function annualPercentageYield(params: {
  rate: DecimalString;
  intervalHours: number;
}): DecimalString {
  const hours = positiveNumber('intervalHours', params.intervalHours);
  const r = decimalToNumber('rate', params.rate);
  return formatDecimal(fromNumber(Math.expm1((8760 / hours) * Math.log1p(r)), 'apy'));
}
