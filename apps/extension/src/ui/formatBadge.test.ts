import { describe, expect, it } from 'vitest';
import type { PositionView } from '../model.js';
import { formatBadge, formatMarket, formatPct } from './formatBadge.js';

const base: PositionView = {
  key: 'hyperliquid|0xa|ETH',
  venue: 'hyperliquid',
  account: '0xa',
  dex: '',
  coin: 'ETH',
  side: 'short',
  size: '4',
  markPx: '1919.1',
  liqPx: '3126.8',
  venueLiqPx: '3158.1',
  liqCheck: 'agree',
  marginMode: 'cross',
  distancePct: 62.93,
  distanceSigma: 2.04,
  level: 'ok',
  healthBufferUsd: null,
};

describe('formatBadge', () => {
  it('writes distance in % and σ, and flags disagreement and unified accounts', () => {
    expect(formatBadge(base).text).toBe('Liq 62.9% · 2.0σ');
    expect(formatBadge({ ...base, distanceSigma: null, distancePct: 4.016 }).text).toBe(
      'Liq 4.02% · σ n/a',
    );
    expect(formatBadge({ ...base, liqCheck: 'disagree' }).text).toBe(
      'Liq 62.9% · 2.0σ · ≠HL 3158.1',
    );
    expect(formatBadge({ ...base, liqCheck: 'disagree' }).label).toContain(
      'our liquidation price 3126.8 differs',
    );
    expect(formatBadge({ ...base, liqCheck: 'not-computable' }).text).toBe(
      'Liq 62.9% · 2.0σ · unified acct: HL liq only',
    );
    expect(formatBadge({ ...base, distancePct: null, liqCheck: 'none' }).text).toBe('No liq');
    expect(formatBadge({ ...base, venue: 'aevo', healthBufferUsd: 8909.25 }).text).toBe(
      'Liq 62.9% · 2.0σ · health 8909.25',
    );
  });

  it('formats market lines and percentages', () => {
    expect(formatPct(9.999)).toBe('10.00%');
    expect(formatPct(-3.2345)).toBe('-3.23%');
    expect(
      formatMarket({
        coin: 'BTC',
        dex: '',
        markPx: '1',
        oraclePx: '1',
        fundingApr: 0.1095,
        markOracleDevPct: -0.06,
        oracleStatus: 'ok',
        oracleReason: null,
      }),
    ).toBe('BTC funding 10.9% APR · mark−oracle -0.06% · oracle ok');
  });
});
