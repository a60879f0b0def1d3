import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aevoIndexPrice } from './aevoIndexPrice.js';

describe('index properties (fast-check)', () => {
  it('ignores a single outlier among ≥ 3 clustered sources', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 10_000_000 }), // base price in 1/100
        fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 3, maxLength: 8 }), // ±0.1 % in bp
        fc.integer({ min: 60, max: 5_000 }), // outlier 0.6 %–50 % away, in bp
        fc.boolean(),
        fc.nat(),
        (base100, offsetsBp, outlierBp, above, position) => {
          const base = base100 / 100;
          const cluster = offsetsBp.map((bp) => ({ price: (base * (1 + bp / 10_000)).toFixed(6) }));
          const outlier = {
            price: (base * (1 + ((above ? 1 : -1) * outlierBp) / 10_000)).toFixed(6),
          };
          const withOutlier = [...cluster];
          withOutlier.splice(position % (cluster.length + 1), 0, outlier);
          const clean = aevoIndexPrice({ sources: cluster });
          const dirty = aevoIndexPrice({ sources: withOutlier });
          expect(dirty).toEqual(clean);
        },
      ),
      { numRuns: 300 },
    );
  });
});
