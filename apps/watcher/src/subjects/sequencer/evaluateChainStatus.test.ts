import { describe, expect, it } from 'vitest';
import { classDefaults } from '../../config/chainClassDefaults.js';
import { type ChainStateRecord, initialChainState } from './chainStateRecord.js';
import {
  type ChainObservation,
  type ChainRules,
  evaluateChainStatus,
} from './evaluateChainStatus.js';

const op = classDefaults('op-stack', 2000);
const opRules: ChainRules = { thresholds: op.thresholds, traits: op.traits, pollIntervalMs: 1000 };
const nitro = classDefaults('nitro', 250);
const nitroRules: ChainRules = {
  thresholds: nitro.thresholds,
  traits: nitro.traits,
  pollIntervalMs: 1000,
};
const T0 = 1_800_000_000_000;

const gap = {
  windowSeconds: 60,
  observedBlocks: 30,
  expectedBlocks: 29,
  emptyBlocks: 0,
  meanGapSeconds: 2,
  maxGapSeconds: 2,
  windowFilled: true,
};
const obs = (
  now: number,
  headNumber: number | null,
  extra: Partial<ChainObservation> = {},
): ChainObservation => ({
  now,
  head:
    headNumber === null
      ? null
      : { number: headNumber, hash: `0x${headNumber}`, timestamp: Math.floor(now / 1000) },
  untrustedReason: headNumber === null ? 'none of the 3 RPC endpoints answered' : null,
  blockGap: gap,
  safe: { number: 1, timestamp: Math.floor(now / 1000) - 60 },
  finalized: null,
  feed: null,
  probe: null,
  reorgDepth: null,
  ...extra,
});

/** Runs a timeline of observations and returns the status after each. */
function run(rules: ChainRules, steps: ChainObservation[], start?: ChainStateRecord) {
  let s = start ?? initialChainState(1, T0);
  return steps.map((o) => {
    s = evaluateChainStatus(s, o, rules);
    return s;
  });
}

