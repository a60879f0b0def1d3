import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import {
  accountValue,
  adlRank,
  crossMarginRatio,
  hyperliquidBackstop,
  unrealizedPnl,
} from './accountMetrics.js';

describe('account metrics (hyperliquid.md §3.1, §3.4)', () => {
  it('uPnL, account value identity of the docs isolated example, ratio, backstop, ADL rank', () => {
    expect(
      unrealizedPnl({ side: 'long', size: '0.0335', entryPrice: '2986.3', markPrice: '2985.9' }),
    ).toBe('-0.0134'); // the docs example's unrealizedPnl
    expect(unrealizedPnl({ side: 'short', size: '2', entryPrice: '100', markPrice: '90' })).toBe(
      '20',
    );
    // A misspelt side must not silently count as a short (it used to return '-20' here).
    expect(() =>
      unrealizedPnl({ side: 'LONG' as 'long', size: '2', entryPrice: '90', markPrice: '100' }),
    ).toThrow(InvalidParameterError);
    // isolated marginUsed = rawUsd + szi·mark (docs: rawUsd −95.059824 → marginUsed 4.967826)
    expect(
      accountValue({
        balance: '-95.059824',
        positions: [{ signedSize: '0.0335', markPrice: '2985.9' }],
      }),
    ).toBe('4.967826');
    expect(crossMarginRatio({ maintenanceMargin: '300', accountValue: '600' })).toBe('0.5');
    expect(crossMarginRatio({ maintenanceMargin: '300', accountValue: '0' })).toBeNull();
    expect(hyperliquidBackstop({ maintenanceMargin: '300', accountValue: '199' })).toEqual({
      threshold: '200',
      isBelowThreshold: true,
    });
    expect(
      hyperliquidBackstop({ maintenanceMargin: '300', accountValue: '200' }).isBelowThreshold,
    ).toBe(false);
    expect(
      adlRank({ markPrice: '110', entryPrice: '100', notional: '11000', accountValue: '1000' }),
    ).toBe('12.1');
    expect(
      adlRank({ markPrice: '110', entryPrice: '100', notional: '11000', accountValue: '-1' }),
    ).toBeNull();
  });
});
