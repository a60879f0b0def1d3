import { describe, expect, it } from 'vitest';
import { InvalidDecimalError, InvalidParameterError } from '../errors.js';
import { impactNotional } from './impactNotional.js';

describe('impactNotional', () => {
  it('B7: Binance BNBUSDT 20x (IMR 5 %) → 200 / 5 % = 4,000 USDT (Binance funding FAQ)', () => {
    expect(impactNotional({ venue: 'binance', initialMarginRate: '0.05' })).toBe('4000');
  });
  it('D3: dYdX IMF 10 % → 500 / 10 % = 5,000 USDC (dYdX default funding rates)', () => {
    expect(impactNotional({ venue: 'dydx', initialMarginRate: '0.1' })).toBe('5000');
  });
  it('Hyperliquid 20,000 for BTC/ETH, 6,000 otherwise; Aevo 10,000', () => {
    expect(impactNotional({ venue: 'hyperliquid', coin: 'ETH' })).toBe('20000');
    expect(impactNotional({ venue: 'hyperliquid', coin: 'xyz:TSLA' })).toBe('6000');
    expect(impactNotional({ venue: 'aevo' })).toBe('10000');
  });
  it('requires the venue-specific input', () => {
    expect(() => impactNotional({ venue: 'binance' })).toThrow(InvalidDecimalError);
    expect(() => impactNotional({ venue: 'dydx' })).toThrow(/initialMarginRate/);
    expect(() => impactNotional({ venue: 'binance', initialMarginRate: '0' })).toThrow(
      InvalidParameterError,
    );
    // @ts-expect-error: an unknown venue is rejected at run time too
    expect(() => impactNotional({ venue: 'okx' })).toThrow(/venue must be one of/);
    expect(() => impactNotional({ venue: 'hyperliquid' })).toThrow(
      /coin must be set, got undefined/,
    );
  });
});
