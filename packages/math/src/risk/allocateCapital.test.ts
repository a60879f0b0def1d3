import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCapital } from './allocateCapital.js';
import { fundingCellScore } from './fundingCellScore.js';

describe('fundingCellScore', () => {
  it("reproduces note 3's worked example in fractions of notional", () => {
    // Founding note 3 (SPEC §0): 2,000,000 notional, 600/h gross, 200 fees, 100 hedge error → 300/h net.
    // (The note writes the rate as 0.003 %/h; 600/h on 2,000,000 is 0.03 %/h = 0.0003, as in SPEC §2.1.)
    const r = fundingCellScore({
      expectedRatePerHour: 0.0003,
      holdingHours: 1,
      spreadCost: 200 / 2_000_000,
      hedgeError: 100 / 2_000_000,
      adlRisk: 0,
    });
    expect(r.score * 2_000_000).toBeCloseTo(300, 9);
    expect(r.expectedFunding * 2_000_000).toBeCloseTo(600, 9);
    expect(r.perpSide).toBe('short');
  });

  it('applies the weights and takes the receiving side for negative funding', () => {
    // 2·(0.0001·8) − 3·0.0002 − 0.5·0.0001 − 4·0.00005 = 0.0016 − 0.0006 − 0.00005 − 0.0002 = 0.00075
    const r = fundingCellScore({
      expectedRatePerHour: -0.0001,
      holdingHours: 8,
      spreadCost: 0.0002,
      hedgeError: 0.0001,
      adlRisk: 0.00005,
      weights: { funding: 2, spreadCost: 3, hedgeError: 0.5, adlRisk: 4 },
    });
    expect(r.score).toBeCloseTo(0.00075, 15);
    expect(r.perpSide).toBe('long');
    expect(() =>
      fundingCellScore({
        expectedRatePerHour: 0,
        holdingHours: 0,
        spreadCost: 0,
        hedgeError: 0,
        adlRisk: 0,
      }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'holdingHours' }),
    );
    expect(() =>
      fundingCellScore({
        expectedRatePerHour: 0,
        holdingHours: 1,
        spreadCost: -1,
        hedgeError: 0,
        adlRisk: 0,
      }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'spreadCost' }),
    );
  });
});

describe('allocateCapital', () => {
  it('fills the best cells at the 5 % default cap and skips non-positive scores', () => {
    const r = allocateCapital({
      capital: '1000000',
      candidates: [
        { id: 'BTC', score: 0.0001 },
        { id: 'DOGE', score: -0.0001 },
        { id: 'ETH', score: 0.0002 },
        { id: 'SOL', score: 0 },
      ],
    });
    expect(r).toEqual({
      allocations: [
        { id: 'ETH', score: 0.0002, amount: '50000' },
        { id: 'BTC', score: 0.0001, amount: '50000' },
      ],
      allocated: '100000',
      unallocated: '900000',
    });
  });

  it('gives the last greedy cell the remainder', () => {
    const candidates = [1, 2, 3, 4, 5].map((i) => ({ id: `c${i}`, score: 10 - i }));
    const greedy = allocateCapital({ capital: '1000', candidates, maxCellFraction: '0.3' });
    expect(greedy.allocations.map((a) => a.amount)).toEqual(['300', '300', '300', '100']);
    expect(greedy.unallocated).toBe('0');
  });

  it('never exceeds the per-cell cap or the capital (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 60 }),
        (capitalCents, capPermille, scores) => {
          const capital = (capitalCents / 100).toFixed(2);
          const fraction = (capPermille / 1000).toFixed(3);
          const r = allocateCapital({
            capital,
            candidates: scores.map((score, i) => ({ id: String(i), score })),
            maxCellFraction: fraction,
          });
          // Compare in integer micro-units to stay exact.
          const micro = (s: string) => BigInt(Math.round(Number(s) * 1e6));
          const cap = (micro(capital) * BigInt(capPermille)) / 1000n;
          let sum = 0n;
          for (const a of r.allocations) {
            if (micro(a.amount) > cap + 1n) return false;
            if (a.score <= 0) return false;
            sum += micro(a.amount);
          }
          return sum <= micro(capital) + 1n && micro(r.allocated) === sum;
        },
      ),
    );
  });

  it('rejects bad parameters', () => {
    expect(() => allocateCapital({ capital: '-1', candidates: [] })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'capital' }),
    );
    expect(() => allocateCapital({ capital: '1', candidates: [], maxCellFraction: '0' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'maxCellFraction' }),
    );
    expect(() => allocateCapital({ capital: '1', candidates: [], maxCellFraction: '1.5' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'maxCellFraction' }),
    );
    expect(() =>
      allocateCapital({
        capital: '1',
        candidates: [
          { id: 'x', score: 1 },
          { id: 'x', score: 2 },
        ],
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'candidates[1].id',
      }),
    );
    expect(() => allocateCapital({ capital: '1e6', candidates: [] })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError' }),
    );
  });
});
