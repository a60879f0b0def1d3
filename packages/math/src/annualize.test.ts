import { describe, expect, it } from 'vitest';
import { annualizeRate } from './annualize.js';

describe('annualizeRate', () => {
  // Hyperliquid docs: the interest component 0.01% per 8 h is paid as 0.00125% per hour = 10.95% APR.
  it('annualizes Hyperliquid hourly interest to 10.95 %', () => {
    expect(annualizeRate({ rate: 0.0000125, intervalHours: 1 })).toBeCloseTo(0.1095, 12);
  });
  it('gives the same APR for the same rate expressed per 8 h', () => {
    expect(annualizeRate({ rate: 0.0001, intervalHours: 8 })).toBeCloseTo(0.1095, 12);
  });
  it('rejects a zero interval', () => {
    expect(() => annualizeRate({ rate: 0.0001, intervalHours: 0 })).toThrow(/intervalHours/);
  });
});
