import { describe, expect, it } from 'vitest';
import { type Hip3StressMarket, hip3StressTest } from './hip3StressTest.js';

// Hand-derived: at max leverage L, HL maintenance is 1/(2L) of notional and the initial margin 1/L
// (research/hyperliquid.md §3.1), so exposed positions are liquidated once the move reaches 1/(2L)
// and go bankrupt beyond 1/L. The mark moves at most 1 % per setOracle update (§1.2).
const market = (over: Partial<Hip3StressMarket> = {}): Hip3StressMarket => ({
  openInterestUsd: '10000000',
  maxLeverage: 20,
  depthUsd: '2000000',
  session: '24/7',
  ...over,
});

describe('hip3StressTest', () => {
  it('oracle depeg 5 % at 20×: everything liquidated, no bad debt, 8M to ADL', () => {
    // 5 % ≥ 1/40 = 2.5 % → liquidate 10M; 5 % is not > 1/20 = 5 % → bad debt 0; 10M − 2M depth → ADL 8M.
    expect(hip3StressTest({ market: market(), scenario: { kind: 'oracleDepeg' } })).toEqual({
      scenario: 'oracleDepeg',
      moveFraction: '0.05',
      updatesToReprice: 5,
      secondsToReprice: 15,
      exposedNotionalUsd: '10000000',
      liquidatedNotionalUsd: '10000000',
      badDebtUsd: '0',
      depthUsd: '2000000',
      bookCoverage: 0.2,
      adlNotionalUsd: '8000000',
      pinnedMispricingFraction: null,
      level: 'critical',
    });
  });

  it('a balanced book at 10× absorbs the depeg; a liquidity gap does not', () => {
    const m = market({ maxLeverage: 10, exposedShare: '0.5', depthUsd: '10000000' });
    // 5 % ≥ 1/20 → liquidate the exposed 5M; 10M depth covers it twice.
    const depeg = hip3StressTest({ market: m, scenario: { kind: 'oracleDepeg' } });
    expect(depeg).toMatchObject({
      liquidatedNotionalUsd: '5000000',
      badDebtUsd: '0',
      adlNotionalUsd: '0',
      level: 'high',
    });
    expect(depeg?.bookCoverage).toBe(2);
    // Depth −80 % → 2M: 3M to ADL.
    const gap = hip3StressTest({ market: m, scenario: { kind: 'liquidityGap' } });
    expect(gap).toMatchObject({
      depthUsd: '2000000',
      adlNotionalUsd: '3000000',
      level: 'critical',
    });
    expect(gap?.bookCoverage).toBe(0.4);
  });

  it('ADL at a 10 % move on 20×: bad debt 10M × (10 % − 5 %) = 500k', () => {
    const r = hip3StressTest({ market: market(), scenario: { kind: 'adl' } });
    expect(r).toMatchObject({
      moveFraction: '0.1',
      updatesToReprice: 10,
      badDebtUsd: '500000',
      adlNotionalUsd: '8000000',
      level: 'critical',
    });
  });

  it('weekend gap: pinned within ±10 % of last close, the rest gaps at reopen', () => {
    // Outside move 15 %, pin 10 %: mark trails by 5 % → 5 updates at reopen. At 10×: bad debt 10M × 5 %.
    const r = hip3StressTest({
      market: market({ session: 'marketHours', maxLeverage: 10 }),
      scenario: { kind: 'weekendGap', outsideMoveFraction: '0.15' },
      updateIntervalSeconds: 2.5,
    });
    expect(r).toMatchObject({
      moveFraction: '0.15',
      updatesToReprice: 5,
      secondsToReprice: 12.5,
      pinnedMispricingFraction: '0.05',
      badDebtUsd: '500000',
    });
    // Inside the pin band nothing gaps.
    const small = hip3StressTest({
      market: market({ session: 'marketHours', maxLeverage: 10 }),
      scenario: { kind: 'weekendGap', outsideMoveFraction: '0.04' },
    });
    expect(small).toMatchObject({
      updatesToReprice: 0,
      pinnedMispricingFraction: '0',
      level: 'medium',
    });
    // 24/7 markets have no weekend.
    expect(
      hip3StressTest({
        market: market(),
        scenario: { kind: 'weekendGap', outsideMoveFraction: '0.15' },
      }),
    ).toBeNull();
  });

  it('rates small moves low and validates inputs', () => {
    expect(
      hip3StressTest({
        market: market({ maxLeverage: 10 }),
        scenario: { kind: 'oracleDepeg', moveFraction: '0.01' },
      })?.level,
    ).toBe('low');
    expect(() =>
      hip3StressTest({ market: market({ maxLeverage: 0 }), scenario: { kind: 'adl' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'market.maxLeverage',
      }),
    );
    expect(() =>
      hip3StressTest({ market: market(), scenario: { kind: 'oracleDepeg', moveFraction: '1.5' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'scenario.moveFraction',
      }),
    );
    expect(() =>
      hip3StressTest({ market: market({ openInterestUsd: '-5' }), scenario: { kind: 'adl' } }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'market.openInterestUsd',
      }),
    );
  });
});
