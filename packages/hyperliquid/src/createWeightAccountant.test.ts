import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWeightAccountant } from './createWeightAccountant.js';
import { infoRequestWeight, responseItemsWeight } from './infoRequestWeight.js';

describe('infoRequestWeight (docs: rate-limits-and-user-limits)', () => {
  it('charges the documented weights', () => {
    expect(infoRequestWeight('l2Book')).toBe(2);
    expect(infoRequestWeight('allMids')).toBe(2);
    expect(infoRequestWeight('clearinghouseState')).toBe(2);
    expect(infoRequestWeight('spotClearinghouseState')).toBe(2);
    expect(infoRequestWeight('userRole')).toBe(60);
    expect(infoRequestWeight('metaAndAssetCtxs')).toBe(20);
    expect(infoRequestWeight('perpDexs')).toBe(20);
    expect(infoRequestWeight('userAbstraction')).toBe(20);
    expect(infoRequestWeight('candleSnapshot')).toBe(20);
  });

  it('adds 1 per 20 fills and 1 per 60 candles returned', () => {
    expect(responseItemsWeight('userFillsByTime', 19)).toBe(0);
    expect(responseItemsWeight('userFillsByTime', 2000)).toBe(100);
    expect(responseItemsWeight('candleSnapshot', 24)).toBe(0);
    expect(responseItemsWeight('candleSnapshot', 120)).toBe(2);
    expect(responseItemsWeight('clearinghouseState', 500)).toBe(0);
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

  it('frees each spend exactly one window after it (the extension share: 10 per minute)', () => {
    let t = 0;
    const b = createWeightAccountant({ budget: 10, windowMs: 60_000, now: () => t });
    expect(b.tryAcquire(6)).toBe(true);
    t = 1_000;
    expect(b.tryAcquire(4)).toBe(true);
    t = 2_000;
    expect(b.tryAcquire(1)).toBe(false);
    t = 59_999;
    expect(b.used()).toBe(10);
    // The first 6 expire at t = 60 000, the 4 at 61 000.
    t = 60_000;
    expect(b.used()).toBe(4);
    expect(b.tryAcquire(6)).toBe(true);
    t = 60_500;
    expect(b.tryAcquire(1)).toBe(false);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => createWeightAccountant({ budget: 0, now: () => 0 })).toThrow(/budget > 0/);
    expect(() => createWeightAccountant({ windowMs: 0, now: () => 0 })).toThrow(/windowMs > 0/);
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
