import type { DecimalString } from '../internal/args.js';
import { divRound, formatDecimal, parseDecimal, WAD2 } from '../internal/decimal.js';
import { fields } from './fields.js';

/**
 * Funding cash flow of one payment for a position, from the account's point of view:
 * `amount = −signedSize × price × rate` — positive when the account receives. Longs pay positive rates.
 * Hyperliquid values the position at the **oracle** price; Binance at the mark; dYdX at the index.
 * Exact, half-even at 18 decimals (Hyperliquid books 6).
 *
 * @throws `Math.InvalidDecimalError` on a malformed input.
 * @example
 * // HL docs HIP-3 userFunding: short 15 xyz:XYZ100, rate 0.00000625, oracle 25368.992 → receives 2.378343
 * fundingPayment({ signedSize: '-15', price: '25368.992', rate: '0.00000625' }) // '2.378343'
 */
export function fundingPayment(params: {
  /** Position size, negative for shorts (Hyperliquid `szi`). */
  signedSize: DecimalString;
  /** Price the venue values the position at for funding. */
  price: DecimalString;
  /** Funding rate of this payment (per the payment's interval). */
  rate: DecimalString;
}): DecimalString {
  const [size, price, rate] = fields(
    params,
    ['signedSize', 'price', 'rate'] as const,
    parseDecimal,
  );
  return formatDecimal(divRound(-size * price * rate, WAD2, 'halfEven'));
}
