import { describe, expect, it } from 'vitest';
import { RequestBudget } from './RequestBudget.js';

describe('RequestBudget', () => {
  it('allows weight up to the limit within the window and frees it as the window slides', () => {
    const b = new RequestBudget({ maxWeight: 10, windowMs: 60_000 });
    expect(b.tryTake(6, 0)).toBe(true);
    expect(b.tryTake(4, 1_000)).toBe(true);
    expect(b.tryTake(1, 2_000)).toBe(false);
    expect(b.remaining(59_999)).toBe(0);
    // The first 6 expire at t = 60 000.
    expect(b.remaining(60_000)).toBe(6);
    expect(b.tryTake(6, 60_000)).toBe(true);
    expect(b.tryTake(1, 60_500)).toBe(false);
  });

  it('rejects a nonsensical configuration', () => {
    expect(() => new RequestBudget({ maxWeight: 0, windowMs: 1 })).toThrow(/maxWeight > 0/);
  });
});
