import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import { aevoIndexPrice } from './aevoIndexPrice.js';
import { aevoFairPrice, aevoMarkPrice } from './aevoMarkPrice.js';
import { checkSetOracleUpdates } from './checkSetOracleUpdates.js';
import { ema150s, hip3MarkPrice, hyperliquidMarkPrice } from './hyperliquidMarkPrice.js';

describe('Aevo index (founding note 2; perp-math.md §1.3)', () => {
  it('drops sources more than ±0.5 % from the median and averages the rest', () => {
    const r = aevoIndexPrice({
      sources: [{ price: '2000' }, { price: '2001' }, { price: '2100' }],
    });
    expect(r).toEqual({ price: '2000.5', sourcesUsed: 2 });
  });
  it('caps instead of dropping with the cap policy', () => {
    // median 2001, band edge 2001 × 1.005 = 2011.005
    const r = aevoIndexPrice({
      sources: [{ price: '2000' }, { price: '2001' }, { price: '2100' }],
      policy: 'cap',
    });
    expect(r).toEqual({ price: '2004.001666666666666667', sourcesUsed: 3 });
  });
  it('converts USDT quotes to USDC', () => {
    const r = aevoIndexPrice({
      sources: [{ price: '2000', quote: 'USDT' }, { price: '1998' }],
      usdtToUsdc: '0.999',
    });
    expect(r.price).toBe('1998');
    expect(() => aevoIndexPrice({ sources: [{ price: '1', quote: 'USDT' }] })).toThrow(
      /usdtToUsdc/,
    );
    expect(() => aevoIndexPrice({ sources: [] })).toThrow(InvalidParameterError);
  });
});

describe('Aevo mark (perp-math.md §4 A1, A2, A9)', () => {
  it('A1: Price 1 = 2000 × (1 + 0.005 × 0.5) = 2005', () => {
    const r = aevoMarkPrice({
      indexPrice: '2000',
      fairPrice: '2010',
      lastFundingRate: '0.005',
      hoursToNextFunding: 0.5,
      basisSamples: ['3'],
    });
    expect(r.price1).toBe('2005');
    expect(r.price2).toBe('2003');
    expect(r.markPrice).toBe('2005');
  });
  it('A2: with Price1 < Price2 < Fair the mark is Price2', () => {
    const r = aevoMarkPrice({
      indexPrice: '2000',
      fairPrice: '2010',
      lastFundingRate: '0',
      hoursToNextFunding: 0.5,
      basisSamples: ['4', '6'],
    });
    expect(r).toEqual({ markPrice: '2005', price1: '2000', price2: '2005' });
  });
  it('A9: ETH/BTC fair price guard (best bid −0.1 %, best ask +0.1 %)', () => {
    expect(
      aevoFairPrice({ impactBid: '1997', impactAsk: '2004', bestBid: '2000', bestAsk: '2001' }),
    ).toBe('2000.5005');
    expect(aevoFairPrice({ impactBid: '1997', impactAsk: '2004' })).toBe('2000.5');
  });
});

