import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import {
  accountValue,
  adlRank,
  crossMarginRatio,
  hyperliquidBackstop,
  unrealizedPnl,
} from './accountMetrics.js';
import { aevoMarginHealth } from './aevoMarginHealth.js';
import { estimatePostTradeLiquidationPrice } from './estimatePostTradeLiquidationPrice.js';
import { liquidationDistance, realizedVolatility } from './liquidationDistance.js';
import { liquidationPrice } from './liquidationPrice.js';
import { hyperliquidMarginTable } from './marginTable.js';

describe('Aevo cross-margin health (perp-math.md §4 A12)', () => {
  it('A12: AB 1000, UP −50, OO 100, IM 250, MM 300 → open buffer 300, allowed', () => {
    expect(
      aevoMarginHealth({
        accountBalance: '1000',
        unrealizedPnl: '-50',
        openOrders: '100',
        initialMargin: '250',
        maintenanceMargin: '300',
      }),
    ).toEqual({
      openBuffer: '300',
      maintenanceBuffer: '550',
      canOpen: true,
      isHealthy: true,
      binding: 'none',
    });
  });
  it('reports which requirement binds', () => {
    const base = {
      accountBalance: '1000',
      unrealizedPnl: '0',
      openOrders: '0',
      maintenanceMargin: '600',
    };
    expect(aevoMarginHealth({ ...base, initialMargin: '500' }).binding).toBe('initialMargin');
    expect(
      aevoMarginHealth({ ...base, maintenanceMargin: '1000', initialMargin: '0' }).binding,
    ).toBe('maintenanceMargin');
  });
});

describe('account metrics (hyperliquid.md §3.1, §3.4)', () => {
  it('uPnL, account value identity of the docs isolated example, ratio, backstop, ADL rank', () => {
    expect(
      unrealizedPnl({ side: 'long', size: '0.0335', entryPrice: '2986.3', markPrice: '2985.9' }),
    ).toBe('-0.0134'); // the docs example's unrealizedPnl
    expect(unrealizedPnl({ side: 'short', size: '2', entryPrice: '100', markPrice: '90' })).toBe(
      '20',
    );
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

describe('liquidation distance and volatility', () => {
  it('distance in % and σ, halt safety multiplier', () => {
    const d = liquidationDistance({
      markPrice: '100',
      liquidationPrice: '80',
      volatility: { sigma: 0.8, targetHorizonHours: 8760 },
      normalDistance: '0.15',
    });
    expect(d).toEqual({ fraction: '0.2', percent: '20', sigmas: 0.25, isSafeDuringHalt: false });
    const daily = liquidationDistance({
      markPrice: '100',
      liquidationPrice: '120',
      volatility: { sigma: 0.02, sigmaHorizonHours: 24 },
    });
    expect(daily!.sigmas).toBeCloseTo(10, 12);
    expect(liquidationDistance({ markPrice: '100', liquidationPrice: null })).toBeNull();
  });
  it('realized volatility of alternating ±1 % moves', () => {
    const prices = ['100', '101', '100', '101', '100'];
    const r = Math.log(1.01);
    const perSample = Math.sqrt((4 * r * r) / 3);
    expect(realizedVolatility({ prices, sampleIntervalHours: 24, horizonHours: 24 })).toBeCloseTo(
      perSample,
      12,
    );
    expect(realizedVolatility({ prices, sampleIntervalHours: 24 })).toBeCloseTo(
      perSample * Math.sqrt(365),
      12,
    );
    expect(() => realizedVolatility({ prices: ['1', '2'], sampleIntervalHours: 1 })).toThrow(
      InvalidParameterError,
    );
  });
});

describe('post-trade liquidation estimate', () => {
  const table = hyperliquidMarginTable({ id: 20, marginTables: [] });
  it('opening from flat equals the direct solve on the resulting position', () => {
    const r = estimatePostTradeLiquidationPrice({
      position: null,
      order: { side: 'long', size: '1', price: '100' },
      markPrice: '100',
      marginMode: 'isolated',
      collateral: '0',
      leverage: 10,
      marginTable: table,
    });
    expect(r.position).toEqual({ side: 'long', size: '1', entryPrice: '100' });
    expect(r.liquidationPrice).toBe(
      liquidationPrice({
        side: 'long',
        size: '1',
        price: '100',
        collateral: '10',
        marginTable: table,
      }),
    );
  });
  it('increasing averages the entry; cross collateral gains the fill-vs-mark PnL', () => {
    const r = estimatePostTradeLiquidationPrice({
      position: { side: 'long', size: '1', entryPrice: '100' },
      order: { side: 'long', size: '1', price: '110' },
      markPrice: '112',
      marginMode: 'cross',
      collateral: '50',
      leverage: 10,
      marginTable: table,
    });
    expect(r.position).toEqual({ side: 'long', size: '2', entryPrice: '105' });
    expect(r.liquidationPrice).toBe(
      liquidationPrice({
        side: 'long',
        size: '2',
        price: '112',
        collateral: '52',
        marginTable: table,
      }),
    );
  });
  it('a flip resets the entry to the fill price; closing leaves no position', () => {
    const flip = estimatePostTradeLiquidationPrice({
      position: { side: 'long', size: '1', entryPrice: '100' },
      order: { side: 'short', size: '3', price: '100' },
      markPrice: '100',
      marginMode: 'cross',
      collateral: '100',
      leverage: 10,
      marginTable: table,
    });
    expect(flip.position).toEqual({ side: 'short', size: '2', entryPrice: '100' });
    const close = estimatePostTradeLiquidationPrice({
      position: { side: 'short', size: '2', entryPrice: '100' },
      order: { side: 'long', size: '2', price: '100' },
      markPrice: '100',
      marginMode: 'cross',
      collateral: '100',
      leverage: 10,
      marginTable: table,
    });
    expect(close).toEqual({ position: null, liquidationPrice: null });
  });
});
