import { InvalidParameterError } from '../errors.js';
import { type DecimalString, parsePositive } from '../internal/args.js';
import { divRound, formatDecimal, WAD } from '../internal/decimal.js';

/** Venues whose impact notional {@link impactNotional} knows. */
export type ImpactVenue = 'aevo' | 'hyperliquid' | 'binance' | 'dydx';

/**
 * The notional (quote currency) whose average fill price defines the impact bid/ask of a market:
 * Aevo 10,000 USD; Hyperliquid 20,000 USDC for BTC and ETH, 6,000 USDC otherwise; Binance
 * `200 USDT / initialMarginRate` (at max leverage); dYdX `500 USDC / initialMarginRate` (IMF).
 * Sources: research perp-math.md §1.1, §2.1, §3.1, §3.2.
 *
 * @throws {InvalidParameterError} when Binance/dYdX lack `initialMarginRate` or Hyperliquid lacks `coin`.
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
  switch (params.venue) {
    case 'aevo':
      return '10000';
    case 'hyperliquid':
      if (params.coin === undefined)
        throw new InvalidParameterError('coin', `is required for ${params.venue}`);
      return params.coin === 'BTC' || params.coin === 'ETH' ? '20000' : '6000';
    case 'binance':
    case 'dydx': {
      if (params.initialMarginRate === undefined) {
        throw new InvalidParameterError('initialMarginRate', `is required for ${params.venue}`);
      }
      const imr = parsePositive(params.initialMarginRate, 'initialMarginRate');
      const margin = params.venue === 'binance' ? 200n : 500n;
      return formatDecimal(divRound(margin * WAD * WAD, imr, 'halfEven'));
    }
    default:
      throw new InvalidParameterError('venue', `is not supported: ${String(params.venue)}`);
  }
}
