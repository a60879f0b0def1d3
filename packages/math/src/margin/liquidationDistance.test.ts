import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from '../errors.js';
import { liquidationDistance, realizedVolatility } from './liquidationDistance.js';

describe('liquidation distance and volatility', () => {
  it('distance in % and σ, halt safety multiplier', () => {
    const d = liquidationDistance({
      markPrice: '100',
      liquidationPrice: '80',
      volatility: { sigma: 0.8, targetHorizonHours: 8760 },
      normalDistance: '0.15',
    });
    expect(d).toEqual({ fraction: '0.2', percent: '20', sigmas: 0.25, isSafeDuringHalt: false });
    const daily = liquidationDistance({
      markPrice: '100',
      liquidationPrice: '120',
      volatility: { sigma: 0.02, sigmaHorizonHours: 24 },
    });
    expect(daily!.sigmas).toBeCloseTo(10, 12);
    expect(liquidationDistance({ markPrice: '100', liquidationPrice: null })).toBeNull();
  });
  it('realized volatility of alternating ±1 % moves', () => {
    const prices = ['100', '101', '100', '101', '100'];
    const r = Math.log(1.01);
    const perSample = Math.sqrt((4 * r * r) / 3);
    expect(realizedVolatility({ prices, sampleIntervalHours: 24, horizonHours: 24 })).toBeCloseTo(
      perSample,
      12,
    );
    expect(realizedVolatility({ prices, sampleIntervalHours: 24 })).toBeCloseTo(
      perSample * Math.sqrt(365),
      12,
    );
    expect(() => realizedVolatility({ prices: ['1', '2'], sampleIntervalHours: 1 })).toThrow(
      InvalidParameterError,
    );
  });
});
