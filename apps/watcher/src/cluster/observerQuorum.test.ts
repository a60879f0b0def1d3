import type { ChainStatus } from '@perpscope/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineObserverEvaluations, type ObserverEvaluation } from './observerQuorum.js';

const NOW = 1_800_000_000_000;
const FRESH = 30_000;
const params = { now: NOW, freshMs: FRESH };

/** An evaluation `ageMs` before NOW. */
const ev = (
  observer: string,
  status: ChainStatus | null,
  headNumber: number | null = 100,
  ageMs = 1_000,
): ObserverEvaluation => ({
  observer,
  at: NOW - ageMs,
  status,
  headNumber,
  headSeenAt: headNumber === null ? null : NOW - ageMs - 500,
});

const combine = (evs: ObserverEvaluation[]) => combineObserverEvaluations(evs, params);

describe('combineObserverEvaluations: the rule', () => {
  it('no observers → unknown, nobody chosen', () => {
    const r = combine([]);
    expect(r).toEqual({
      status: 'unknown',
      observer: null,
      voters: [],
      abstained: [],
      reason: 'unknown: no fresh observer can see the chain',
    });
  });

  it.each(['up', 'recovering', 'degraded', 'halted'] as const)(
    'one fresh voter saying %s decides alone',
    (status) => {
      const r = combine([ev('a', status)]);
      expect(r.status).toBe(status);
      expect(r.observer).toBe('a');
    },
  );

  // Every pair of voting statuses, written out: the least severe wins
  // (up < recovering < degraded < halted).
  it.each([
    ['up', 'up', 'up'],
    ['up', 'recovering', 'up'],
    ['up', 'degraded', 'up'],
    ['up', 'halted', 'up'],
    ['recovering', 'recovering', 'recovering'],
    ['recovering', 'degraded', 'recovering'],
    ['recovering', 'halted', 'recovering'],
    ['degraded', 'degraded', 'degraded'],
    ['degraded', 'halted', 'degraded'],
    ['halted', 'halted', 'halted'],
  ] as const)('%s + %s → %s (in either order)', (x, y, expected) => {
    expect(combine([ev('a', x), ev('b', y)]).status).toBe(expected);
    expect(combine([ev('b', y), ev('a', x)]).status).toBe(expected);
  });

  it('unknown and no-data observers do not vote: alone they give unknown, beside a voter they change nothing', () => {
    expect(combine([ev('a', 'unknown', null)])).toMatchObject({
      status: 'unknown',
      observer: null,
      abstained: [{ observer: 'a', reason: 'unknown', ageMs: 1_000 }],
    });
    expect(combine([ev('a', null, null), ev('b', 'unknown', null)])).toMatchObject({
      status: 'unknown',
      abstained: [
        { observer: 'a', reason: 'no-data' },
        { observer: 'b', reason: 'unknown' },
      ],
    });
    expect(combine([ev('blind', 'unknown', null), ev('b', 'halted')])).toMatchObject({
      status: 'halted',
      observer: 'b',
    });
  });

  it('only fresh evaluations vote: age = freshMs votes, one ms older does not; a future `at` votes', () => {
    expect(combine([ev('a', 'halted', 100, FRESH)]).status).toBe('halted');
    expect(combine([ev('a', 'halted', 100, FRESH + 1)])).toMatchObject({
      status: 'unknown',
      abstained: [{ observer: 'a', reason: 'stale', ageMs: FRESH + 1 }],
    });
    // A stale `up` does not hide a fresh halt.
    expect(combine([ev('old', 'up', 200, FRESH + 1), ev('b', 'halted', 100)]).status).toBe(
      'halted',
    );
    expect(combine([ev('ahead', 'degraded', 100, -5_000)]).status).toBe('degraded');
  });

  it('ties: highest head, then latest evaluation, then smallest observer id', () => {
    expect(combine([ev('a', 'up', 100), ev('b', 'up', 101), ev('c', 'up', 99)]).observer).toBe('b');
    expect(combine([ev('a', 'up', 100, 5_000), ev('b', 'up', 100, 2_000)]).observer).toBe('b');
    expect(combine([ev('b', 'up', 100), ev('a', 'up', 100)]).observer).toBe('a');
    // A voter without a head ranks below one with a head.
    expect(combine([ev('a', 'halted', null), ev('b', 'halted', 0)]).observer).toBe('b');
    // The head breaks ties only: a less severe status with a lower head still wins.
    expect(combine([ev('a', 'halted', 500), ev('b', 'degraded', 400)]).observer).toBe('b');
  });

  it('an observer listed twice counts with its latest evaluation only', () => {
    const r = combine([ev('a', 'halted', 100, 1_000), ev('a', 'up', 100, 20_000)]);
    expect(r.status).toBe('halted');
    expect(r.voters).toEqual([{ observer: 'a', status: 'halted', headNumber: 100 }]);
    expect(combine([ev('a', 'up', 100, 20_000), ev('a', 'halted', 100, 1_000)]).status).toBe(
      'halted',
    );
  });

  it('says why: the chosen observer, the other voters, the abstentions', () => {
    const r = combine([
      ev('a', 'halted', 100),
      ev('b', 'up', 105, 3_000),
      ev('c', 'unknown', null),
      ev('d', 'up', 90, 45_000),
    ]);
    expect(r.reason).toBe(
      'up per "b" (head 105); a: halted (head 100); abstained: c (unknown), d (stale, 45 s old)',
    );
    expect(r.voters.map((v) => v.observer)).toEqual(['a', 'b']); // most recent first
  });
});

