import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import {
  type ChainStateRecord,
  initialChainState,
} from '../../../subjects/sequencer/chainStateRecord.js';
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

// The chain queries on SQLite and their PostgreSQL twins (`./chains.ts`), one suite for both: the
// same calls must give the same results (see `chainsBlocksTestDialects.ts`).

const dialects = chainsBlocksDialects(bothDialects('chains'));

describe.each(dialects)('chain queries on %s', (_name, open) => {
  let d: Dialect;
  let s: Store;
  beforeAll(async () => {
    d = await open();
    s = d.store;
  });
  afterAll(() => d?.close());

  it('before any write: no chains, no state, no endpoints, no transitions', async () => {
    expect(await s.listChains()).toEqual([]);
    expect(await s.listChainIds()).toEqual([]);
    expect(await s.getChain(BIG_CHAIN)).toBeNull();
    expect(await s.readChainState(BIG_CHAIN)).toBeNull();
    expect(await s.rpcHealthOf(BIG_CHAIN)).toEqual([]);
    expect(await s.recentTransitions(BIG_CHAIN, 20)).toEqual([]);
    await s.upsertChains([], NOW); // nothing configured: nothing written
    expect(await s.listChainIds()).toEqual([]);
  });

  it('upsertChains stores the configs with redacted RPC URLs, listed by chain id', async () => {
    const [big, b] = chainConfigs([bigL2, base]);
    await s.upsertChains([big!, b!], NOW);
    expect(await s.listChainIds()).toEqual([8453, BIG_CHAIN]);
    const listed = await s.listChains();
    expect(listed.map((r) => r.config.rpcUrls)).toEqual([
      ['https://base.example.com/?…'],
      ['https://rpc.example.org/…', 'https://rpc2.example.org:8545/'],
    ]);
    expect(listed.map((r) => [r.config.chainId, r.config.name, r.config.key])).toEqual([
      [8453, 'Base', 'base'],
      [BIG_CHAIN, 'Big L2', 'big-l2'],
    ]);
    expect(listed[1]!.config).toEqual({ ...big!, rpcUrls: listed[1]!.config.rpcUrls });
    expect(listed.map((r) => r.state)).toEqual([null, null]);
    expect(await d.chainColumns()).toEqual([
      {
        chainId: 8453,
        key: 'base',
        name: 'Base',
        class: 'op-stack',
        blockTimeMs: 2000,
        updatedAt: NOW,
      },
      {
        chainId: BIG_CHAIN,
        key: 'big-l2',
        name: 'Big L2',
        class: 'other',
        blockTimeMs: null,
        updatedAt: NOW,
      },
    ]);
    expect(JSON.stringify(listed)).not.toMatch(/SECRETKEY123|apikey=abc/);
    expect(await s.getChain(8453)).toEqual(listed[0]);
    expect(await s.getChain(1)).toBeNull();
    expect(await s.rpcHealthOf(BIG_CHAIN)).toEqual([
      {
        chainId: BIG_CHAIN,
        observer: 'local',
        url: 'https://rpc.example.org/…',
        position: 0,
        health: 'unknown',
        headNumber: null,
        latencyMs: null,
        lastOkAt: null,
        lastError: null,
        consecutiveFailures: 0,
        malformedResponses: 0,
        updatedAt: NOW,
      },
      {
        chainId: BIG_CHAIN,
        observer: 'local',
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
  });

  it('updateRpcHealth updates every health column of the addressed row only (big numbers too)', async () => {
    const update = {
      chainId: BIG_CHAIN,
      position: 1,
      health: 'failing',
      headNumber: BIG_BLOCK,
      latencyMs: 87,
      lastOkAt: NOW,
      lastError: 'timeout after 2000 ms',
      consecutiveFailures: 3,
      malformedResponses: 2,
      updatedAt: NOW + 1_000,
    };
    await s.updateRpcHealth([update]);
    await s.updateRpcHealth([update]); // a cached statement, a second time
    await s.updateRpcHealth([]); // nothing to write
    const rows = await s.rpcHealthOf(BIG_CHAIN);
    expect(rows[1]).toEqual({
      ...update,
      observer: 'local',
      url: 'https://rpc2.example.org:8545/',
    });
    expect(typeof rows[1]!.headNumber).toBe('number');
    expect(rows[0]).toMatchObject({ health: 'unknown', headNumber: null, updatedAt: NOW });
    // A row for an endpoint that does not exist changes nothing (and creates nothing).
    await s.updateRpcHealth([{ ...update, position: 7, health: 'healthy' }]);
    expect((await s.rpcHealthOf(BIG_CHAIN)).map((r) => [r.position, r.health])).toEqual([
      [0, 'unknown'],
      [1, 'failing'],
    ]);
    expect((await s.rpcHealthOf(8453)).map((r) => r.health)).toEqual(['unknown']);
  });

  it('updateRpcHealth writes several rows in one call; a repeated endpoint ends with its last row', async () => {
    const row = (position: number, health: string, latencyMs: number | null) => ({
      chainId: BIG_CHAIN,
      position,
      health,
      headNumber: null,
      latencyMs,
      lastOkAt: null,
      lastError: null,
      consecutiveFailures: 0,
      malformedResponses: 0,
      updatedAt: NOW + 2_000,
    });
    await s.updateRpcHealth([row(0, 'lagging', 10), row(1, 'healthy', 11), row(0, 'stuck', 12)]);
    expect(
      (await s.rpcHealthOf(BIG_CHAIN)).map((r) => [r.position, r.health, r.latencyMs, r.lastError]),
    ).toEqual([
      [0, 'stuck', 12, null],
      [1, 'healthy', 11, null],
    ]);
  });

  it('upsertChains again keeps the health of unchanged endpoints and resets changed or removed ones', async () => {
    await s.updateRpcHealth(
      [0, 1].map((position) => ({
        chainId: BIG_CHAIN,
        position,
        health: 'healthy',
        headNumber: BIG_BLOCK + position,
        latencyMs: 5,
        lastOkAt: NOW + 3_000,
        lastError: null,
        consecutiveFailures: 0,
        malformedResponses: 1,
        updatedAt: NOW + 3_000,
      })),
    );
    // The same configuration again (a restart): nothing is lost.
    const [big, b] = chainConfigs([bigL2, base]);
    await s.upsertChains([big!, b!], NOW + 4_000);
    expect((await s.rpcHealthOf(BIG_CHAIN)).map((r) => [r.health, r.headNumber])).toEqual([
      ['healthy', BIG_BLOCK],
      ['healthy', BIG_BLOCK + 1],
    ]);
    // The key of the first URL changes (same redacted URL: the row stays), the second URL is
    // replaced and a third is added; Base loses its only endpoint to another one; a new name.
    const [big2, b2] = chainConfigs([
      {
        ...bigL2,
        name: 'Big L2 (renamed)',
        rpcUrls: [
          'https://rpc.example.org/v2/OTHERKEY',
          'https://rpc3.example.org/',
          'https://rpc4.example.org/',
        ],
      },
      { ...base, rpcUrls: ['https://base2.example.com/'] },
    ]);
    await s.upsertChains([big2!, b2!], NOW + 5_000);
    expect(
      (await s.rpcHealthOf(BIG_CHAIN)).map((r) => [r.position, r.url, r.health, r.updatedAt]),
    ).toEqual([
      [0, 'https://rpc.example.org/…', 'healthy', NOW + 3_000],
      [1, 'https://rpc3.example.org/', 'unknown', NOW + 5_000],
      [2, 'https://rpc4.example.org/', 'unknown', NOW + 5_000],
    ]);
    expect((await s.rpcHealthOf(8453)).map((r) => [r.position, r.url, r.health])).toEqual([
      [0, 'https://base2.example.com/', 'unknown'],
    ]);
    expect((await s.getChain(BIG_CHAIN))?.config.name).toBe('Big L2 (renamed)');
    expect((await d.chainColumns()).map((r) => [r.chainId, r.name, r.updatedAt])).toEqual([
      [8453, 'Base', NOW + 5_000],
      [BIG_CHAIN, 'Big L2 (renamed)', NOW + 5_000],
    ]);
    // Fewer URLs: the endpoints past the end go.
    await s.upsertChains([big2!, { ...b2!, rpcUrls: [] }], NOW + 6_000);
    expect(await s.rpcHealthOf(8453)).toEqual([]);
    expect((await s.rpcHealthOf(BIG_CHAIN)).length).toBe(3);
  });

  it('upsertChains given one chain id twice keeps the last config of it', async () => {
    // Two entries of one id would not pass the config loader: build them apart.
    const [first] = chainConfigs([
      {
        ...base,
        chainId: 777,
        key: 'first',
        name: 'First',
        rpcUrls: ['https://one.example/', 'https://two.example/'],
      },
    ]);
    const [last] = chainConfigs([
      { ...base, chainId: 777, key: 'last', name: 'Last', rpcUrls: ['https://three.example/'] },
    ]);
    await s.upsertChains([first!, last!], NOW);
    expect((await s.getChain(777))?.config.name).toBe('Last');
    expect((await d.chainColumns()).find((r) => r.chainId === 777)?.key).toBe('last');
    expect((await s.rpcHealthOf(777)).map((r) => r.url)).toEqual(['https://three.example/']);
    await s.pruneChains([8453, BIG_CHAIN]);
    expect(await s.listChainIds()).toEqual([8453, BIG_CHAIN]);
  });

  it('writeChainState inserts, then replaces, one row per chain; reads and listings follow', async () => {
    const first: ChainStateRecord = { ...initialChainState(BIG_CHAIN, NOW), updatedAt: NOW };
    const second: ChainStateRecord = {
      ...first,
      status: 'up',
      statusSince: NOW + 2_000,
      head: { number: BIG_BLOCK, hash: '0xabc', timestamp: 1_790_000_002 },
      lastIncreaseAt: NOW + 2_000,
      lastIncreaseNumber: BIG_BLOCK,
      reasons: [],
      updatedAt: NOW + 2_000,
    };
    await s.writeChainState(first);
    expect(await s.readChainState(BIG_CHAIN)).toEqual(first);
    expect((await s.getChain(BIG_CHAIN))?.state).toEqual(first);
    await s.writeChainState(second);
    expect(await s.readChainState(BIG_CHAIN)).toEqual(second);
    expect((await s.getChain(BIG_CHAIN))?.state).toEqual(second);
    expect((await s.listChains()).map((r) => r.state)).toEqual([null, second]);
    expect(await s.readChainState(8453)).toBeNull();
  });

  it('pruneChains removes unlisted chains from the listing only; their state and endpoints stay', async () => {
    await s.pruneChains([BIG_CHAIN, 99]);
    expect(await s.listChainIds()).toEqual([BIG_CHAIN]);
    await s.pruneChains([]);
    expect(await s.listChainIds()).toEqual([]);
    expect(await s.listChains()).toEqual([]);
    expect(await s.getChain(BIG_CHAIN)).toBeNull();
    expect((await s.readChainState(BIG_CHAIN))?.status).toBe('up');
    expect((await s.rpcHealthOf(BIG_CHAIN)).length).toBe(3);
    const [big] = chainConfigs([bigL2]);
    await s.upsertChains([big!], NOW + 7_000); // configured again: listed with its stored state
    expect((await s.listChains()).map((r) => [r.config.chainId, r.state?.status])).toEqual([
      [BIG_CHAIN, 'up'],
    ]);
  });

  it('insertTransition appends with increasing ids; recentTransitions is newest first, per chain, limited', async () => {
    const t = (chainId: number, at: number, fromStatus: string, toStatus: string) => ({
      chainId,
      at,
      fromStatus,
      toStatus,
      reasonsJson: JSON.stringify([`${fromStatus} → ${toStatus}`]),
      flagsJson: '{"reorg":false}',
    });
    await s.insertTransition(t(BIG_CHAIN, NOW, 'unknown', 'up'));
    await s.insertTransition(t(8453, NOW + 1, 'unknown', 'up'));
    await s.insertTransition(t(BIG_CHAIN, NOW + 2, 'up', 'halted'));
    await s.insertTransition(t(BIG_CHAIN, NOW + 3, 'halted', 'recovering'));
    expect(await s.recentTransitions(BIG_CHAIN, 20)).toEqual([
      { id: 4, ...t(BIG_CHAIN, NOW + 3, 'halted', 'recovering') },
      { id: 3, ...t(BIG_CHAIN, NOW + 2, 'up', 'halted') },
      { id: 1, ...t(BIG_CHAIN, NOW, 'unknown', 'up') },
    ]);
    expect((await s.recentTransitions(BIG_CHAIN, 2)).map((r) => r.id)).toEqual([4, 3]);
    expect((await s.recentTransitions(8453, 20)).map((r) => [r.id, r.at])).toEqual([[2, NOW + 1]]);
    expect(await s.recentTransitions(1, 20)).toEqual([]);
  });

  it('poll writes inside a transaction that rolls back leave nothing', async () => {
    const before = {
      state: await s.readChainState(BIG_CHAIN),
      rpcs: await s.rpcHealthOf(BIG_CHAIN),
      transitions: await s.recentTransitions(BIG_CHAIN, 20),
    };
    await d.rolledBack(async (tx) => {
      await tx.writeChainState({
        ...initialChainState(BIG_CHAIN, NOW + 9_000),
        status: 'halted',
        updatedAt: NOW + 9_000,
      });
      await tx.updateRpcHealth([
        {
          chainId: BIG_CHAIN,
          position: 0,
          health: 'failing',
          headNumber: null,
          latencyMs: null,
          lastOkAt: null,
          lastError: 'x',
          consecutiveFailures: 9,
          malformedResponses: 0,
          updatedAt: NOW + 9_000,
        },
      ]);
      await tx.insertTransition({
        chainId: BIG_CHAIN,
        at: NOW + 9_000,
        fromStatus: 'up',
        toStatus: 'halted',
        reasonsJson: '[]',
        flagsJson: '{}',
      });
      expect((await tx.readChainState(BIG_CHAIN))?.status).toBe('halted'); // visible inside
    });
    expect(await s.readChainState(BIG_CHAIN)).toEqual(before.state);
    expect(await s.rpcHealthOf(BIG_CHAIN)).toEqual(before.rpcs);
    expect(await s.recentTransitions(BIG_CHAIN, 20)).toEqual(before.transitions);
  });
});
