import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concentratedImpermanentLoss } from './concentratedImpermanentLoss.js';
import { impermanentLoss } from './impermanentLoss.js';

// Decimal string for a positive float, plain notation (toFixed never uses exponents below 1e21).
const dec = (x: number) => x.toFixed(12);

describe('impermanentLoss (full range, x·y = k)', () => {
  it('matches the textbook table', () => {
    // 2√k/(1+k) − 1. Table from Pintail, "Uniswap: A Good Deal for Liquidity Providers?" (2019),
    // https://pintail.medium.com/uniswap-a-good-deal-for-liquidity-providers-104c0b6816f2 ,
    // reproduced at https://kryza.education/courses/impermanent-loss-explained/lesson/impermanent-loss-estimation/
    // 2× → 5.7 % (exactly 1 − 2√2/3 = 0.0571909584…), 1.25× 0.6 %, 1.5× 2.0 %, 1.75× 3.8 %,
    // 3× 13.4 %, 4× 20.0 %, 5× 25.5 %.
    expect(impermanentLoss({ entryPrice: '2000', exitPrice: '4000' })).toBeCloseTo(
      (2 * Math.SQRT2) / 3 - 1,
      15,
    );
    expect(impermanentLoss({ entryPrice: '1', exitPrice: '2' })).toBeCloseTo(-0.05719, 5);
    const table: [string, number][] = [
      ['1.25', -0.006],
      ['1.5', -0.02],
      ['1.75', -0.038],
      ['3', -0.134],
      ['4', -0.2],
      ['5', -0.255],
    ];
    for (const [k, il] of table) {
      expect(impermanentLoss({ entryPrice: '1', exitPrice: k })).toBeCloseTo(il, 3);
    }
    expect(Math.abs(impermanentLoss({ entryPrice: '7', exitPrice: '7' }))).toBe(0);
  });

  it('is ≤ 0 and symmetric in log-price (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -8, max: 8, noNaN: true }), (logK) => {
        const k = Math.exp(logK);
        const up = impermanentLoss({ entryPrice: '1', exitPrice: dec(k) });
        const down = impermanentLoss({ entryPrice: dec(k), exitPrice: '1' });
        return up <= 0 && Math.abs(up - down) <= 1e-9;
      }),
    );
  });

  it('rejects non-positive and malformed prices', () => {
    expect(() => impermanentLoss({ entryPrice: '0', exitPrice: '1' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'entryPrice' }),
    );
    expect(() => impermanentLoss({ entryPrice: '1', exitPrice: 'two' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'exitPrice' }),
    );
  });
});

describe('concentratedImpermanentLoss (Uniswap v3 range)', () => {
  it('matches hand-derived values from the v3 whitepaper reserves', () => {
    // Uniswap v3 whitepaper §6.2.1 (https://uniswap.org/whitepaper-v3.pdf): x = L(1/√P − 1/√p_b),
    // y = L(√P − √p_a). Range [0.25, 4], L = 1, entry 1: x₀ = 1 − 1/2 = 0.5, y₀ = 1 − 0.5 = 0.5.
    // Exit 4 (upper edge): x₁ = 0, y₁ = 2 − 0.5 = 1.5. HODL = 0.5·4 + 0.5 = 2.5 → 1.5/2.5 − 1 = −0.4.
    expect(
      concentratedImpermanentLoss({
        entryPrice: '1',
        exitPrice: '4',
        lowerPrice: '0.25',
        upperPrice: '4',
      }),
    ).toBeCloseTo(-0.4, 14);
    // Exit 16 (out of range): LP stays 1.5 (all y); HODL = 0.5·16 + 0.5 = 8.5 → 1.5/8.5 − 1.
    expect(
      concentratedImpermanentLoss({
        entryPrice: '1',
        exitPrice: '16',
        lowerPrice: '0.25',
        upperPrice: '4',
      }),
    ).toBeCloseTo(1.5 / 8.5 - 1, 14);
  });

  it('amplifies the full-range loss by √r/(√r − 1) inside a symmetric range', () => {
    // P. Erins, "Impermanent Loss in Uniswap V3" (2021),
    // https://medium.com/auditless/impermanent-loss-in-uniswap-v3-6c7161d3b445 — for the range
    // [P/r, P·r] and an exit inside it, IL_v3 = IL_v2 · √r / (√r − 1). r = 4, k = 2: factor 2.
    const v3 = concentratedImpermanentLoss({
      entryPrice: '100',
      exitPrice: '200',
      lowerPrice: '25',
      upperPrice: '400',
    });
    const v2 = impermanentLoss({ entryPrice: '100', exitPrice: '200' });
    expect(v3).toBeCloseTo(v2 * 2, 14);
  });

  it('tends to the full-range loss for a very wide range', () => {
    const v3 = concentratedImpermanentLoss({
      entryPrice: '1',
      exitPrice: '2',
      lowerPrice: '0.000000000001',
      upperPrice: '1000000000000',
    });
    expect(v3).toBeCloseTo(impermanentLoss({ entryPrice: '1', exitPrice: '2' }), 5);
  });

  it('is ≤ 0 for any range and prices (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 1.001, max: 100, noNaN: true }),
        (p0, p1, lower, width) =>
          concentratedImpermanentLoss({
            entryPrice: dec(p0),
            exitPrice: dec(p1),
            lowerPrice: dec(lower),
            upperPrice: dec(lower * width),
          }) <= 0,
      ),
    );
  });

  it('rejects an empty range', () => {
    expect(() =>
      concentratedImpermanentLoss({
        entryPrice: '1',
        exitPrice: '2',
        lowerPrice: '3',
        upperPrice: '3',
      }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'upperPrice' }),
    );
  });
});
