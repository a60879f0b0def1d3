import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './createCtxStream.js';

describe('backoffDelayMs (equal jitter)', () => {
  const b = { baseMs: 250, maxMs: 30_000 };
  it('doubles per attempt up to the cap, half fixed and half random', () => {
    expect(backoffDelayMs(0, b, () => 0)).toBe(125);
    expect(backoffDelayMs(0, b, () => 1)).toBe(250);
    expect(backoffDelayMs(3, b, () => 0)).toBe(1000);
    expect(backoffDelayMs(3, b, () => 0.5)).toBe(1500);
    expect(backoffDelayMs(20, b, () => 0)).toBe(15_000);
    expect(backoffDelayMs(1000, b, () => 1)).toBe(30_000);
  });
  it('spreads clients: two random draws give different delays within [cap/2, cap]', () => {
    const ds = [0.1, 0.9].map((r) => backoffDelayMs(4, b, () => r));
    expect(ds[0]).not.toBe(ds[1]);
    for (const d of ds) {
      expect(d).toBeGreaterThanOrEqual(2000);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});
