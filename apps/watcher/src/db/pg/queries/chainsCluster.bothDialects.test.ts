import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { combineObserverEvaluations } from '../../../cluster/observerQuorum.js';
import {
  type ChainStateRecord,
  initialChainState,
} from '../../../subjects/sequencer/chainStateRecord.js';
import type { ChainObservation } from '../../queries/chains.js';
import {
  BIG_BLOCK,
  BIG_CHAIN,
  base,
  bigL2,
  chainConfigs,
  chainsBlocksDialects,
  type Dialect,
  NOW,
  type Store,
} from './chainsBlocksTestDialects.js';

// Several watchers on one database (issue 17), on SQLite and PostgreSQL alike: owners of chains
// (sharded mode: each watcher prunes only its own rows), RPC endpoint health per observer, and
// per-observer chain observations (redundant mode: the quorum's input). Each suite starts from an
// empty database of its own.

const dialects = chainsBlocksDialects(bothDialects('chains_cluster'));

/** One endpoint's health as `updateRpcHealth` takes it. */
const health = (position: number, status: string, headNumber: number | null, at: number) => ({
  chainId: BIG_CHAIN,
  position,
  health: status,
  headNumber,
  latencyMs: 40 + position,
  lastOkAt: at,
  lastError: null,
  consecutiveFailures: 0,
  malformedResponses: 0,
  updatedAt: at,
});

describe.each(dialects)('chain owners on %s', (_name, open) => {
  let d: Dialect;
  let s: Store;
  beforeAll(async () => {
    d = await open();
    s = d.store;
  });
  afterAll(() => d?.close());

  it('a single watcher (default owner): chains are "local" and pruning works as before owners', async () => {
    const [big, b] = chainConfigs([bigL2, base]);
    await s.upsertChains([big!, b!], NOW);
    expect(await s.chainOwners()).toEqual([
      { chainId: 8453, owner: 'local' },
      { chainId: BIG_CHAIN, owner: 'local' },
    ]);
    await s.pruneChains([BIG_CHAIN]);
    expect(await s.listChainIds()).toEqual([BIG_CHAIN]);
    await s.pruneChains([]);
    expect(await s.chainOwners()).toEqual([]);
  });

  it('two owners never prune each other’s chains; each prunes its own', async () => {
    const [big, b] = chainConfigs([bigL2, base]);
    await s.upsertChains([big!], NOW, 'watcher-a');
    await s.upsertChains([b!], NOW + 1, 'watcher-b');
    expect(await s.chainOwners()).toEqual([
      { chainId: 8453, owner: 'watcher-b' },
      { chainId: BIG_CHAIN, owner: 'watcher-a' },
    ]);
    // Each keeps its own list: the other's chain is not in it, and stays.
    await s.pruneChains([BIG_CHAIN], 'watcher-a');
    await s.pruneChains([8453], 'watcher-b');
    expect(await s.listChainIds()).toEqual([8453, BIG_CHAIN]);
    // A single-watcher prune (owner "local") touches neither.
    await s.pruneChains([]);
    expect(await s.listChainIds()).toEqual([8453, BIG_CHAIN]);
    // watcher-a drops its chain: only that one goes.
    await s.pruneChains([], 'watcher-a');
    expect(await s.listChainIds()).toEqual([8453]);
    expect((await s.listChains()).map((r) => r.config.name)).toEqual(['Base']);
  });

  it('upserting a chain another watcher owned takes it over (one owner per chain)', async () => {
    const [b] = chainConfigs([base]);
    await s.upsertChains([b!], NOW + 2, 'watcher-a');
    expect(await s.chainOwners()).toEqual([{ chainId: 8453, owner: 'watcher-a' }]);
    await s.pruneChains([], 'watcher-b'); // no longer watcher-b's: stays
    expect(await s.listChainIds()).toEqual([8453]);
    await s.pruneChains([], 'watcher-a');
    expect(await s.listChainIds()).toEqual([]);
  });
});

