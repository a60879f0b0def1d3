import { describe, expect, it } from 'vitest';
import { Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { thresholdsFromConfig } from '../subjects/hip3/hip3Subject.js';
import { defaultHip3Thresholds } from '../subjects/hip3/marketState.js';
import { WatcherConfig } from './configSchema.js';
import { parseConfig } from './loadConfig.js';

describe('hip3 config section', () => {
  it('is off by default with the protocol thresholds and a 1000/min weight budget', () => {
    const c = WatcherConfig.parse({ chains: [] }).hip3;
    expect(c.enabled).toBe(false);
    expect(c.weightBudgetPerMinute).toBe(1000);
    expect(c.explorer).toEqual({ enabled: true, intervalSeconds: 60, backfillSeconds: 120 });
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
    // The explorer keeps ~15 minutes of a writer's txs: a longer backfill could never be met.
    expect(paths({ explorer: { backfillSeconds: 901 } })).toEqual([
      'hip3.explorer.backfillSeconds',
    ]);
    expect(paths({ explorer: { backfillSeconds: -1 } })).toEqual(['hip3.explorer.backfillSeconds']);
    expect(paths({ explorer: { backfillSeconds: 0 } })).toBeUndefined();
  });

  it('rejects thresholds out of order, naming the higher field of each pair', () => {
    const issues = (thresholds: unknown) =>
      WatcherConfig.safeParse({ chains: [], hip3: { thresholds } }).error?.issues.map(
        (i) => `${i.path.join('.')}: ${i.message}`,
      );
    expect(issues({ l1Fraction: 0.05, l2Fraction: 0.03 })).toEqual([
      'hip3.thresholds.l2Fraction: must be greater than l1Fraction (0.05): L2 is the higher deviation tier',
    ]);
    expect(issues({ fallbackAfterSeconds: 60 })?.[0]).toMatch(
      /^hip3\.thresholds\.deadAfterSeconds: must be greater than fallbackAfterSeconds \(60\)/,
    );
    expect(issues({ sampleStaleSeconds: 61 })?.[0]).toMatch(
      /^hip3\.thresholds\.deadAfterSeconds: must be at least sampleStaleSeconds \(61\)/,
    );
    expect(issues({ l2HoldSeconds: 300 })?.[0]).toMatch(
      /^hip3\.thresholds\.l3HoldSeconds: must be greater than l2HoldSeconds \(300\)/,
    );
    // Several at once: every one is reported.
    expect(issues({ deadAfterSeconds: 5, l3HoldSeconds: 10 })?.map((i) => i.split(':')[0])).toEqual(
      [
        'hip3.thresholds.deadAfterSeconds',
        'hip3.thresholds.deadAfterSeconds',
        'hip3.thresholds.l3HoldSeconds',
      ],
    );
    // Equal stale and dead is allowed: staleness is judged first.
    expect(issues({ sampleStaleSeconds: 60 })).toBeUndefined();
    // Through the loader: a ConfigError (exit 2) naming the dotted field.
    expect(() =>
      parseConfig({
        raw: { hip3: { thresholds: { l1Fraction: 0.06 } } },
        source: 'test.yaml',
        env: Env.parse({}),
      }),
    ).toThrow(ConfigError);
    expect(() =>
      parseConfig({
        raw: { hip3: { thresholds: { l1Fraction: 0.06 } } },
        source: 'test.yaml',
        env: Env.parse({}),
      }),
    ).toThrow(/hip3\.thresholds\.l2Fraction/);
  });

  it('makes the spoofing heuristic configurable with the protocol defaults', () => {
    const defaults = WatcherConfig.parse({ chains: [] }).hip3.thresholds;
    expect(defaults).toMatchObject({
      spoofWindowSeconds: 60,
      spoofSwingFraction: 0.3,
      spoofMinSwings: 4,
    });
    // The config defaults give exactly the engine's own defaults (marketState.ts).
    expect(thresholdsFromConfig(defaults)).toEqual(defaultHip3Thresholds);
    const custom = WatcherConfig.parse({
      chains: [],
      hip3: { thresholds: { spoofWindowSeconds: 30, spoofSwingFraction: 0.5, spoofMinSwings: 6 } },
    }).hip3.thresholds;
    expect(thresholdsFromConfig(custom)).toMatchObject({
      spoofWindowMs: 30_000,
      spoofSwingFraction: 0.5,
      spoofMinSwings: 6,
    });
    const paths = (thresholds: unknown) =>
      WatcherConfig.safeParse({ chains: [], hip3: { thresholds } }).error?.issues.map((i) =>
        i.path.join('.'),
      );
    expect(paths({ spoofMinSwings: 1.5 })).toEqual(['hip3.thresholds.spoofMinSwings']);
    expect(paths({ spoofSwingFraction: 2 })).toEqual(['hip3.thresholds.spoofSwingFraction']);
  });
});
