import { describe, expect, it } from 'vitest';
import { marketHours } from './marketHours.js';

describe('marketHours', () => {
  it('treats main-dex and crypto HIP-3 coins as 24/7', () => {
    expect(marketHours('BTC', Date.UTC(2026, 1, 7, 12))).toBeNull();
    expect(marketHours('hyna:ETH', Date.UTC(2026, 1, 7, 12))).toBeNull();
  });
  it('equities: open Tue 10:00 New York (15:00 UTC in February), closed on Saturday and at 08:00', () => {
    expect(marketHours('xyz:TSLA', Date.UTC(2026, 1, 10, 15))).toEqual({
      kind: 'equity',
      open: true,
    });
    expect(marketHours('xyz:TSLA', Date.UTC(2026, 1, 7, 15))).toEqual({
      kind: 'equity',
      open: false,
    });
    expect(marketHours('xyz:TSLA', Date.UTC(2026, 1, 10, 13))).toEqual({
      kind: 'equity',
      open: false,
    });
  });
  it('commodities follow Globex: closed Saturday, open Sunday after 18:00 ET, daily break 17–18', () => {
    expect(marketHours('xyz:GOLD', Date.UTC(2026, 1, 7, 20))?.open).toBe(false);
    expect(marketHours('xyz:GOLD', Date.UTC(2026, 1, 8, 23, 30))?.open).toBe(true);
    expect(marketHours('xyz:GOLD', Date.UTC(2026, 1, 10, 22, 30))?.open).toBe(false);
  });
});