describe.each(dialects)('RPC endpoint health per observer on %s', (_name, open) => {
  let d: Dialect;
  let s: Store;
  beforeAll(async () => {
    d = await open();
    s = d.store;
  });
  afterAll(() => d?.close());

  it('two observers of one chain each get their own endpoint rows; updates touch only their own', async () => {
    const [big] = chainConfigs([bigL2]);
    await s.upsertChains([big!], NOW, 'shared', 'watcher-a');
    await s.upsertChains([big!], NOW, 'shared', 'watcher-b');
    expect(await s.rpcHealthOf(BIG_CHAIN)).toEqual([]); // nobody observes as "local"
    await s.updateRpcHealth([health(0, 'healthy', BIG_BLOCK, NOW + 1)], 'watcher-a');
    await s.updateRpcHealth(
      [health(0, 'failing', null, NOW + 2), health(1, 'lagging', BIG_BLOCK - 5, NOW + 2)],
      'watcher-b',
    );
    await s.updateRpcHealth([health(1, 'healthy', 1, NOW + 3)]); // "local": no such rows
    expect(await s.rpcHealthOf(BIG_CHAIN, 'watcher-a')).toEqual([
      {
        ...health(0, 'healthy', BIG_BLOCK, NOW + 1),
        observer: 'watcher-a',
        url: 'https://rpc.example.org/…',
      },
      {
        chainId: BIG_CHAIN,
        observer: 'watcher-a',
        url: 'https://rpc2.example.org:8545/',
        position: 1,
        health: 'unknown',
        headNumber: null,
        latencyMs: null,
        lastOkAt: null,
        lastError: null,
        consecutiveFailures: 0,
        malformedResponses: 0,
        updatedAt: NOW,
      },
    ]);
    expect(
      (await s.rpcHealthByObserver(BIG_CHAIN)).map((r) => [
        r.position,
        r.observer,
        r.health,
        r.headNumber,
      ]),
    ).toEqual([
      [0, 'watcher-a', 'healthy', BIG_BLOCK],
      [0, 'watcher-b', 'failing', null],
      [1, 'watcher-a', 'unknown', null],
      [1, 'watcher-b', 'lagging', BIG_BLOCK - 5],
    ]);
    expect(await s.rpcHealthByObserver(8453)).toEqual([]);
  });

  it('an observer’s changed endpoint list resets only its own rows; observer defaults to owner', async () => {
    const [moved] = chainConfigs([
      { ...bigL2, rpcUrls: ['https://rpc.example.org/v2/SECRETKEY123', 'https://rpc9.example/'] },
    ]);
    await s.upsertChains([moved!], NOW + 10, 'shared', 'watcher-b');
    expect(
      (await s.rpcHealthOf(BIG_CHAIN, 'watcher-b')).map((r) => [r.position, r.url, r.health]),
    ).toEqual([
      [0, 'https://rpc.example.org/…', 'failing'],
      [1, 'https://rpc9.example/', 'unknown'],
    ]);
    expect(
      (await s.rpcHealthOf(BIG_CHAIN, 'watcher-a')).map((r) => [r.position, r.url, r.health]),
    ).toEqual([
      [0, 'https://rpc.example.org/…', 'healthy'],
      [1, 'https://rpc2.example.org:8545/', 'unknown'],
    ]);
    // Sharded: owner and observer are the same watcher unless told otherwise.
    const [b] = chainConfigs([base]);
    await s.upsertChains([b!], NOW + 11, 'watcher-c');
    expect((await s.rpcHealthByObserver(8453)).map((r) => [r.observer, r.url])).toEqual([
      ['watcher-c', 'https://base.example.com/?…'],
    ]);
    expect(await s.chainOwners()).toEqual([
      { chainId: 8453, owner: 'watcher-c' },
      { chainId: BIG_CHAIN, owner: 'shared' },
    ]);
  });
});

