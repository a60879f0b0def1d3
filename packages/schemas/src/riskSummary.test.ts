import { describe, expect, it } from 'vitest';
import { RiskSummary, RiskSummaryQuery } from './riskSummary.js';

describe('RiskSummaryQuery', () => {
  it('splits, trims and de-duplicates the comma lists', () => {
    expect(RiskSummaryQuery.parse({ coins: 'BTC, xyz:TSLA,,BTC', chains: 'base' })).toEqual({
      coins: ['BTC', 'xyz:TSLA'],
      chains: ['base'],
    });
  });
  it('treats absent lists as empty', () => {
    expect(RiskSummaryQuery.parse({})).toEqual({ coins: [], chains: [] });
  });
  it('rejects more than 200 coins and names the field', () => {
    const coins = Array.from({ length: 201 }, (_, i) => `C${i}`).join(',');
    const r = RiskSummaryQuery.safeParse({ coins });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path[0]).toBe('coins');
  });
});

describe('RiskSummary', () => {
  it('accepts a full body and rejects an unknown market status', () => {
    const body = {
      generatedAtMs: 1,
      chains: [
        {
          chain: 'base',
          chainId: 8453,
          name: 'Base',
          status: 'halted',
          phase: 'halted',
          guidance: ['Move execution to a CEX.'],
          flags: { reorg: false, safeLagWarn: false, safeLagCrit: false, feedDown: true },
          headAgeSeconds: 75,
          statusSinceMs: 0,
        },
      ],
      markets: [
        {
          coin: 'xyz:TSLA',
          dex: 'xyz',
          status: 'warn',
          reasons: [
            { code: 'oracle_fallback', severity: 'warn', message: 'stale 12 s', sinceMs: 0 },
          ],
          statusSinceMs: 0,
          oracle: {
            freshness: 'fallback',
            lastChangeAgeSeconds: 12,
            oraclePx: '399.6',
            markPx: '399.52',
            markDeviation: -0.0002,
            deviationTier: 'none',
          },
          funding: { rate1h: '0.00000625', apr: '0.05475', multiplier: '0.5' },
          atOpenInterestCap: false,
          lastSampleMs: 0,
        },
      ],
      unknownCoins: [],
      unknownChains: [],
    };
    expect(RiskSummary.parse(body)).toEqual(body);
    const bad = structuredClone(body);
    (bad.markets[0] as { status: string }).status = 'fine';
    const r = RiskSummary.safeParse(bad);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['markets', 0, 'status']);
  });
});
