import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLASHING_TIERS, type SlashingTier, slashingExposure } from './slashingExposure.js';

describe('slashingExposure', () => {
  it('applies the HIP-3 guideline caps (100 % / 50 % / 20 %) to the stake', () => {
    // Hyperliquid docs, HIP-3 (research/hyperliquid.md §1.3): mainnet requirement 500k HYPE.
    expect(
      slashingExposure({ stakeHype: '500000', tier: 'briefDowntime', hypePriceUsd: '40' }),
    ).toEqual({
      tier: 'briefDowntime',
      maxFraction: '0.5',
      hypeAtRisk: '250000',
      usdAtRisk: '10000000',
      remainingHype: '250000',
    });
    // Founding note 4's 5M stake, invalid market / prolonged downtime: everything.
    expect(slashingExposure({ stakeHype: '5000000', tier: 'invalidOrProlonged' })).toMatchObject({
      hypeAtRisk: '5000000',
      usdAtRisk: null,
      remainingHype: '0',
    });
    // The 7-day unstaking queue stays slashable: (500k + 100k) × 20 %.
    expect(
      slashingExposure({ stakeHype: '500000', unstakingHype: '100000', tier: 'degradation' })
        .hypeAtRisk,
    ).toBe('120000');
  });

  it('is monotone in severity (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), (units) => {
        const stakeHype = `${units / 10n ** 6n}.${(units % 10n ** 6n).toString().padStart(6, '0')}`;
        const atRisk = SLASHING_TIERS.map((tier) =>
          Number(slashingExposure({ stakeHype, tier }).hypeAtRisk),
        );
        return atRisk.every((x, i) => i === 0 || x >= (atRisk[i - 1] as number));
      }),
    );
  });

  it('throws typed errors on a negative stake, a malformed amount or an unknown tier', () => {
    expect(() => slashingExposure({ stakeHype: '-1', tier: 'degradation' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'stakeHype' }),
    );
    expect(() => slashingExposure({ stakeHype: '500k', tier: 'degradation' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'stakeHype' }),
    );
    expect(() => slashingExposure({ stakeHype: '1', tier: 'total' as SlashingTier })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'tier' }),
    );
    expect(() =>
      slashingExposure({ stakeHype: '1', tier: 'degradation', hypePriceUsd: '0' }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'hypePriceUsd' }),
    );
  });
});
