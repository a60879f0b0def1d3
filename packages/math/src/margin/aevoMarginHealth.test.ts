import { describe, expect, it } from 'vitest';
import { aevoMarginHealth } from './aevoMarginHealth.js';

describe('Aevo cross-margin health (perp-math.md §4 A12)', () => {
  it('A12: AB 1000, UP −50, OO 100, IM 250, MM 300 → open buffer 300, allowed', () => {
    expect(
      aevoMarginHealth({
        accountBalance: '1000',
        unrealizedPnl: '-50',
        openOrders: '100',
        initialMargin: '250',
        maintenanceMargin: '300',
      }),
    ).toEqual({
      openBuffer: '300',
      maintenanceBuffer: '550',
      canOpen: true,
      isHealthy: true,
      binding: 'none',
    });
  });
  it('reports which requirement binds', () => {
    const base = {
      accountBalance: '1000',
      unrealizedPnl: '0',
      openOrders: '0',
      maintenanceMargin: '600',
    };
    expect(aevoMarginHealth({ ...base, initialMargin: '500' }).binding).toBe('initialMargin');
    expect(
      aevoMarginHealth({ ...base, maintenanceMargin: '1000', initialMargin: '0' }).binding,
    ).toBe('maintenanceMargin');
  });
});
