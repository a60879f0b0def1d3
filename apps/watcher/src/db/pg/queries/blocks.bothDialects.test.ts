import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import {
  BIG_BLOCK,
  BIG_CHAIN,
  block,
  chainsBlocksDialects,
  type Dialect,
  NOW,
  type Store,
} from './chainsBlocksTestDialects.js';

// The block queries on SQLite and their PostgreSQL twins (`./blocks.ts`), one suite for both: the
// same calls must give the same results (see `chainsBlocksTestDialects.ts`).

const dialects = chainsBlocksDialects(bothDialects('blocks'));

describe.each(dialects)('block queries on %s', (_name, open) => {
  let d: Dialect;
  let s: Store;
  beforeAll(async () => {
    d = await open();
    s = d.store;
  });
  afterAll(() => d?.close());

  const heights = [0, 1, 2, 3, 4].map((i) => BIG_BLOCK + i);

  it('before any block: no blocks, no times', async () => {
    expect(await s.recentCanonicalBlocks(BIG_CHAIN, 10)).toEqual([]);
    expect(await s.firstSeenAt(BIG_CHAIN)).toBeNull();
    expect(await s.lastCanonicalSeenBefore({ chainId: BIG_CHAIN, beforeMs: NOW * 2 })).toBeNull();
    expect(await s.canonicalHeadTimes({ chainId: BIG_CHAIN, fromMs: 0, toMs: NOW * 2 })).toEqual(
      [],
    );
    await s.insertBlocks([]); // an empty batch writes nothing
    expect(await s.recentCanonicalBlocks(BIG_CHAIN, 10)).toEqual([]);
  });

  it('insertBlocks stores a batch; recentCanonicalBlocks gives it back newest first, per chain, limited', async () => {
    await s.insertBlocks(heights.map((n) => block(n)));
    await s.insertBlocks([block(7, { chainId: 10, seenAt: NOW - 60_000 })]);
    expect(await s.recentCanonicalBlocks(BIG_CHAIN, 10)).toEqual(
      [...heights].reverse().map((n) => block(n)),
    );
    expect((await s.recentCanonicalBlocks(BIG_CHAIN, 2)).map((b) => b.number)).toEqual([
      BIG_BLOCK + 4,
      BIG_BLOCK + 3,
    ]);
    const [newest] = await s.recentCanonicalBlocks(BIG_CHAIN, 1);
    expect(newest).toEqual({
      chainId: 4_294_967_297,
      number: 25_000_000_004,
      hash: '0x00000000000000000000000000000000000000000000000000000005d21dba04',
      parentHash: '0x00000000000000000000000000000000000000000000000000000005d21dba03',
      timestamp: 1_790_000_004,
      txCount: 3,
      seenAt: 1_790_000_004_123,
    });
    expect(await s.recentCanonicalBlocks(10, 10)).toEqual([
      block(7, { chainId: 10, seenAt: NOW - 60_000 }),
    ]);
    expect(await s.recentCanonicalBlocks(11, 10)).toEqual([]);
  });

  it('re-ingesting stored blocks duplicates nothing and keeps their first values', async () => {
    await s.insertBlocks(heights.map((n) => block(n, { seenAt: NOW + 999_999, txCount: 99 })));
    expect(await s.recentCanonicalBlocks(BIG_CHAIN, 10)).toEqual(
      [...heights].reverse().map((n) => block(n)),
    );
    // A chain + number + hash repeated within one batch is stored once, with its first values.
    const n = BIG_BLOCK + 5;
    await s.insertBlocks([block(n), block(n, { seenAt: NOW + 888_888 }), block(n)]);
    const stored = await s.recentCanonicalBlocks(BIG_CHAIN, 10);
    expect(stored.length).toBe(6);
    expect(stored[0]).toEqual(block(n));
  });

  it('markNonCanonical hides exactly the given blocks from the canonical reads; re-ingest restores them', async () => {
    const last = BIG_BLOCK + 5;
    // A sibling at the same height (another hash) stays canonical.
    const sibling = block(last, { hash: '0xsibling', seenAt: block(last).seenAt + 500 });
    await s.insertBlocks([sibling]);
    await s.markNonCanonical({ chainId: BIG_CHAIN, blocks: [] });
    await s.markNonCanonical({
      chainId: BIG_CHAIN,
      blocks: [
        { number: last, hash: block(last).hash },
        { number: BIG_BLOCK + 4, hash: block(BIG_BLOCK + 4).hash },
        { number: BIG_BLOCK + 3, hash: '0xnot-stored' },
      ],
    });
    await s.markNonCanonical({ chainId: 10, blocks: [{ number: 7, hash: block(7).hash }] });
    expect((await s.recentCanonicalBlocks(BIG_CHAIN, 10)).map((b) => [b.number, b.hash])).toEqual([
      [last, '0xsibling'],
      [BIG_BLOCK + 3, block(BIG_BLOCK + 3).hash],
      [BIG_BLOCK + 2, block(BIG_BLOCK + 2).hash],
      [BIG_BLOCK + 1, block(BIG_BLOCK + 1).hash],
      [BIG_BLOCK, block(BIG_BLOCK).hash],
    ]);
    expect(await s.recentCanonicalBlocks(10, 10)).toEqual([]);
    // The reorged-out block comes back (same hash) on the canonical chain: canonical again, with
    // its first values.
    await s.insertBlocks([block(BIG_BLOCK + 4, { seenAt: NOW + 777_777 })]);
    expect((await s.recentCanonicalBlocks(BIG_CHAIN, 2)).map((b) => [b.number, b.seenAt])).toEqual([
      [last, sibling.seenAt],
      [BIG_BLOCK + 4, block(BIG_BLOCK + 4).seenAt],
    ]);
  });

  it('lastCanonicalSeenBefore: newest canonical seen strictly before, per chain', async () => {
    const seen = (i: number) => NOW + i * 1000;
    const before = (beforeMs: number) =>
      s.lastCanonicalSeenBefore({ chainId: BIG_CHAIN, beforeMs });
    expect(await before(seen(0))).toBeNull();
    expect(await before(seen(0) + 1)).toBe(seen(0));
    expect(await before(seen(3))).toBe(seen(2));
    expect(await before(seen(4) + 0.5)).toBe(seen(4));
    // Height +5's first block is not canonical; its sibling (seen 500 ms later) is.
    expect(await before(seen(5) + 1)).toBe(seen(4));
    expect(await before(seen(5) + 501)).toBe(seen(5) + 500);
    // Chain 10's only block is not canonical.
    expect(await s.lastCanonicalSeenBefore({ chainId: 10, beforeMs: NOW * 2 })).toBeNull();
  });

  it('canonicalHeadTimes: first sight of each canonical height within the bounds (inclusive), oldest first', async () => {
    const seen = (i: number) => NOW + i * 1000;
    const times = (fromMs: number, toMs: number) =>
      s.canonicalHeadTimes({ chainId: BIG_CHAIN, fromMs, toMs });
    expect(await times(0, NOW * 2)).toEqual([
      seen(0),
      seen(1),
      seen(2),
      seen(3),
      seen(4),
      seen(5) + 500,
    ]);
    expect(await times(seen(1), seen(3))).toEqual([seen(1), seen(2), seen(3)]);
    expect(await times(seen(1) + 0.5, seen(3) - 0.5)).toEqual([seen(2)]);
    expect(await times(seen(3) + 1, seen(4) - 1)).toEqual([]);
    // Two canonical blocks at one height count once, at the first sight (ordered by it: the
    // other block of height +1 is seen after height +2).
    const other = block(BIG_BLOCK + 1, { hash: '0xother', seenAt: seen(2) + 200 });
    await s.insertBlocks([other]);
    expect(await times(seen(1), seen(3))).toEqual([seen(1), seen(2), seen(3)]);
    await s.markNonCanonical({
      chainId: BIG_CHAIN,
      blocks: [{ number: BIG_BLOCK + 1, hash: block(BIG_BLOCK + 1).hash }],
    });
    expect(await times(seen(1), seen(3))).toEqual([seen(2), seen(2) + 200, seen(3)]);
    expect(await s.canonicalHeadTimes({ chainId: 10, fromMs: 0, toMs: NOW * 2 })).toEqual([]);
  });

  it('firstSeenAt: the first block stored for the chain, canonical or not', async () => {
    expect(await s.firstSeenAt(BIG_CHAIN)).toBe(NOW);
    expect(await s.firstSeenAt(10)).toBe(NOW - 60_000); // its only block is reorged out
    expect(await s.firstSeenAt(11)).toBeNull();
    await s.insertBlocks([block(BIG_BLOCK - 1, { seenAt: NOW - 5 })]);
    expect(await s.firstSeenAt(BIG_CHAIN)).toBe(NOW - 5);
  });

  it('block writes inside a transaction that rolls back leave nothing', async () => {
    const before = await s.recentCanonicalBlocks(BIG_CHAIN, 100);
    await d.rolledBack(async (tx) => {
      await tx.insertBlocks([block(BIG_BLOCK + 50), block(BIG_BLOCK + 51)]);
      await tx.markNonCanonical({
        chainId: BIG_CHAIN,
        blocks: [{ number: BIG_BLOCK, hash: block(BIG_BLOCK).hash }],
      });
      expect((await tx.recentCanonicalBlocks(BIG_CHAIN, 1))[0]?.number).toBe(BIG_BLOCK + 51);
    });
    expect(await s.recentCanonicalBlocks(BIG_CHAIN, 100)).toEqual(before);
  });

  it('a batch of 3,000 blocks over several chains is stored whole', async () => {
    const many = Array.from({ length: 3_000 }, (_, i) =>
      block(BIG_BLOCK + 1_000 + i, { chainId: 100 + (i % 3), txCount: i % 7 }),
    );
    await s.insertBlocks(many);
    for (const chainId of [100, 101, 102]) {
      const mine = many.filter((b) => b.chainId === chainId);
      expect(await s.recentCanonicalBlocks(chainId, 5_000)).toEqual(mine.reverse());
    }
  });
});
