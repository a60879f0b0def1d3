import { describe, expect, it } from 'vitest';
import { WatcherConfig } from './configSchema.js';

describe('hip3 config section', () => {
  it('is off by default with the protocol thresholds and a 1000/min weight budget', () => {
    const c = WatcherConfig.parse({ chains: [] }).hip3;
    expect(c.enabled).toBe(false);
    expect(c.weightBudgetPerMinute).toBe(1000);
    expect(c.thresholds).toMatchObject({
      fallbackAfterSeconds: 10,
      deadAfterSeconds: 60,
      jumpFraction: 0.01,
      l1Fraction: 0.03,
      l2Fraction: 0.05,
      l2HoldSeconds: 30,
      l3HoldSeconds: 300,
    });
  });

  it('names the offending field: a bad dex name, a budget above HL limit, an unknown key', () => {
    const paths = (hip3: unknown) =>
      WatcherConfig.safeParse({ chains: [], hip3 }).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ dexes: ['XYZ!'] })).toEqual(['hip3.dexes.0']);
    expect(paths({ weightBudgetPerMinute: 5000 })).toEqual(['hip3.weightBudgetPerMinute']);
    expect(paths({ wsUrl: 'http://x' })).toEqual(['hip3.wsUrl']);
    expect(paths({ thresholds: { l2HoldSecs: 3 } })).toEqual(['hip3.thresholds']);
  });
});
