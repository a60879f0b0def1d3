import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Hip3MarketInput, hip3StakeAssessment } from './hip3StakeAssessment.js';

const healthy = (over: Partial<Hip3MarketInput> = {}): Hip3MarketInput => ({
  coin: 'xyz:BTC',
  openInterestUsd: '4000000',
  volume24hUsd: '10000000',
  maxLeverage: 20,
  depthUsd: '5000000',
  session: '24/7',
  oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.001 },
  ...over,
});

describe('hip3StakeAssessment', () => {
  it('rates a healthy 24/7 market low and recommends leverage and OI cap (hand-derived)', () => {
    const a = hip3StakeAssessment({
      stakeHype: '500000',
      hypePriceUsd: '40',
      markets: [healthy()],
    });
    const m = a.markets[0];
    // Gap 5 % (default for 24/7 without σ) → floor(1/0.05) = 20×; cap = 1 × 10M volume (≥ 4M/2).
    expect(m).toMatchObject({
      coin: 'xyz:BTC',
      level: 'low',
      slashingTier: null,
      oiToVolume: 0.4,
      recommendedMaxLeverage: 20,
      gapMoveFraction: 0.05,
      recommendedOpenInterestCapUsd: '10000000',
      actions: [],
    });
    expect(m?.stress.map((s) => s.scenario)).toEqual(['oracleDepeg', 'liquidityGap', 'adl']);
    // Stake value 500k × 40 USD = 20M over 4M OI → 5.
    expect(a).toMatchObject({
      stakeCoverage: 1,
      belowRequirement: false,
      stakeShortfallHype: '0',
      totalOpenInterestUsd: '4000000',
      stakeToOpenInterest: 5,
      worstCase: null,
      overallLevel: 'low',
      mostDangerous: 'xyz:BTC',
    });
    expect(a.slashingTiers.map((t) => [t.tier, t.hypeAtRisk, t.usdAtRisk])).toEqual([
      ['degradation', '100000', '4000000'],
      ['briefDowntime', '250000', '10000000'],
      ['invalidOrProlonged', '500000', '20000000'],
    ]);
  });

  it('sizes leverage for the ±10 % pin band of a market-hours asset and for 3σ daily', () => {
    const a = hip3StakeAssessment({
      stakeHype: '500000',
      markets: [
        healthy({
          coin: 'xyz:TSLA',
          session: 'marketHours',
          openInterestUsd: '30000000',
          volume24hUsd: '20000000',
          depthUsd: '3000000',
        }),
        healthy({ coin: 'xyz:SOL', dailyVolatility: 0.04 }),
      ],
    });
    const [tsla, sol] = a.markets;
    // TSLA: gap 10 % → 10×; 20× exceeds it; OI/vol 1.5 ≥ 1 → medium. Weekend gap scenario runs.
    expect(tsla).toMatchObject({
      level: 'medium',
      recommendedMaxLeverage: 10,
      actions: ['lowerLeverage'],
    });
    expect(tsla?.oiToVolume).toBe(1.5);
    expect(tsla?.stress.map((s) => s.scenario)).toContain('weekendGap');
    // SOL: 3 × 4 % = 12 % → floor(8.33) = 8×.
    expect(sol?.recommendedMaxLeverage).toBe(8);
    expect(a.mostDangerous).toBe('xyz:TSLA');
  });

  it('maps oracle staleness and deviation tiers to levels, actions and slashing tiers', () => {
    const a = hip3StakeAssessment({
      stakeHype: '500000',
      markets: [
        healthy({ coin: 'ok' }),
        healthy({ coin: 'stale', oracle: { lastUpdateAgeMs: 15_000, markDeviation: 0 } }),
        healthy({ coin: 'l1', oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.035 } }),
        healthy({
          coin: 'l2',
          oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.06, deviationPersistedMs: 45_000 },
        }),
        healthy({
          coin: 'l3',
          oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.06, deviationPersistedMs: 600_000 },
        }),
        healthy({
          coin: 'dead',
          openInterestUsd: '1000',
          oracle: { lastUpdateAgeMs: 120_000, markDeviation: 0 },
        }),
      ],
    });
    const by = Object.fromEntries(a.markets.map((m) => [m.coin, m]));
    expect(by.ok).toMatchObject({ level: 'low', slashingTier: null });
    expect(by.stale).toMatchObject({ level: 'high', slashingTier: 'briefDowntime', actions: [] });
    // L1 halves the cap: 10M × 1 / 2 = 5M (≥ 2M floor).
    expect(by.l1).toMatchObject({
      level: 'medium',
      slashingTier: null,
      actions: ['lowerOiCap'],
      recommendedOpenInterestCapUsd: '5000000',
    });
    expect(by.l2).toMatchObject({ level: 'high', slashingTier: 'degradation' });
    expect(by.l2?.actions).toEqual(expect.arrayContaining(['lowerLeverage', 'lowerOiCap']));
    expect(by.l3).toMatchObject({ level: 'critical', slashingTier: 'invalidOrProlonged' });
    expect(by.l3?.actions).toContain('considerHalt');
    expect(by.dead).toMatchObject({ level: 'critical', slashingTier: 'invalidOrProlonged' });
    // Both critical: the larger OI (l3, 4M) is the most dangerous; worst case = whole stake.
    expect(a.overallLevel).toBe('critical');
    expect(a.mostDangerous).toBe('l3');
    expect(a.worstCase).toMatchObject({
      coin: 'l3',
      tier: 'invalidOrProlonged',
      hypeAtRisk: '500000',
    });
  });

  it('caps the margin table at the recommended leverage and merges equal tiers', () => {
    // Market-hours asset → 10×. Tiers 20×/15×/5× become 10×/10×/5× → 10× from 0, 5× from 20M.
    const a = hip3StakeAssessment({
      stakeHype: '500000',
      markets: [
        healthy({
          session: 'marketHours',
          maxLeverage: 20,
          marginTiers: [
            { lowerBound: '0', maxLeverage: 20 },
            { lowerBound: '5000000', maxLeverage: 15 },
            { lowerBound: '20000000', maxLeverage: 5 },
          ],
        }),
      ],
    });
    expect(a.markets[0]?.recommendedMarginTiers).toEqual([
      { lowerBound: '0', maxLeverage: 10 },
      { lowerBound: '20000000', maxLeverage: 5 },
    ]);
    expect(
      hip3StakeAssessment({ stakeHype: '1', markets: [healthy()] }).markets[0]
        ?.recommendedMarginTiers,
    ).toBeNull();
  });

  it('rejects margin tables that break the HIP-3 rules', () => {
    const run = (marginTiers: NonNullable<Hip3MarketInput['marginTiers']>) =>
      hip3StakeAssessment({
        stakeHype: '500000',
        markets: [healthy({ maxLeverage: 20, marginTiers })],
      });
    expect(() => run([])).toThrow(expect.objectContaining({ name: 'Math.EmptyTierTableError' }));
    expect(() => run([{ lowerBound: '1', maxLeverage: 20 }])).toThrow(
      expect.objectContaining({ name: 'Math.UnsortedTiersError', index: 0 }),
    );
    expect(() => run([{ lowerBound: '0', maxLeverage: 10 }])).toThrow(
      expect.objectContaining({ name: 'Math.UnsortedTiersError', index: 0 }),
    );
    expect(() =>
      run([
        { lowerBound: '0', maxLeverage: 20 },
        { lowerBound: '100', maxLeverage: 25 },
      ]),
    ).toThrow(expect.objectContaining({ name: 'Math.UnsortedTiersError', index: 1 }));
    expect(() =>
      run([
        { lowerBound: '0', maxLeverage: 20 },
        { lowerBound: '1', maxLeverage: 10 },
        { lowerBound: '2', maxLeverage: 5 },
        { lowerBound: '3', maxLeverage: 3 },
      ]),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'markets[0].marginTiers',
      }),
    );
  });

  it('keeps the OI-cap advice at or above half the current OI and flags a cap near full', () => {
    // OI 30M, volume 10M: 10M advice < 15M floor (HL: cap ≥ OI/2) → 15M; OI/vol 3 → high.
    const a = hip3StakeAssessment({
      stakeHype: '500000',
      markets: [healthy({ openInterestUsd: '30000000', openInterestCapUsd: '32000000' })],
    });
    expect(a.markets[0]).toMatchObject({
      level: 'high',
      recommendedOpenInterestCapUsd: '15000000',
      actions: ['lowerOiCap'],
    });
    expect(a.markets[0]?.reasons).toEqual(['OI is 3.00× 24 h volume', 'OI at 93.75 % of its cap']);
  });

  it('treats the staking requirement as a parameter (500k now, 5M in note 4)', () => {
    const short = hip3StakeAssessment({ stakeHype: '400000', markets: [healthy()] });
    expect(short).toMatchObject({
      stakeCoverage: 0.8,
      belowRequirement: true,
      stakeShortfallHype: '100000',
      stakeToOpenInterest: null,
      overallLevel: 'critical',
    });
    const note4 = hip3StakeAssessment({
      stakeHype: '500000',
      requiredStakeHype: '5000000',
      markets: [healthy()],
    });
    expect(note4).toMatchObject({ stakeCoverage: 0.1, belowRequirement: true });
  });

  it('never lowers the worst-case exposure when an oracle gets staler (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600_000 }),
        fc.integer({ min: 0, max: 600_000 }),
        (a, b) => {
          const run = (age: number) =>
            Number(
              hip3StakeAssessment({
                stakeHype: '500000',
                markets: [healthy({ oracle: { lastUpdateAgeMs: age, markDeviation: 0 } })],
              }).worstCase?.hypeAtRisk ?? '0',
            );
          return run(Math.min(a, b)) <= run(Math.max(a, b));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('throws typed errors on bad input', () => {
    expect(() => hip3StakeAssessment({ stakeHype: '500000', markets: [] })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError', parameter: 'markets' }),
    );
    expect(() => hip3StakeAssessment({ stakeHype: '-1', markets: [healthy()] })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'stakeHype' }),
    );
    expect(() =>
      hip3StakeAssessment({ stakeHype: '500000', requiredStakeHype: '0', markets: [healthy()] }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'requiredStakeHype',
      }),
    );
    expect(() =>
      hip3StakeAssessment({ stakeHype: '500000', markets: [healthy(), healthy()] }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'markets[1].coin' }),
    );
    expect(() =>
      hip3StakeAssessment({ stakeHype: '500000', markets: [healthy({ volume24hUsd: '10,000' })] }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidDecimalError',
        parameter: 'markets[0].volume24hUsd',
      }),
    );
    expect(() =>
      hip3StakeAssessment({
        stakeHype: '500000',
        markets: [healthy({ oracle: { lastUpdateAgeMs: -1, markDeviation: 0 } })],
      }),
    ).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidParameterError',
        parameter: 'markets[0].oracle.lastUpdateAgeMs',
      }),
    );
  });
});
