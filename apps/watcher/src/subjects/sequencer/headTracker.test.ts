import { describe, expect, it } from 'vitest';
import type { ObservedBlock } from './chainRpc.js';
import { HeadTracker } from './headTracker.js';

/** A scripted chain: `fork(depth, tag)` replaces the top `depth` blocks with differently hashed ones. */
function fakeChain() {
  const blocks: ObservedBlock[] = [];
  let salt = 'a';
  const hash = (n: number, s: string) => `0x${s.repeat(8)}${n.toString(16).padStart(56, '0')}`;
  const mine = () => {
    const n = blocks.length;
    const parent = blocks[n - 1];
    blocks.push({
      number: n,
      hash: hash(n, salt),
      parentHash: parent ? parent.hash : `0x${'0'.repeat(64)}`,
      timestamp: 1000 + n,
      txCount: n % 2,
    });
  };
  return {
    mine: (k = 1) => {
      for (let i = 0; i < k; i++) mine();
    },
    fork: (depth: number, s: string) => {
      blocks.length -= depth;
      salt = s;
      for (let i = 0; i < depth; i++) mine();
    },
    head: () => blocks.at(-1)!,
    get: async (n: number) => blocks[n] ?? null,
  };
}

describe('HeadTracker', () => {
  it('fills gaps between polls and reports no reorg on a linear chain', async () => {
    const c = fakeChain();
    c.mine(5);
    const t = new HeadTracker({ keep: 64, maxBackfill: 64 });
    expect((await t.advance(c.head(), 1, c.get)).added.map((b) => b.number)).toEqual([4]);
    c.mine(3);
    const r = await t.advance(c.head(), 2, c.get);
    expect(r.added.map((b) => b.number)).toEqual([5, 6, 7]);
    expect(r.reorg).toBeNull();
  });

  it.each([1, 3])('detects a same-height reorg of depth %i', async (depth) => {
    const c = fakeChain();
    c.mine(10);
    const t = new HeadTracker({ keep: 64, maxBackfill: 64 });
    for (let n = 0; n < 10; n++) await t.advance((await c.get(n))!, n, c.get);
    c.fork(depth, 'b');
    const r = await t.advance(c.head(), 11, c.get);
    expect(r.reorg?.depth).toBe(depth);
    expect(r.reorg?.fromNumber).toBe(10 - depth);
    expect(r.added.map((b) => b.number)).toEqual(
      Array.from({ length: depth }, (_, i) => 10 - depth + i),
    );
  });

  it('detects a reorg seen only through a newer head (parent hash mismatch)', async () => {
    const c = fakeChain();
    c.mine(10);
    const t = new HeadTracker({ keep: 64, maxBackfill: 64 });
    await t.advance(c.head(), 1, c.get);
    for (let n = 0; n < 10; n++) await t.advance((await c.get(n))!, n, c.get);
    c.fork(2, 'c');
    c.mine(2);
    const r = await t.advance(c.head(), 2, c.get);
    expect(r.reorg?.depth).toBe(2);
    expect(r.added.map((b) => b.number)).toEqual([8, 9, 10, 11]);
  });

  it('ignores a replica that is slightly behind', async () => {
    const c = fakeChain();
    c.mine(10);
    const t = new HeadTracker({ keep: 64, maxBackfill: 64 });
    for (let n = 0; n < 10; n++) await t.advance((await c.get(n))!, n, c.get);
    const r = await t.advance((await c.get(7))!, 20, c.get);
    expect(r).toEqual({ added: [], reorg: null, skipped: 0 });
    expect(t.tip?.number).toBe(9);
  });

  it('restarts from the head when the gap is larger than maxBackfill', async () => {
    const c = fakeChain();
    c.mine(2);
    const t = new HeadTracker({ keep: 64, maxBackfill: 8 });
    await t.advance(c.head(), 1, c.get);
    c.mine(20);
    const r = await t.advance(c.head(), 2, c.get);
    expect(r.skipped).toBe(19);
    expect(r.added.map((b) => b.number)).toEqual([21]);
  });
});
