import { type DecimalString, fail, oneOf, parsePositive } from '../internal/args.js';
import { div, formatDecimal, WAD } from '../internal/decimal.js';

/** Venues whose impact notional {@link impactNotional} knows. */
export type ImpactVenue = 'aevo' | 'hyperliquid' | 'binance' | 'dydx';

/**
 * The notional (quote currency) whose average fill price defines the impact bid/ask of a market:
 * Aevo 10,000 USD; Hyperliquid 20,000 USDC for BTC and ETH, 6,000 USDC otherwise; Binance
 * `200 USDT / initialMarginRate` (at max leverage); dYdX `500 USDC / initialMarginRate` (IMF).
 * Sources: research perp-math.md §1.1, §2.1, §3.1, §3.2.
 *
 * @throws {InvalidParameterError} when `venue` is unknown, Hyperliquid lacks `coin` or `initialMarginRate` ≤ 0.
 * `Math.InvalidDecimalError` when Binance/dYdX lack `initialMarginRate` (or it is malformed).
 * @example impactNotional({ venue: 'binance', initialMarginRate: '0.05' }) // '4000' (BNBUSDT 20x)
 * @example impactNotional({ venue: 'hyperliquid', coin: 'SOL' }) // '6000'
 */
export function impactNotional(params: {
  venue: ImpactVenue;
  /** Hyperliquid coin name (`'BTC'`, `'ETH'`, …). */
  coin?: string;
  /** Binance IMR at max leverage / dYdX initial margin fraction, as a fraction. */
  initialMarginRate?: DecimalString;
}): DecimalString {
  const venue = oneOf('venue', params.venue, ['aevo', 'hyperliquid', 'binance', 'dydx']);
  if (venue === 'aevo') return '10000';
  if (venue === 'hyperliquid') {
    const coin = params.coin ?? fail('coin', 'set', params.coin);
    return coin === 'BTC' || coin === 'ETH' ? '20000' : '6000';
  }
  // Binance: 200 USDT of margin, dYdX: 500 USDC, at the initial margin rate.
  // A missing rate fails to parse (`InvalidDecimalError` naming `initialMarginRate`).
  const imr = parsePositive(params.initialMarginRate as string, 'initialMarginRate');
  return formatDecimal(div((venue === 'binance' ? 200n : 500n) * WAD, imr));
}