describe('evaluateChainStatus (SPEC §3.1, sequencer.md §4.3)', () => {
  it('OP-stack: up → degraded after 20 s → halted after 60 s → recovering when heads move → up after the grace', () => {
    const states = run(opRules, [
      obs(T0, 100),
      obs(T0 + 19_000, 100),
      obs(T0 + 20_000, 100),
      obs(T0 + 59_000, 100),
      obs(T0 + 60_000, 100),
      obs(T0 + 70_000, 101),
      obs(T0 + 70_000 + 3_599_000, 2000),
      obs(T0 + 70_000 + 3_600_000, 2001),
    ]);
    expect(states.map((s) => s.status)).toEqual([
      'up',
      'up',
      'degraded',
      'degraded',
      'halted',
      'recovering',
      'recovering',
      'up',
    ]);
    expect(states[4]?.reasons[0]).toBe('no new block for 60.0 s (halted after 60 s)');
    expect(states[2]?.statusSince).toBe(T0 + 20_000);
  });

  it('a head read one block behind (load-balanced replica) does not reset the halt timer', () => {
    const states = run(opRules, [obs(T0, 100), obs(T0 + 30_000, 99), obs(T0 + 60_000, 100)]);
    expect(states.map((s) => s.status)).toEqual(['up', 'degraded', 'halted']);
  });

  it('no trusted endpoint is unknown, never up', () => {
    const [s] = run(opRules, [obs(T0, null)]);
    expect(s?.status).toBe('unknown');
    expect(s?.reasons).toEqual(['none of the 3 RPC endpoints answered']);
  });

  it('slow blocks (op-conductor rule) degrade a chain whose head still moves', () => {
    const [s] = run(opRules, [
      obs(T0, 100, { blockGap: { ...gap, observedBlocks: 10, expectedBlocks: 29 } }),
    ]);
    expect(s?.status).toBe('degraded');
    expect(s?.reasons[0]).toMatch(/slow blocks: 10 of 29/);
  });

  it('Nitro: an idle chain whose probe succeeds within its interval stays up with the idle flag; halted once the probe fails', () => {
    const alive = (at: number) => ({
      result: 'alive' as const,
      at,
      detail: 'rejected as expected',
    });
    const failed = { result: 'failed' as const, at: T0 + 131_000, detail: 'timeout' };
    const states = run(nitroRules, [
      obs(T0, 5),
      obs(T0 + 31_000, 5, { probe: alive(T0 + 31_000) }),
      obs(T0 + 130_000, 5, { probe: alive(T0 + 130_000) }),
      obs(T0 + 131_000, 5, { probe: failed }),
    ]);
    expect(states.map((s) => s.status)).toEqual(['up', 'up', 'up', 'halted']);
    expect(states.map((s) => s.flags.idle)).toEqual([false, true, true, false]);
    expect(states[2]?.reasons[0]).toMatch(/^idle: no new block for 130 s/);
    expect(states[3]?.reasons).toContain('invalid-tx probe failed: timeout');
  });

  it('slow blocks: a chain degraded by them is up again only clearly above the ratio (no flapping at the line)', () => {
    // opRules: slowBlockRatio 0.5 → degraded below 0.5, up again only at ≥ 0.5 / 0.9 ≈ 0.556.
    const at = (observedBlocks: number) => ({ ...gap, observedBlocks, expectedBlocks: 29 });
    const states = run(opRules, [
      obs(T0, 100, { blockGap: at(14) }),
      obs(T0 + 1000, 101, { blockGap: at(15) }),
      obs(T0 + 2000, 102, { blockGap: at(17) }),
    ]);
    expect(states.map((s) => s.status)).toEqual(['degraded', 'degraded', 'up']);
  });

  it('Nitro: the first blocks after an idle stretch are not "slow blocks" while the gap window still spans it', () => {
    const alive = { result: 'alive' as const, at: T0 + 40_000, detail: 'rejected as expected' };
    const sparse = { ...gap, observedBlocks: 2, expectedBlocks: 59 };
    const states = run(nitroRules, [
      obs(T0, 5),
      obs(T0 + 40_000, 5, { probe: alive }),
      obs(T0 + 41_000, 6, { probe: alive, blockGap: sparse }),
      obs(T0 + 102_000, 7, { blockGap: sparse }),
    ]);
    expect(states.map((s) => s.status)).toEqual(['up', 'up', 'up', 'degraded']);
    expect(states[3]?.reasons[0]).toMatch(/^slow blocks/);
  });

  it('Nitro: a probe success older than its interval does not keep an idle chain up', () => {
    // nitroRules poll every 1 s: a probe result counts for 10 s.
    const stale = { result: 'alive' as const, at: T0 + 31_000, detail: 'rejected as expected' };
    const states = run(nitroRules, [
      obs(T0, 5),
      obs(T0 + 41_000, 5, { probe: stale }),
      obs(T0 + 42_000, 5, { probe: stale }),
    ]);
    expect(states.map((s) => s.status)).toEqual(['up', 'up', 'degraded']);
  });

  it('the reported head never goes backwards without a reorg; a reorg may lower it', () => {
    const states = run(opRules, [
      obs(T0, 41),
      obs(T0 + 1000, 37),
      obs(T0 + 2000, 36, { reorgDepth: 5 }),
    ]);
    expect(states.map((s) => s.head?.number)).toEqual([41, 41, 36]);
  });

  it('Nitro: a probe answering before the first new block does not skip recovering', () => {
    const failed = { result: 'failed' as const, at: T0 + 130_000, detail: 'timeout' };
    const alive = { result: 'alive' as const, at: T0 + 131_000, detail: 'rejected as expected' };
    const states = run(nitroRules, [
      obs(T0, 5),
      obs(T0 + 130_000, 5, { probe: failed }),
      obs(T0 + 131_000, 5, { probe: alive }),
      obs(T0 + 132_000, 6, { probe: alive }),
    ]);
    // One live answer during a halt does not end it (a probe held across the restart answers after
    // it while this poll's head predates it); the next poll's new block does.
    expect(states.map((s) => s.status)).toEqual(['up', 'halted', 'halted', 'recovering']);
    expect(states[2]?.reasons).toContain(
      'the invalid-tx probe answers again (rejected as expected); waiting for blocks',
    );
  });

  it('Nitro: a probe alive for a whole interval without blocks ends the halt as degraded (alive, idle?)', () => {
    // nitroRules poll every 1 s: the probe interval is 10 s.
    const failed = { result: 'failed' as const, at: T0 + 130_000, detail: 'timeout' };
    const alive = (at: number) => ({
      result: 'alive' as const,
      at,
      detail: 'rejected as expected',
    });
    const states = run(nitroRules, [
      obs(T0, 5),
      obs(T0 + 130_000, 5, { probe: failed }),
      obs(T0 + 131_000, 5, { probe: alive(T0 + 131_000) }),
      obs(T0 + 136_000, 5, { probe: alive(T0 + 136_000) }),
      obs(T0 + 141_000, 5, { probe: alive(T0 + 141_000) }),
      obs(T0 + 142_000, 5, { probe: failed }),
    ]);
    expect(states.map((s) => s.status)).toEqual([
      'up',
      'halted',
      'halted',
      'halted',
      'degraded',
      'halted',
    ]);
    expect(states[4]?.reasons).toContain(
      'the sequencer endpoint still rejects the invalid-tx probe as expected (alive, idle?)',
    );
  });

  it('safe lag flags warn at 10 min and critical at 30 min on OP-stack, with hysteresis', () => {
    const at = (lagSeconds: number) => ({
      number: 1,
      timestamp: Math.floor(T0 / 1000) - lagSeconds,
    });
    const states = run(opRules, [
      obs(T0, 100, { safe: at(601) }),
      obs(T0, 100, { safe: at(1801) }),
      obs(T0, 100, { safe: at(580) }),
      obs(T0, 100, { safe: at(500) }),
    ]);
    expect(states.map((s) => [s.flags.safeLagWarn, s.flags.safeLagCrit])).toEqual([
      [true, false],
      [true, true],
      [true, false],
      [false, false],
    ]);
    expect(states.every((s) => s.status === 'up')).toBe(true);
  });

  it('a reorg sets the flag for the hold time', () => {
    const hold = opRules.thresholds.reorgFlagHoldSeconds * 1000;
    const states = run(opRules, [
      obs(T0, 100, { reorgDepth: 2 }),
      obs(T0 + hold - 1, 101),
      obs(T0 + hold, 102),
    ]);
    expect(states.map((s) => s.flags.reorg)).toEqual([true, true, false]);
    expect(states[0]?.reasons).toContain('reorg of depth 2 detected');
  });

  it('feed down degrades; back up within its grace period is recovering', () => {
    const down = {
      state: 'down' as const,
      answer: 1,
      startedAt: 1,
      updatedAt: 1,
      graceEndsAt: null,
      readAt: T0,
      error: null,
    };
    const grace = { ...down, state: 'grace' as const, answer: 0, graceEndsAt: T0 + 3_600_000 };
    const states = run(opRules, [
      obs(T0, 100, { feed: down }),
      obs(T0 + 1000, 101, { feed: grace }),
    ]);
    expect(states.map((s) => [s.status, s.flags.feedDown])).toEqual([
      ['degraded', true],
      ['recovering', false],
    ]);
  });

  it('losing every RPC holds the safe-lag and feed flags (no evidence they cleared) and reports unknown', () => {
    const lagging = { number: 1, timestamp: Math.floor(T0 / 1000) - 1801 };
    const feedDown = {
      state: 'down' as const,
      answer: 1,
      startedAt: 1,
      updatedAt: 1,
      graceEndsAt: null,
      readAt: T0,
      error: null,
    };
    const feedUnknown = {
      ...feedDown,
      state: 'unknown' as const,
      error: 'no trusted RPC endpoint to read the feed from',
    };
    // What ChainWatcher passes when the quorum trusts no endpoint: no safe reading, feed unknown.
    const states = run(opRules, [
      obs(T0, 100, { safe: lagging, feed: feedDown }),
      obs(T0 + 1000, null, { safe: null, feed: feedUnknown }),
      obs(T0 + 2000, 101, { safe: { ...lagging, timestamp: Math.floor(T0 / 1000) } }),
    ]);
    expect(
      states.map((s) => [s.status, s.flags.safeLagWarn, s.flags.safeLagCrit, s.flags.feedDown]),
    ).toEqual([
      ['degraded', true, true, true],
      ['unknown', true, true, true],
      ['up', false, false, false],
    ]);
    expect(states[1]?.reasons[0]).toBe('none of the 3 RPC endpoints answered');
  });
});
