import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWeightAccountant, infoRequestWeight } from './weightAccountant.js';

describe('infoRequestWeight (docs: rate-limits-and-user-limits)', () => {
  it('charges the documented weights', () => {
    expect(infoRequestWeight('l2Book')).toBe(2);
    expect(infoRequestWeight('allMids')).toBe(2);
    expect(infoRequestWeight('clearinghouseState')).toBe(2);
    expect(infoRequestWeight('userRole')).toBe(60);
    expect(infoRequestWeight('metaAndAssetCtxs')).toBe(20);
    expect(infoRequestWeight('perpDexs')).toBe(20);
  });
});

describe('createWeightAccountant', () => {
  it('refuses what would exceed the budget and frees it after the window', () => {
    let t = 0;
    const a = createWeightAccountant({ budget: 100, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 5; i++) expect(a.tryAcquire(20)).toBe(true);
    expect(a.tryAcquire(2)).toBe(false);
    expect(a.used()).toBe(100);
    expect(a.waitMs(20)).toBe(60_001);
    t = 59_999;
    expect(a.tryAcquire(20)).toBe(false);
    t = 60_000;
    expect(a.tryAcquire(20)).toBe(true);
    expect(a.refused).toBe(2);
    expect(a.waitMs(1000)).toBe(Number.POSITIVE_INFINITY);
  });

  it('never lets any 60 s window exceed the budget (fast-check over request sequences)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.constantFrom(2, 20, 60)), {
          maxLength: 400,
        }),
        (reqs) => {
          let t = 0;
          const a = createWeightAccountant({ budget: 1200, now: () => t });
          const granted: [number, number][] = [];
          for (const [dt, w] of reqs) {
            t += dt;
            if (a.tryAcquire(w)) granted.push([t, w]);
          }
          // Independent check: sum over every window ending at a grant.
          for (const [end] of granted) {
            const s = granted
              .filter(([x]) => x > end - 60_000 && x <= end)
              .reduce((n, [, w]) => n + w, 0);
            expect(s).toBeLessThanOrEqual(1200);
          }
          expect(a.peak).toBeLessThanOrEqual(1200);
        },
      ),
      { numRuns: 100 },
    );
  });
});
