import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Hip3MarketInput,
  type Hip3StressScenario,
  hip3StakeAssessment,
  SLASHING_TIERS,
} from './hip3StakeAssessment.js';

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

/** The stress results of one market under the given scenarios. */
const stress = (market: Partial<Hip3MarketInput>, ...scenarios: Hip3StressScenario[]) =>
  hip3StakeAssessment({ stakeHype: '500000', markets: [healthy(market)], scenarios }).markets[0]
    ?.stress;

describe('hip3StakeAssessment', () => {
  it('rates a healthy 24/7 market low and recommends leverage and OI cap (hand-derived)', () => {
    const a = hip3StakeAssessment({ stakeHype: '500000', markets: [healthy()] });
    const m = a.markets[0];
    // Gap 5 % (24/7) → 1/0.05 = 20×; cap = 10M volume (≥ 4M/2).
    expect(m).toMatchObject({
      coin: 'xyz:BTC',
      level: 'low',
      reasons: [],
      slashingTier: null,
      oiToVolume: 0.4,
      recommendedMaxLeverage: 20,
      recommendedOpenInterestCapUsd: '10000000',
      actions: [],
    });
    // No weekend on a 24/7 market.
    expect(m?.stress.map((s) => s.scenario)).toEqual(['oracleDepeg', 'liquidityGap', 'adl']);
    expect(a).toMatchObject({
      stakeShortfallHype: '0',
      worstCase: null,
      overallLevel: 'low',
      mostDangerous: 'xyz:BTC',
    });
    // Guideline caps 20 % / 50 % / 100 % of 500k HYPE.
    expect(a.slashingTiers).toEqual([
      { tier: 'degradation', hypeAtRisk: '100000' },
      { tier: 'briefDowntime', hypeAtRisk: '250000' },
      { tier: 'invalidOrProlonged', hypeAtRisk: '500000' },
    ]);
  });

  it('sizes leverage for the ±10 % pin band of a market-hours asset', () => {
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
        healthy({ coin: 'xyz:SOL', maxLeverage: 10 }),
      ],
    });
    const [tsla, sol] = a.markets;
    // TSLA: gap 10 % → 10×; 20× exceeds it; OI/vol 1.5 ≥ 1 → medium. Weekend gap scenario runs.
    expect(tsla).toMatchObject({
      level: 'medium',
      reasons: ['oiToVolume', 'leverage'],
      recommendedMaxLeverage: 10,
      recommendedOpenInterestCapUsd: '20000000',
      actions: ['lowerLeverage'],
    });
    expect(tsla?.oiToVolume).toBe(1.5);
    expect(tsla?.stress.map((s) => s.scenario)).toContain('weekendGap');
    expect(sol).toMatchObject({ level: 'low', recommendedMaxLeverage: 20, actions: [] });
    expect(a.mostDangerous).toBe('xyz:TSLA');
  });

  it('maps oracle staleness and deviation tiers to levels, reasons, actions and slashing tiers', () => {
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
    expect(by.ok).toMatchObject({ level: 'low', slashingTier: null, reasons: [] });
    expect(by.stale).toMatchObject({
      level: 'high',
      reasons: ['stale'],
      slashingTier: 'briefDowntime',
      actions: [],
    });
    // L1 halves the cap: 10M / 2 = 5M (≥ 2M floor).
    expect(by.l1).toMatchObject({
      level: 'medium',
      reasons: ['L1'],
      slashingTier: null,
      actions: ['lowerOiCap'],
      recommendedOpenInterestCapUsd: '5000000',
    });
    expect(by.l2).toMatchObject({
      level: 'high',
      reasons: ['L2'],
      slashingTier: 'degradation',
      actions: ['lowerOiCap', 'lowerLeverage'],
    });
    expect(by.l3).toMatchObject({
      level: 'critical',
      reasons: ['L3'],
      slashingTier: 'invalidOrProlonged',
      actions: ['lowerOiCap', 'lowerLeverage', 'considerHalt'],
    });
    expect(by.dead).toMatchObject({
      level: 'critical',
      reasons: ['dead'],
      slashingTier: 'invalidOrProlonged',
      actions: ['considerHalt'],
    });
    // Both critical: the larger OI (l3, 4M) is the most dangerous; worst case = whole stake.
    expect(a.overallLevel).toBe('critical');
    expect(a.mostDangerous).toBe('l3');
    expect(a.worstCase).toEqual({ coin: 'l3', tier: 'invalidOrProlonged', hypeAtRisk: '500000' });
  });

  it('keeps the OI-cap advice at or above half the current OI', () => {
    // OI 30M, volume 10M: 10M advice < 15M floor (HL: cap ≥ OI/2) → 15M; OI/vol 3 → high.
    const a = hip3StakeAssessment({
      stakeHype: '500000',
      markets: [healthy({ openInterestUsd: '30000000' })],
    });
    expect(a.markets[0]).toMatchObject({
      level: 'high',
      reasons: ['oiToVolume'],
      recommendedOpenInterestCapUsd: '15000000',
      actions: ['lowerOiCap'],
    });
    // Open interest without volume: ratio null, high; the cap advice is the OI/2 floor.
    const idle = hip3StakeAssessment({
      stakeHype: '500000',
      markets: [healthy({ volume24hUsd: '0', openInterestUsd: '3' })],
    }).markets[0];
    expect(idle).toMatchObject({
      level: 'high',
      oiToVolume: null,
      reasons: ['oiToVolume'],
      recommendedOpenInterestCapUsd: '2', // 1.5 rounded up to whole USD
    });
  });

  it('treats the staking requirement as a parameter (500k now, 5M in note 4)', () => {
    const short = hip3StakeAssessment({ stakeHype: '400000', markets: [healthy()] });
    expect(short).toMatchObject({ stakeShortfallHype: '100000', overallLevel: 'critical' });
    const note4 = hip3StakeAssessment({
      stakeHype: '500000',
      requiredStakeHype: '5000000',
      markets: [healthy()],
    });
    expect(note4).toMatchObject({ stakeShortfallHype: '4500000', overallLevel: 'critical' });
  });

  it('counts the unstaking queue as slashable and applies the caps to note 4’s 5M stake', () => {
    // Hyperliquid docs, HIP-3 (research/hyperliquid.md §1.3): the 7-day unstaking queue stays
    // slashable: (500k + 100k) × 20 % = 120k.
    const queued = hip3StakeAssessment({
      stakeHype: '500000',
      unstakingHype: '100000',
      markets: [healthy()],
    });
    expect(queued.slashingTiers[0]).toMatchObject({ tier: 'degradation', hypeAtRisk: '120000' });
    const big = hip3StakeAssessment({ stakeHype: '5000000', markets: [healthy()] });
    expect(big.slashingTiers[2]).toEqual({ tier: 'invalidOrProlonged', hypeAtRisk: '5000000' });
    // The loss is rounded up at 18 decimals: 1e-18 HYPE × 20 % → 1e-18.
    expect(
      hip3StakeAssessment({ stakeHype: '0.000000000000000001', markets: [healthy()] })
        .slashingTiers[0]?.hypeAtRisk,
    ).toBe('0.000000000000000001');
  });

  it('is monotone in slashing severity (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (units) => {
        const stakeHype = `${units / 10n ** 6n}.${(units % 10n ** 6n).toString().padStart(6, '0')}`;
        const tiers = hip3StakeAssessment({ stakeHype, markets: [healthy()] }).slashingTiers;
        const atRisk = tiers.map((t) => Number(t.hypeAtRisk));
        return (
          tiers.map((t) => t.tier).join() === SLASHING_TIERS.join() &&
          atRisk.every((x, i) => i === 0 || x >= (atRisk[i - 1] as number))
        );
      }),
      { numRuns: 50 },
    );
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
    const run =
      (over: object, market: Partial<Hip3MarketInput> = {}) =>
      () =>
        hip3StakeAssessment({ stakeHype: '500000', markets: [healthy(market)], ...over });
    const invalid = (parameter: string) =>
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter });
    expect(run({ markets: [] })).toThrow(
      expect.objectContaining({ name: 'Math.EmptySeriesError', parameter: 'markets' }),
    );
    expect(run({ stakeHype: '-1' })).toThrow(invalid('stakeHype'));
    expect(run({ stakeHype: '500k' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'stakeHype' }),
    );
    expect(run({ requiredStakeHype: '0' })).toThrow(invalid('requiredStakeHype'));
    expect(run({ unstakingHype: '-1' })).toThrow(invalid('unstakingHype'));
    expect(run({ markets: [healthy(), healthy()] })).toThrow(invalid('markets[1].coin'));
    expect(run({}, { volume24hUsd: '10,000' })).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidDecimalError',
        parameter: 'markets[0].volume24hUsd',
      }),
    );
    // A missing required amount is not read as zero.
    expect(run({}, { openInterestUsd: undefined as unknown as string })).toThrow(
      expect.objectContaining({
        name: 'Math.InvalidDecimalError',
        parameter: 'markets[0].openInterestUsd',
      }),
    );
    expect(run({}, { openInterestUsd: '-5' })).toThrow(invalid('markets[0].openInterestUsd'));
    expect(run({}, { depthUsd: '-1' })).toThrow(invalid('markets[0].depthUsd'));
    expect(run({}, { maxLeverage: 0 })).toThrow(invalid('markets[0].maxLeverage'));
    expect(run({}, { maxLeverage: 51 })).toThrow(invalid('markets[0].maxLeverage'));
    // An unknown session is rejected, not read as 24/7.
    expect(run({}, { session: 'weekdays' as Hip3MarketInput['session'] })).toThrow(
      invalid('markets[0].session'),
    );
    expect(run({}, { oracle: { lastUpdateAgeMs: -1, markDeviation: 0 } })).toThrow(
      invalid('markets[0].oracle.lastUpdateAgeMs'),
    );
    expect(run({}, { oracle: { lastUpdateAgeMs: 0, markDeviation: Number.NaN } })).toThrow(
      invalid('markets[0].oracle.markDeviation'),
    );
    expect(
      run({}, { oracle: { lastUpdateAgeMs: 0, markDeviation: 0, deviationPersistedMs: -1 } }),
    ).toThrow(invalid('markets[0].oracle.deviationPersistedMs'));
    expect(
      run({ scenarios: [{ kind: 'adl' }, { kind: 'oracleDepeg', moveFraction: '1.5' }] }),
    ).toThrow(invalid('scenarios[1].moveFraction'));
    expect(run({ scenarios: [{ kind: 'liquidityGap', depthDropFraction: '-0.1' }] })).toThrow(
      invalid('scenarios[0].depthDropFraction'),
    );
    expect(run({ scenarios: [{ kind: 'crash' }] })).toThrow(invalid('scenarios[0].kind'));
  });
});

