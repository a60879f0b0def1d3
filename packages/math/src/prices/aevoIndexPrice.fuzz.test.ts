import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aevoIndexPrice } from './aevoIndexPrice.js';

describe('index properties (fast-check)', () => {
  it('ignores a single outlier among ≥ 3 clustered sources', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_000, max: 10_000_000 }), // base price in 1/100
        fc.array(fc.integer({ min: -10, max: 10 }), { minLength: 3, maxLength: 8 }), // ±0.1 % in bp
        // Outlier 0.7 %–50 % from the base, in bp. The cluster spans ±0.1 %, so the median can sit
        // 0.1 % towards the outlier: at 0.6 % from the base an outlier could be 0.4995 % from the
        // median — inside the ±0.5 % band, rightly kept (see the boundary test below).
        fc.integer({ min: 70, max: 5_000 }),
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

  it('keeps a source just inside the ±0.5 % band around the median and drops one just outside', () => {
    const cluster = [{ price: '10.01' }, { price: '10.01' }, { price: '10.01' }];
    // 10.06 is 0.4995 % above the median 10.01; 10.07 is 0.5994 % above it.
    expect(aevoIndexPrice({ sources: [...cluster, { price: '10.06' }] }).sourcesUsed).toBe(4);
    expect(aevoIndexPrice({ sources: [...cluster, { price: '10.07' }] })).toEqual({
      price: '10.01',
      sourcesUsed: 3,
    });
  });
});