// Property-style: random sets of observers (ids unique, statuses, heads, ages around freshMs).
const statusArb = fc.constantFrom<ChainStatus | null>(
  'up',
  'recovering',
  'degraded',
  'halted',
  'unknown',
  null,
);
const evalArb = (observer: string) =>
  fc
    .record({
      status: statusArb,
      headNumber: fc.option(fc.integer({ min: 0, max: 1_000 }), { nil: null }),
      ageMs: fc.integer({ min: -1_000, max: 2 * FRESH }),
    })
    .map((x) => ev(observer, x.status, x.headNumber, x.ageMs));
const setArb = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { minLength: 0, maxLength: 6 })
  .chain((ids) => fc.tuple(...ids.map(evalArb)));

/** The test's own ranking (the documented order), independent of the module's table. */
const RANK: Record<string, number> = { up: 0, recovering: 1, degraded: 2, halted: 3 };
const isVoter = (e: ObserverEvaluation) =>
  NOW - e.at <= FRESH && e.status !== null && e.status !== 'unknown';

describe('combineObserverEvaluations: properties', () => {
  it('adding a non-voter (unknown, no data, or stale) never changes the result', () => {
    fc.assert(
      fc.property(
        setArb,
        fc.constantFrom<'unknown' | 'no-data' | 'stale'>('unknown', 'no-data', 'stale'),
        (evs, kind) => {
          const before = combine(evs);
          const extra =
            kind === 'unknown'
              ? ev('z', 'unknown', 2_000)
              : kind === 'no-data'
                ? ev('z', null, null)
                : ev('z', 'up', 2_000, FRESH + 1);
          const after = combine([...evs, extra]);
          expect(after.status).toBe(before.status);
          expect(after.observer).toBe(before.observer);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('the result is exactly as severe as the best voter, and is one of the voters', () => {
    fc.assert(
      fc.property(setArb, (evs) => {
        const r = combine(evs);
        const voters = evs.filter(isVoter);
        if (voters.length === 0) {
          expect(r.status).toBe('unknown');
          expect(r.observer).toBeNull();
          return;
        }
        const best = Math.min(...voters.map((v) => RANK[v.status as string]!));
        expect(RANK[r.status]).toBe(best);
        const chosen = voters.find((v) => v.observer === r.observer);
        expect(chosen?.status).toBe(r.status);
        // No voter of the same status saw a higher head.
        for (const v of voters)
          if (v.status === r.status)
            expect(v.headNumber ?? -1).toBeLessThanOrEqual(chosen!.headNumber ?? -1);
      }),
      { numRuns: 1_000 },
    );
  });

  it('halted only when every fresh voter says halted; order of the input does not matter', () => {
    fc.assert(
      fc.property(setArb, (evs) => {
        const r = combine(evs);
        if (r.status === 'halted')
          expect(evs.filter(isVoter).every((v) => v.status === 'halted')).toBe(true);
        const reversed = combine([...evs].reverse());
        expect(reversed.status).toBe(r.status);
        expect(reversed.observer).toBe(r.observer);
      }),
      { numRuns: 500 },
    );
  });
});

// Incidents from /work/shared/docs/research/sequencer.md (§3 replay table, §6), as two or three
// observers on different providers would have evaluated them.
describe('combineObserverEvaluations: incidents where one provider was stuck', () => {
  it('Blast 2024-03-13 (§3 #10): after the restart 2 of 5 public RPCs stayed at 764454 — the observer on them does not keep the chain halted', () => {
    const r = combine([
      ev('eu', 'halted', 764_454), // its endpoints are the two stuck ones
      ev('us', 'recovering', 764_980), // blocks flow again since the fix
    ]);
    expect(r.status).toBe('recovering');
    expect(r.observer).toBe('us');
  });

  it('Blast 2024-03-13, during the halt (14:05–15:10): both observers stuck at 764454 → halted', () => {
    const r = combine([ev('eu', 'halted', 764_454, 4_000), ev('us', 'halted', 764_454, 1_000)]);
    expect(r.status).toBe('halted');
    expect(r.observer).toBe('us'); // same head: the later evaluation
  });

  it('Base 2026-06-25 (§3 #17): halted at 47806542 while one watcher is blinded (all its RPCs failing) → still halted', () => {
    const r = combine([ev('eu', 'halted', 47_806_542), ev('us', 'unknown', null)]);
    expect(r.status).toBe('halted');
    expect(r.abstained).toEqual([{ observer: 'us', reason: 'unknown', ageMs: 1_000 }]);
  });

  it('one blinded watcher alone never reports a halt: blind + healthy → the healthy one', () => {
    expect(combine([ev('eu', 'unknown', null), ev('us', 'up', 47_806_600)]).status).toBe('up');
  });

  it('Base provider 12 h behind yet advancing (§6, hyperlane #3226): both up, the best-informed record is served', () => {
    const r = combine([ev('eu', 'up', 1_000_000), ev('us', 'up', 1_021_600)]);
    expect(r.status).toBe('up');
    expect(r.observer).toBe('us');
  });

  it('a provider stuck at one block while the chain advances (§6, hyperlane #2570): its observer says halted, the pair says up', () => {
    const r = combine([ev('eu', 'halted', 5_000_000), ev('us', 'up', 5_412_000)]);
    expect(r.status).toBe('up');
    expect(r.observer).toBe('us');
  });

  it('Arbitrum 2023-12-15 (§3 #7): degraded before the halt — the pair escalates only when both observers do', () => {
    // 15:29: eu (faster poll) already halted, us still degraded → degraded.
    expect(
      combine([ev('eu', 'halted', 160_384_179), ev('us', 'degraded', 160_384_179)]).status,
    ).toBe('degraded');
    // 15:34: both halted → halted.
    expect(combine([ev('eu', 'halted', 160_384_179), ev('us', 'halted', 160_384_179)]).status).toBe(
      'halted',
    );
    // 16:54: us sees blocks again (recovering) while eu's provider still serves the old head.
    expect(
      combine([ev('eu', 'halted', 160_384_179), ev('us', 'recovering', 160_385_961)]).status,
    ).toBe('recovering');
  });
});
