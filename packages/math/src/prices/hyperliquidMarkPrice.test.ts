import { describe, expect, it } from 'vitest';
import { InvalidParameterError, UnsortedSeriesError } from '../errors.js';
import { ema150s, hip3MarkPrice, hyperliquidMarkPrice } from './hyperliquidMarkPrice.js';

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
    // Weights split exactly in half: the weighted median is the mean of 100 and 102; median(100, 103, 101).
    expect(
      hyperliquidMarkPrice({
        oraclePrice: '100',
        emaMidMinusOracle: '0',
        bestBid: '103',
        bestAsk: '104',
        lastTrade: '103',
        cexPerpMids: [
          { price: '102', weight: 1 },
          { price: '100', weight: 1 },
        ],
      }),
    ).toBe('101');
    // Without CEX mids: the mean of the other two components.
    expect(
      hyperliquidMarkPrice({
        oraclePrice: '100',
        emaMidMinusOracle: '0',
        bestBid: '103',
        bestAsk: '104',
        lastTrade: '103',
        cexPerpMids: [],
      }),
    ).toBe('101.5');
  });
  it('exactly two inputs: the 30 s EMA of the local median is the third (docs "Robust price indices")', () => {
    // Oracle-based 100, local median 103; the EMA of the local median 102.2 is the median of the three.
    const base = {
      oraclePrice: '100',
      emaMidMinusOracle: '0',
      bestBid: '103',
      bestAsk: '104',
      lastTrade: '103',
    };
    expect(hyperliquidMarkPrice({ ...base, cexPerpMids: [], localMedianEma30s: '102.2' })).toBe(
      '102.2',
    );
    // Outside the two: the median is the nearer one (103), not their mean 101.5.
    expect(hyperliquidMarkPrice({ ...base, cexPerpMids: [], localMedianEma30s: '110' })).toBe(
      '103',
    );
    // With CEX mids all three inputs exist: the EMA is not used.
    expect(
      hyperliquidMarkPrice({
        ...base,
        cexPerpMids: [{ price: '101', weight: 1 }],
        localMedianEma30s: '110',
      }),
    ).toBe('101');
    expect(() =>
      hyperliquidMarkPrice({ ...base, cexPerpMids: [], localMedianEma30s: '0' }),
    ).toThrow(/localMedianEma30s/);
  });
  it('rejects CEX weights that are not integers in [1, 1000]', () => {
    const base = {
      oraclePrice: '100',
      emaMidMinusOracle: '0',
      bestBid: '100',
      bestAsk: '100',
      lastTrade: '100',
    };
    for (const weight of [0, 1.5, -1, 1001, Number.NaN])
      expect(() =>
        hyperliquidMarkPrice({ ...base, cexPerpMids: [{ price: '100', weight }] }),
      ).toThrow(/cexPerpMids\[0\]\.weight/);
    expect(() =>
      hyperliquidMarkPrice({ ...base, cexPerpMids: [{ price: '0', weight: 1 }] }),
    ).toThrow(InvalidParameterError);
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
    expect(() =>
      ema150s([
        { timeMs: 5, value: '1' },
        { timeMs: 4, value: '1' },
      ]),
    ).toThrow(UnsortedSeriesError);
    expect(() => ema150s([{ timeMs: Number.NaN, value: '1' }])).toThrow(/samples\[0\]\.timeMs/);
    expect(() => ema150s([])).toThrow(InvalidParameterError);
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
    expect(() =>
      hip3MarkPrice({ deployerMarkPrices: ['0'], bestBid: '1', bestAsk: '1', lastTrade: '1' }),
    ).toThrow(/deployerMarkPrices\[0\]/);
  });
});
