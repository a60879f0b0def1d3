import { describe, expect, it } from 'vitest';
import type { ObservedBlock } from './chainRpc.js';
import { type QuorumInput, RpcQuorum, type RpcReading } from './rpcQuorum.js';

/** Block `number` of chain `fork` (0 = the canonical chain): hashes differ between forks. */
const block = (number: number, fork = 0): ObservedBlock => ({
  number,
  hash: `0x${fork.toString(16).padStart(2, '0')}${number.toString(16).padStart(62, '0')}`,
  parentHash: `0x${fork.toString(16).padStart(2, '0')}${(number - 1).toString(16).padStart(62, '0')}`,
  timestamp: 1_700_000_000 + number,
  txCount: 1,
});
const ok = (n: number, fork = 0): RpcReading => ({ ok: true, block: block(n, fork), latencyMs: 5 });
const err = (e: string): RpcReading => ({ ok: false, error: e, latencyMs: 5 });

/** Endpoint `i` serves chain `forks[i]` (default canonical); counts block reads. */
function input(
  readings: readonly RpcReading[],
  over: Partial<QuorumInput> & { forks?: number[] } = {},
): QuorumInput & { fetches: [number, number][] } {
  const fetches: [number, number][] = [];
  return {
    readings,
    now: over.now ?? 0,
    knownTip: over.knownTip ?? null,
    knownHashAt: over.knownHashAt ?? (() => undefined),
    fetchBlock:
      over.fetchBlock ??
      (async (i, n) => {
        fetches.push([i, n]);
        return block(n, over.forks?.[i] ?? 0);
      }),
    fetches,
  };
}
const quorum = () => new RpcQuorum({ lagToleranceBlocks: 6, stuckAfterMs: 10_000 });
const healths = (q: { verdicts: { health: string }[] }) => q.verdicts.map((v) => v.health);