/** `observer`'s observation of {@link BIG_CHAIN} at `at`. */
function observation(
  observer: string,
  at: number,
  status: ChainStateRecord['status'] | null,
  headNumber: number | null,
  chainId = BIG_CHAIN,
): ChainObservation {
  const state: ChainStateRecord = {
    ...initialChainState(chainId, at),
    status: status ?? 'unknown',
    head:
      headNumber === null ? null : { number: headNumber, hash: '0xab', timestamp: 1_790_000_000 },
    lastIncreaseAt: headNumber === null ? null : at - 500,
    lastIncreaseNumber: headNumber,
    reasons: [`${observer} says ${status}`],
    updatedAt: at,
  };
  return {
    chainId,
    observer,
    at,
    status,
    headNumber,
    headSeenAt: headNumber === null ? null : at - 500,
    state,
  };
}

describe.each(dialects)('chain observations on %s', (_name, open) => {
  let d: Dialect;
  let s: Store;
  beforeAll(async () => {
    d = await open();
    s = d.store;
  });
  afterAll(() => d?.close());

  it('write inserts one row per chain + observer, read back whole (big numbers, the state record)', async () => {
    expect(await s.chainObservationsOf(BIG_CHAIN)).toEqual([]);
    expect(await s.listChainObservations()).toEqual([]);
    const b = observation('watcher-b', NOW, 'up', BIG_BLOCK);
    const a = observation('watcher-a', NOW + 1, 'halted', BIG_BLOCK - 40);
    const other = observation('watcher-a', NOW, 'up', 7, 8453);
    await s.writeChainObservation(b);
    await s.writeChainObservation(a);
    await s.writeChainObservation(other);
    expect(await s.chainObservationsOf(BIG_CHAIN)).toEqual([a, b]);
    expect(await s.chainObservationsOf(8453)).toEqual([other]);
    expect(await s.chainObservationsOf(1)).toEqual([]);
    expect(await s.listChainObservations()).toEqual([other, a, b]);
    expect(typeof (await s.chainObservationsOf(BIG_CHAIN))[1]!.headNumber).toBe('number');
  });

  it('a second write of one observer replaces its row (nulls too); others stay', async () => {
    const blind = observation('watcher-a', NOW + 5_000, null, null);
    await s.writeChainObservation(blind);
    const rows = await s.chainObservationsOf(BIG_CHAIN);
    expect(rows).toEqual([blind, observation('watcher-b', NOW, 'up', BIG_BLOCK)]);
    expect(rows[0]).toMatchObject({ status: null, headNumber: null, headSeenAt: null });
  });

  it('the rows feed the observer quorum as they are', async () => {
    await s.writeChainObservation(observation('watcher-a', NOW + 6_000, 'halted', BIG_BLOCK - 40));
    await s.writeChainObservation(observation('watcher-b', NOW + 6_000, 'up', BIG_BLOCK + 2));
    const result = combineObserverEvaluations(await s.chainObservationsOf(BIG_CHAIN), {
      now: NOW + 7_000,
      freshMs: 10_000,
    });
    // One blind watcher does not report a halt: the least severe fresh voter wins.
    expect([result.status, result.observer]).toEqual(['up', 'watcher-b']);
  });

  it('prune deletes rows observed before the cutoff (exclusive) and says how many', async () => {
    // BIG_CHAIN: a and b at NOW + 6000; Base: a at NOW.
    expect(await s.pruneChainObservations({ olderThanMs: NOW })).toBe(0);
    expect(await s.pruneChainObservations({ olderThanMs: NOW + 6_000 })).toBe(1);
    expect((await s.listChainObservations()).map((o) => [o.chainId, o.observer])).toEqual([
      [BIG_CHAIN, 'watcher-a'],
      [BIG_CHAIN, 'watcher-b'],
    ]);
    expect(await s.pruneChainObservations({ olderThanMs: NOW + 6_001 })).toBe(2);
    expect(await s.listChainObservations()).toEqual([]);
  });

  it('an observation written in a transaction that rolls back leaves nothing', async () => {
    await d.rolledBack(async (tx) => {
      await tx.writeChainObservation(observation('watcher-a', NOW, 'up', 1));
      expect(await tx.chainObservationsOf(BIG_CHAIN)).toHaveLength(1);
    });
    expect(await s.chainObservationsOf(BIG_CHAIN)).toEqual([]);
  });
});
