import {
  type DecimalString,
  nonNegativeNumber,
  parseOptional,
  positiveNumber,
} from '../internal/args.js';
import {
  div,
  divRound,
  formatDecimal,
  fromNumber,
  parseDecimal,
  WAD,
  WAD2,
} from '../internal/decimal.js';
import { fields } from './fields.js';

/**
 * Net carry of a delta-neutral position over `periods` funding periods: the expected gross funding
 * income `notional × rate × periods` (quote currency; `rate` per funding period, e.g. hourly) minus
 * fees, slippage, borrow cost and a hedge-error allowance (all in quote currency over the same horizon,
 * default 0). Exact, half-even at 18 decimals.
 *
 * @throws {InvalidParameterError} when `periods` < 0. `Math.InvalidDecimalError` on a malformed amount.
 * @example netCarry({ notional: '2000000', rate: '0.00003', periods: 1 }).gross // '60' (funding income alone)
 * @example
 * // Founding note 3: 2,000,000 notional, 600 gross per hour, 200 fees, 100 hedge error → 300 net
 * netCarry({ notional: '2000000', rate: '0.0003', periods: 1, fees: '200', hedgeErrorAllowance: '100' })
 * // { gross: '600', costs: '300', net: '300' }
 */
export function netCarry(params: {
  notional: DecimalString;
  rate: DecimalString;
  periods: number;
  fees?: DecimalString;
  slippage?: DecimalString;
  borrowCost?: DecimalString;
  hedgeErrorAllowance?: DecimalString;
}): { gross: DecimalString; costs: DecimalString; net: DecimalString } {
  const [n, r] = fields(params, ['notional', 'rate'] as const, parseDecimal);
  const periods = fromNumber(nonNegativeNumber('periods', params.periods));
  const gross = divRound(n * r * periods, WAD2, 'halfEven');
  let costs = 0n;
  for (const key of ['fees', 'slippage', 'borrowCost', 'hedgeErrorAllowance'] as const)
    costs += parseOptional(params[key], key, 0n);
  return {
    gross: formatDecimal(gross),
    costs: formatDecimal(costs),
    net: formatDecimal(gross - costs),
  };
}

/**
 * Annualized basis of a dated future: `(future / spot − 1) × 365 / daysToExpiry`.
 *
 * @throws {InvalidParameterError} when `spotPrice` ≤ 0 or `daysToExpiry` ≤ 0.
 * @example annualizedBasis({ futurePrice: '101', spotPrice: '100', daysToExpiry: 36.5 }) // '0.1'
 */
export function annualizedBasis(params: {
  futurePrice: DecimalString;
  spotPrice: DecimalString;
  daysToExpiry: number;
}): DecimalString {
  const [f, s] = fields(params, ['futurePrice', 'spotPrice'] as const);
  const days = fromNumber(positiveNumber('daysToExpiry', params.daysToExpiry));
  // (f − s)/s × 365/days with one rounding.
  return formatDecimal(div((f - s) * 365n * WAD, s * days));
}

/**
 * Perp basis against the index: `perp / index − 1` (a fraction; positive = perp rich).
 *
 * @example perpBasis({ perpPrice: '2002', indexPrice: '2000' }) // '0.001'
 */
export function perpBasis(params: {
  perpPrice: DecimalString;
  indexPrice: DecimalString;
}): DecimalString {
  const [p, i] = fields(params, ['perpPrice', 'indexPrice'] as const);
  return formatDecimal(div(p - i, i));
}