// Hand-derived: at max leverage L, HL maintenance is 1/(2L) of notional and the initial margin 1/L
// (research/hyperliquid.md §3.1), so positions at max leverage are liquidated once the move reaches
// 1/(2L) and go bankrupt beyond 1/L. The mark moves at most 1 % per setOracle update (§1.2).
describe('hip3StakeAssessment stress scenarios', () => {
  const oi10m = { openInterestUsd: '10000000', depthUsd: '2000000' };

  it('oracle depeg 5 % at 20×: everything liquidated, no bad debt, 8M to ADL', () => {
    // 5 % ≥ 1/40 = 2.5 % → liquidate 10M; 5 % is not > 1/20 = 5 % → bad debt 0; 10M − 2M depth → ADL 8M.
    expect(stress(oi10m, { kind: 'oracleDepeg' })).toEqual([
      {
        scenario: 'oracleDepeg',
        moveFraction: '0.05',
        liquidatedNotionalUsd: '10000000',
        badDebtUsd: '0',
        adlNotionalUsd: '8000000',
        pinnedMispricingFraction: null,
        level: 'critical',
      },
    ]);
  });

  it('a deep book at 10× absorbs the depeg; a liquidity gap does not', () => {
    const m = { openInterestUsd: '5000000', maxLeverage: 10, depthUsd: '10000000' };
    // 5 % ≥ 1/20 → liquidate 5M; 10M depth covers it.
    const [depeg, gap] = stress(m, { kind: 'oracleDepeg' }, { kind: 'liquidityGap' }) ?? [];
    expect(depeg).toMatchObject({
      liquidatedNotionalUsd: '5000000',
      badDebtUsd: '0',
      adlNotionalUsd: '0',
      level: 'high',
    });
    // Depth −80 % → 2M: 3M to ADL.
    expect(gap).toMatchObject({ adlNotionalUsd: '3000000', level: 'critical' });
    // A custom drop: −60 % → 4M depth, 1M to ADL.
    expect(stress(m, { kind: 'liquidityGap', depthDropFraction: '0.6' })?.[0]).toMatchObject({
      adlNotionalUsd: '1000000',
    });
  });

  it('ADL at a 10 % move on 20×: bad debt 10M × (10 % − 5 %) = 500k', () => {
    expect(stress(oi10m, { kind: 'adl' })?.[0]).toMatchObject({
      moveFraction: '0.1',
      badDebtUsd: '500000',
      adlNotionalUsd: '8000000',
      level: 'critical',
    });
  });

  it('computes bad debt exactly when 1/maxLeverage does not terminate', () => {
    // 3×: 3 USD × (1/2 − 1/3) = 0.5 exactly (a rounded 1/3 would leave 0.500000000000000001).
    expect(
      stress(
        { openInterestUsd: '3', maxLeverage: 3, depthUsd: '0' },
        { kind: 'adl', moveFraction: '0.5' },
      )?.[0],
    ).toMatchObject({ badDebtUsd: '0.5', liquidatedNotionalUsd: '3', adlNotionalUsd: '3' });
  });

  it('weekend gap: pinned within ±10 % of last close, the rest gaps at reopen', () => {
    // Outside move 15 %, pin 10 %: the mark trails by 5 %, the gap at reopen. At 10×: 15 % > 10 %
    // liquidates everything; bad debt 10M × (15 % − 10 %) = 500k.
    const market = { ...oi10m, session: 'marketHours', maxLeverage: 10 } as const;
    expect(stress(market, { kind: 'weekendGap' })?.[0]).toMatchObject({
      scenario: 'weekendGap',
      moveFraction: '0.15',
      pinnedMispricingFraction: '0.05',
      liquidatedNotionalUsd: '10000000',
      badDebtUsd: '500000',
    });
    // A larger outside move gaps more: 25 % − 10 % = 15 %.
    expect(stress(market, { kind: 'weekendGap', moveFraction: '0.25' })?.[0]).toMatchObject({
      pinnedMispricingFraction: '0.15',
      badDebtUsd: '1500000',
    });
    // Inside the pin band nothing gaps; 4 % < 1/20 liquidates nothing but is ≥ 3 % → medium.
    expect(stress(market, { kind: 'weekendGap', moveFraction: '0.04' })?.[0]).toMatchObject({
      pinnedMispricingFraction: '0',
      liquidatedNotionalUsd: '0',
      level: 'medium',
    });
    // 24/7 markets have no weekend.
    expect(stress(oi10m, { kind: 'weekendGap' })).toEqual([]);
  });

  it('rates small moves low', () => {
    expect(
      stress({ maxLeverage: 10 }, { kind: 'oracleDepeg', moveFraction: '0.01' })?.[0]?.level,
    ).toBe('low');
  });
});