describe('Hyperliquid and HIP-3 marks', () => {
  it('validator perp: median of oracle+EMA, local median, weighted CEX median', () => {
    expect(
      hyperliquidMarkPrice({
        oraclePrice: '100',
        emaMidMinusOracle: '0.2',
        bestBid: '100.1',
        bestAsk: '100.3',
        lastTrade: '100.2',
        cexPerpMids: [
          { price: '100.25', weight: 3 },
          { price: '100.1', weight: 2 },
        ],
      }),
    ).toBe('100.2');
    // CEX weighted median (Binance 3, OKX 2, Bybit 2, Gate 1, MEXC 1) = 101 dominates between 99 and 102.
    expect(
      hyperliquidMarkPrice({
        oraclePrice: '99',
        emaMidMinusOracle: '0',
        bestBid: '102',
        bestAsk: '103',
        lastTrade: '102',
        cexPerpMids: [
          { price: '101', weight: 3 },
          { price: '100', weight: 2 },
          { price: '101.5', weight: 2 },
          { price: '90', weight: 1 },
          { price: '110', weight: 1 },
        ],
      }),
    ).toBe('101');
  });
  it('EMA150s of mid − oracle weights recent samples', () => {
    const flat = ema150s([
      { timeMs: 0, value: '1' },
      { timeMs: 1000, value: '1' },
    ]);
    expect(Number(flat)).toBeCloseTo(1, 12);
    const step = Number(
      ema150s([
        { timeMs: 0, value: '0' },
        { timeMs: 150_000, value: '1' },
      ]),
    );
    expect(step).toBeGreaterThan(0.99);
  });
  it('HIP-3: median(deployer marks…, median(bid, ask, last))', () => {
    expect(
      hip3MarkPrice({
        deployerMarkPrices: ['101'],
        bestBid: '99',
        bestAsk: '100',
        lastTrade: '102',
      }),
    ).toBe('100.5');
    expect(
      hip3MarkPrice({
        deployerMarkPrices: ['101', '150'],
        bestBid: '99',
        bestAsk: '100',
        lastTrade: '102',
      }),
    ).toBe('101');
    expect(
      hip3MarkPrice({ deployerMarkPrices: [], bestBid: '99', bestAsk: '100', lastTrade: '102' }),
    ).toBe('100');
    expect(() =>
      hip3MarkPrice({
        deployerMarkPrices: ['1', '2', '3'],
        bestBid: '1',
        bestAsk: '1',
        lastTrade: '1',
      }),
    ).toThrow(InvalidParameterError);
  });
});

describe('HIP-3 setOracle rule checker (hyperliquid.md §1.2)', () => {
  const day = [{ fromMs: 0, price: '100' }];
  it('accepts a compliant 3-second cadence', () => {
    const updates = [0, 3000, 6000, 9000].map((t, i) => ({
      timeMs: t,
      oraclePx: String(100 + i * 0.5),
      markPxs: [String(100 + i * 0.5)],
    }));
    expect(checkSetOracleUpdates({ updates, dayOpenPrices: day })).toEqual([]);
  });
  it('flags each rule with the offending index', () => {
    const v = checkSetOracleUpdates({
      updates: [
        { timeMs: 0, oraclePx: '100', markPxs: ['100'] },
        { timeMs: 1000, oraclePx: '100', markPxs: ['102'] }, // too soon, +2 %
        { timeMs: 24000, oraclePx: '1001', markPxs: ['102'] }, // stale gap, oracle > 10× day open
        { timeMs: 27000, oraclePx: '100', markPxs: [], externalPerpPx: '9' }, // external < 1/10
        { timeMs: 38000, oraclePx: '100', markPxs: [] }, // 11 s gap: 1 s after the fallback at 37 s
      ],
      dayOpenPrices: day,
    });
    expect(v.map((x) => [x.index, x.rule, x.subject])).toEqual([
      [1, 'tooFrequent', 'interval'],
      [1, 'markMoveOverLimit', 'markPx'],
      [2, 'stale', 'interval'],
      [2, 'outsideDailyClamp', 'oraclePx'],
      [3, 'outsideDailyClamp', 'externalPerpPx'],
      [4, 'stale', 'interval'],
      [4, 'tooFrequent', 'interval'],
    ]);
    expect(v[1]!.value).toBe('0.02');
    expect(v[2]!.value).toBe('23000');
    expect(v[6]!.value).toBe('1000');
  });
  it('uses the day-open price in force at each update and rejects time going backwards', () => {
    const v = checkSetOracleUpdates({
      updates: [{ timeMs: 90_000_000, oraclePx: '1500', markPxs: [] }],
      dayOpenPrices: [
        { fromMs: 0, price: '100' },
        { fromMs: 86_400_000, price: '200' },
      ],
    });
    expect(v).toEqual([]);
    expect(() =>
      checkSetOracleUpdates({
        updates: [
          { timeMs: 5000, oraclePx: '1', markPxs: [] },
          { timeMs: 4000, oraclePx: '1', markPxs: [] },
        ],
        dayOpenPrices: day,
      }),
    ).toThrow(InvalidParameterError);
  });
});
