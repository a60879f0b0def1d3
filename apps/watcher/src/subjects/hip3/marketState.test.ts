import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMarketState, MAX_INTERVALS, pushOracleInterval } from './marketState.js';

describe('pushOracleInterval', () => {
  it('keeps the last MAX_INTERVALS intervals in arrival order and the same values sorted beside them', () => {
    fc.assert(
      fc.property(
        // Small values so duplicates are common (the removal must take out exactly one of them).
        fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: MAX_INTERVALS * 2 + 10 }),
        (pushed) => {
          const state = createMarketState('flx:TSLA', 'flx');
          for (const ms of pushed) pushOracleInterval(state, ms);
          const kept = pushed.slice(-MAX_INTERVALS);
          expect(state.intervals).toEqual(kept);
          expect(state.intervalsSorted).toEqual([...kept].sort((a, b) => a - b));
        },
      ),
      { numRuns: 300 },
    );
  });
});