describe('RpcQuorum', () => {
  it('believes the highest of agreeing endpoints and marks a replica far behind lagging', async () => {
    const q = await quorum().decide(input([ok(100), ok(80), ok(101)]));
    expect(q.head?.number).toBe(101);
    expect(q.chosen).toBe(2);
    expect(healths(q)).toEqual(['healthy', 'lagging', 'healthy']);
    expect(q.verdicts[1]).toMatchObject({
      reasonCode: 'behind',
      note: '21 blocks behind the believed head',
    });
  });

  it('ignores an erroring endpoint', async () => {
    const q = await quorum().decide(input([err('HTTP 500'), ok(50), ok(50)]));
    expect(q.head?.number).toBe(50);
    expect(q.verdicts[0]).toEqual({ health: 'failing', reasonCode: 'error', note: 'HTTP 500' });
  });

  it('2 of 3 stuck at the halt block: the one ahead on the same chain is believed; the stuck pair is lagging, then stuck once it has not moved for the halt threshold', async () => {
    const rq = quorum();
    // Before the halt all three agree at 37.
    await rq.decide(input([ok(37), ok(37), ok(37)], { now: 0 }));
    // The halt: nobody moves for 20 s; then one endpoint resumes.
    const first = input([ok(37), ok(37), ok(38)], { now: 20_000 });
    const q1 = await rq.decide(first);
    expect(q1.head?.number).toBe(38);
    expect(healths(q1)).toEqual(['healthy', 'healthy', 'healthy']);
    // 43 blocks later: believed because its block 37 is the one the stuck pair reports.
    const later = input([ok(37), ok(37), ok(80)], { now: 30_000 });
    const q2 = await rq.decide(later);
    expect(q2.head?.number).toBe(80);
    expect(q2.chosen).toBe(2);
    expect(later.fetches).toEqual([[2, 37]]);
    expect(healths(q2)).toEqual(['stuck', 'stuck', 'healthy']);
    expect(q2.verdicts[0]).toMatchObject({ reasonCode: 'not-moving' });
    expect(q2.verdicts[0]?.note).toMatch(/^head 37 unchanged for 30\.0 s while the chain moved on/);
    // The check is not repeated while the stuck pair's head stays the same.
    const again = input([ok(37), ok(37), ok(81)], { now: 30_250 });
    expect((await rq.decide(again)).head?.number).toBe(81);
    expect(again.fetches).toEqual([]);
  });

  it('a replica far behind but still moving is lagging, not stuck', async () => {
    const rq = quorum();
    await rq.decide(input([ok(10), ok(20)], { now: 0 }));
    const q = await rq.decide(input([ok(11), ok(40)], { now: 15_000 }));
    expect(healths(q)).toEqual(['lagging', 'healthy']);
  });

  it('one endpoint ahead on a fork (its block at the peers’ height differs) is failing and never believed', async () => {
    const q = await quorum().decide(input([ok(120, 7), ok(100), ok(99)], { forks: [7, 0, 0] }));
    expect(q.head?.number).toBe(100);
    expect(q.chosen).toBe(1);
    expect(q.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'inconsistent-chain' });
    expect(healths(q)).toEqual(['failing', 'healthy', 'healthy']);
  });

  it('an endpoint that split off at the peers’ head matches it once but is not believed; the peers’ next block exposes the fork', async () => {
    const rq = quorum();
    // Endpoint 0 serves fork 7 above block 100 (below it, the canonical blocks).
    const fetchBlock = async (i: number, n: number) => block(n, i === 0 && n > 100 ? 7 : 0);
    await rq.decide(input([ok(100), ok(100), ok(100)], { now: 0, fetchBlock }));
    const q1 = await rq.decide(input([ok(110, 7), ok(100), ok(100)], { now: 500, fetchBlock }));
    expect(q1.head?.number).toBe(100);
    expect(q1.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'unverified' });
    const q2 = await rq.decide(input([ok(111, 7), ok(101), ok(101)], { now: 1500, fetchBlock }));
    expect(q2.head?.number).toBe(101);
    expect(q2.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'inconsistent-chain' });
  });

  it('an endpoint pulling away from a replica that just froze stays believed: it carries the block already believed above the replica', async () => {
    const rq = quorum();
    const knownTip = { number: 103, hash: block(103).hash };
    // Replica 0 froze at 100 a moment ago; endpoint 1 errors; endpoint 2 was believed up to 103.
    await rq.decide(input([ok(100), err('garbage'), ok(100)], { now: 0 }));
    const q = await rq.decide(input([ok(100), err('garbage'), ok(107)], { now: 500, knownTip }));
    expect(q.head?.number).toBe(107);
    expect(healths(q)).toEqual(['lagging', 'failing', 'healthy']);
    const later = input([ok(100), err('garbage'), ok(108)], {
      now: 1500,
      knownTip: { number: 107, hash: block(107).hash },
    });
    const q2 = await rq.decide(later);
    expect(q2.head?.number).toBe(108);
    expect(healths(q2)).toEqual(['lagging', 'failing', 'healthy']);
  });

  it('an endpoint far ahead of moving replicas is believed once its chain matched at two of their heights', async () => {
    const rq = quorum();
    const q1 = await rq.decide(input([ok(130), ok(100), ok(100)], { now: 0 }));
    expect(q1.head?.number).toBe(100);
    const q2 = await rq.decide(input([ok(131), ok(101), ok(101)], { now: 1000 }));
    expect(q2.head?.number).toBe(131);
    expect(healths(q2)).toEqual(['healthy', 'lagging', 'lagging']);
  });

  it('an endpoint ahead whose chain cannot be checked is not believed until a peer confirms it', async () => {
    const rq = quorum();
    const fetchBlock = async () => {
      throw new Error('timeout');
    };
    const q1 = await rq.decide(input([ok(60), ok(50), ok(50)], { fetchBlock }));
    expect(q1.head?.number).toBe(50);
    expect(q1.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'unverified' });
    // A second endpoint reaches the same block: confirmed without any extra read.
    const q2 = await rq.decide(input([ok(60), ok(60), ok(50)], { fetchBlock }));
    expect(q2.head?.number).toBe(60);
    expect(healths(q2)).toEqual(['healthy', 'healthy', 'lagging']);
  });

  it('two endpoints with different blocks at the same height are both distrusted; a third agreeing one is believed', async () => {
    const q = await quorum().decide(input([ok(100, 1), ok(100), ok(99)]));
    expect(healths(q)).toEqual(['failing', 'failing', 'healthy']);
    expect(q.head?.number).toBe(99);
  });

  it('endpoints behind the head already seen on the same chain give no head (it never goes backwards); a rollback with new hashes is believed', async () => {
    const knownTip = { number: 80, hash: block(80).hash };
    const lagging = await quorum().decide(
      input([ok(37), ok(37), err('timeout')], { knownTip, knownHashAt: (n) => block(n).hash }),
    );
    expect(lagging.head).toBeNull();
    expect(lagging.reason).toMatch(/behind the head already seen \(80\)/);
    expect(healths(lagging)).toEqual(['lagging', 'lagging', 'failing']);
    const rolledBack = await quorum().decide(
      input([ok(70, 2), ok(70, 2)], { knownTip, knownHashAt: (n) => block(n).hash }),
    );
    expect(rolledBack.head?.hash).toBe(block(70, 2).hash);
  });

  it('the only endpoint answering is not believed when its chain contradicts the head already believed (its peers timed out under load while it serves a fork)', async () => {
    // Found by the fork-ahead-1-of-3 devnet replay: the watcher believed 59, both honest endpoints
    // timed out in one poll, the forked one (split at 58, 10 blocks ahead) was believed alone and
    // the head tracker recorded a depth-1 reorg at 59 that never happened.
    const knownTip = { number: 59, hash: block(59).hash };
    const at = (n: number) => (n <= 58 ? block(n).hash : n === 59 ? knownTip.hash : undefined);
    const forkInput = input([ok(68, 1), err('timeout'), err('timeout')], {
      knownTip,
      knownHashAt: at,
      forks: [1, 0, 0],
    });
    const q = await quorum().decide(forkInput);
    expect(q.head).toBeNull();
    expect(forkInput.fetches).toEqual([[0, 59]]);
    expect(q.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'inconsistent-chain' });
    expect(q.reason).toMatch(/^only endpoint 0 answered and it is not believed alone/);
    // Same height with another hash, or a head whose parent is not the believed tip: no read needed.
    const same = input([ok(59, 1), err('timeout')], { knownTip, knownHashAt: at });
    expect((await quorum().decide(same)).head).toBeNull();
    const next = input([err('timeout'), ok(60, 1)], { knownTip, knownHashAt: at });
    expect((await quorum().decide(next)).head).toBeNull();
    expect([...same.fetches, ...next.fetches]).toEqual([]);
    // A lower head with another hash is a rollback only two endpoints can show.
    const rollback = input([ok(57, 2), err('timeout')], { knownTip, knownHashAt: at });
    expect((await quorum().decide(rollback)).head).toBeNull();
  });

  it('the only endpoint answering is believed when it carries the head already believed; unverified when that cannot be read', async () => {
    const knownTip = { number: 59, hash: block(59).hash };
    const knownHashAt = (n: number) => (n <= 59 ? block(n).hash : undefined);
    const ahead = input([err('timeout'), ok(64), err('timeout')], { knownTip, knownHashAt });
    const q = await quorum().decide(ahead);
    expect(q.head?.number).toBe(64);
    expect(q.chosen).toBe(1);
    expect(ahead.fetches).toEqual([[1, 59]]);
    for (const n of [59, 60, 58]) {
      const r = await quorum().decide(input([ok(n), err('timeout')], { knownTip, knownHashAt }));
      expect(r.head?.number).toBe(n);
    }
    const unreadable = await quorum().decide(
      input([ok(70), err('timeout')], { knownTip, knownHashAt, fetchBlock: async () => null }),
    );
    expect(unreadable.head).toBeNull();
    expect(unreadable.verdicts[0]).toMatchObject({ reasonCode: 'unverified' });
  });

  it('a chain with one endpoint configured believes it as it is (nothing else can confirm it; the head tracker records the reorg)', async () => {
    const knownTip = { number: 59, hash: block(59).hash };
    const q = await quorum().decide(
      input([ok(68, 1)], { knownTip, knownHashAt: (n) => block(n).hash, forks: [1] }),
    );
    expect(q.head?.hash).toBe(block(68, 1).hash);
  });

  it('an endpoint far ahead that matches the peer below but contradicts the block already believed above it is not believed, however often it matched', async () => {
    const rq = quorum();
    const knownTip = { number: 59, hash: block(59).hash };
    const knownHashAt = (n: number) => (n <= 59 ? block(n).hash : undefined);
    // Endpoint 0 has the canonical chain up to 57, then its own blocks.
    const fetchBlock = async (i: number, n: number) => block(n, i === 0 && n > 57 ? 1 : 0);
    for (const [now, peer] of [
      [0, 56],
      [1_000, 57],
    ] as const) {
      const q = await rq.decide(
        input([ok(70, 1), ok(peer)], { now, knownTip, knownHashAt, fetchBlock }),
      );
      expect(q.chosen).toBe(1);
      expect(q.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'unverified' });
    }
  });

  it('every endpoint stuck at the same block: all healthy, that head believed (the halt is the truth)', async () => {
    const rq = quorum();
    await rq.decide(input([ok(37), ok(37), ok(37)], { now: 0 }));
    const q = await rq.decide(input([ok(37), ok(37), ok(37)], { now: 60_000 }));
    expect(q.head?.number).toBe(37);
    expect(healths(q)).toEqual(['healthy', 'healthy', 'healthy']);
  });

  it('trusts nothing when every endpoint fails', async () => {
    const q = await quorum().decide(input([err('timeout'), err('garbage')]));
    expect(q.head).toBeNull();
    expect(q.reason).toMatch(/none of the 2/);
  });

  it('an endpoint a few blocks ahead (within tolerance) is believed only when its block at the peer’s height is the peer’s', async () => {
    // Endpoint 0 split off below the peers' head and runs 2 blocks ahead: believing it unchecked
    // made the head tracker follow its parents and record a reorg only that endpoint saw.
    const forked = input([ok(102, 1), ok(100), ok(100)], { forks: [1, 0, 0] });
    const q = await quorum().decide(forked);
    expect(q.chosen).toBe(1);
    expect(q.head?.number).toBe(100);
    expect(q.verdicts[0]).toMatchObject({ health: 'failing', reasonCode: 'inconsistent-chain' });
    expect(forked.fetches).toEqual([[0, 100]]);
    const same = input([ok(102), ok(100), ok(100)]);
    const q2 = await quorum().decide(same);
    expect(q2.chosen).toBe(0);
    expect(healths(q2)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(same.fetches).toEqual([[0, 100]]);
    // Its block could not be read: not believed this poll, the peer is.
    const unreadable = await quorum().decide(
      input([ok(102), ok(100)], { fetchBlock: async () => null }),
    );
    expect(unreadable.chosen).toBe(1);
    expect(unreadable.verdicts[0]).toMatchObject({ reasonCode: 'unverified' });
  });

  it('within tolerance every answering endpoint is healthy', async () => {
    const q = await quorum().decide(input([ok(100), ok(97)]));
    expect(q.verdicts.every((v) => v.health === 'healthy')).toBe(true);
    expect(q.head?.number).toBe(100);
  });

  it('keeps head progress from an earlier run: stuck counts from the persisted change time', async () => {
    const rq = new RpcQuorum({
      lagToleranceBlocks: 6,
      stuckAfterMs: 10_000,
      initial: [{ number: 37, hash: block(37).hash, timestamp: 0, changedAt: 0 }, null],
    });
    const q = await rq.decide(input([ok(37), ok(60)], { now: 12_000 }));
    expect(healths(q)).toEqual(['stuck', 'healthy']);
    expect(rq.progress[0]?.changedAt).toBe(0);
    expect(rq.progress[1]).toMatchObject({ number: 60, changedAt: 12_000 });
  });
});
