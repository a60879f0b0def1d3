import { parsePositive } from '../internal/args.js';
import { div, formatDecimal } from '../internal/decimal.js';

/**
 * Spot price of a constant-product (x·y = k) pool: `reserveQuote / reserveBase`, the marginal
 * price of the base token in quote tokens (note 5).
 *
 * @param reserveBase Base-token reserve x, decimal string > 0.
 * @param reserveQuote Quote-token reserve y, decimal string > 0.
 * @returns Price in quote per base, decimal string rounded half-even to 18 decimals.
 * @throws {InvalidDecimalError} a reserve is not a decimal string.
 * @throws {InvalidParameterError} a reserve is ≤ 0.
 * @example
 * constantProductPrice('5', '10') // '2'
 */
export function constantProductPrice(reserveBase: string, reserveQuote: string): string {
  const x = parsePositive(reserveBase, 'reserveBase');
  const y = parsePositive(reserveQuote, 'reserveQuote');
  return formatDecimal(div(y, x));
}
