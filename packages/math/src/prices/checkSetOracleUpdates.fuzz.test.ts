import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSetOracleUpdates, type SetOracleUpdate } from './checkSetOracleUpdates.js';

type Step = {
  gap: 'ok' | 'tooFrequent' | 'stale';
  gapMs: number;
  markMoveBp: number; // signed move of the mark vs the previous update, in bp
  oracle: 'ok' | 'high' | 'low';
};

const arbStep: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    gap: fc.constant('ok' as const),
    gapMs: fc.integer({ min: 2_500, max: 10_000 }),
    markMoveBp: fc.integer({ min: -100, max: 100 }),
    oracle: fc.constantFrom('ok', 'ok', 'ok', 'high', 'low'),
  }),
  fc.record({
    gap: fc.constant('tooFrequent' as const),
    gapMs: fc.integer({ min: 0, max: 2_499 }),
    markMoveBp: fc.oneof(fc.integer({ min: 101, max: 500 }), fc.integer({ min: -500, max: -101 })),
    oracle: fc.constant('ok' as const),
  }),
  fc.record({
    gap: fc.constant('stale' as const),
    gapMs: fc.integer({ min: 10_001, max: 60_000 }),
    markMoveBp: fc.integer({ min: -100, max: 100 }),
    oracle: fc.constant('ok' as const),
  }),
);

describe('setOracle rule checker properties (fast-check)', () => {
  it('flags every generated violation and nothing else', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 30 }), (steps) => {
        // Day open 100; marks start at 100 and move by whole basis points (exact decimals); a mark never
        // strays far enough to hit the 10× clamp; oracles are 100 (ok), 1500 (> 10×) or 5 (< 1/10).
        const updates: SetOracleUpdate[] = [{ timeMs: 0, oraclePx: '100', markPxs: ['100'] }];
        const expected: string[] = [];
        let t = 0;
        let markBp = 1_000_000; // mark in 1/10,000 units: 100.0000
        for (const [j, s] of steps.entries()) {
          const i = j + 1;
          t += s.gapMs;
          // Move relative to the previous mark, rounded to an integer number of 1e-4 units.
          const next = markBp + Math.trunc((markBp * s.markMoveBp) / 10_000);
          const moveExceeds = Math.abs(next - markBp) * 100 > markBp; // > 1 %
          markBp = next;
          const oraclePx = s.oracle === 'high' ? '1500' : s.oracle === 'low' ? '5' : '100';
          updates.push({ timeMs: t, oraclePx, markPxs: [(markBp / 10_000).toFixed(4)] });
          if (s.gap !== 'ok') expected.push(`${i}:${s.gap}`);
          // After > 10 s of silence the exchange's fallback counts as an update for the 2.5 s rule.
          if (s.gap === 'stale' && s.gapMs % 10_000 < 2_500) expected.push(`${i}:tooFrequent`);
          if (s.oracle !== 'ok') expected.push(`${i}:outsideDailyClamp:oraclePx`);
          if (moveExceeds) expected.push(`${i}:markMoveOverLimit`);
        }
        const found = checkSetOracleUpdates({
          updates,
          dayOpenPrices: [{ fromMs: 0, price: '100' }],
        }).map((v) =>
          v.rule === 'outsideDailyClamp'
            ? `${v.index}:${v.rule}:${v.subject}`
            : `${v.index}:${v.rule}`,
        );
        expect(found.sort()).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});
