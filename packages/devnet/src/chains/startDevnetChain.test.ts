import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  HttpRequestError,
  http,
  type PublicClient,
  TimeoutError,
} from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequencerUptimeFeedArtifact } from './SequencerUptimeFeed.artifact.js';
import { type DevnetChain, startDevnet, startDevnetChain } from './startDevnetChain.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(ok: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Waits until `fn` returns true, polling every 100 ms; fails after `timeoutMs`. */
async function until(fn: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Counts head increases seen by polling the node for `ms`. */
async function countNewBlocks(client: PublicClient, ms: number): Promise<number> {
  const start = await client.getBlockNumber();
  await sleep(ms);
  return Number((await client.getBlockNumber()) - start);
}

const abi = sequencerUptimeFeedArtifact.abi;

describe('startDevnetChain: interval chain (1 s blocks)', () => {
  let chain: DevnetChain;
  let direct: PublicClient;
  const viaProxy = (i: number, timeout = 5_000) =>
    createPublicClient({
      transport: http(chain.rpcUrls[i], { timeout, retryCount: 0 }),
      cacheTime: 0,
    });

  beforeAll(async () => {
    chain = await startDevnetChain({ name: 'fast', chainId: 4201, blockTime: 1 });
    direct = createPublicClient({ transport: http(chain.directRpcUrl), cacheTime: 0 });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('serves the chain id on every proxy, starts with history and keeps wall-clock time', async () => {
    expect(chain.rpcUrls).toHaveLength(3);
    for (let i = 0; i < 3; i++) expect(await viaProxy(i).getChainId()).toBe(4201);
    // finalizedLag (20) + 10 back-dated blocks + the feed deployment block
    const first = await direct.getBlock();
    expect(first.number).toBeGreaterThanOrEqual(31n);
    await sleep(2_300);
    const block = await direct.getBlock();
    expect(block.number).toBeGreaterThanOrEqual(first.number + 2n);
    expect(Math.abs(Number(block.timestamp) - Date.now() / 1000)).toBeLessThan(3);
  });

  it('halt stops the head and resume restarts it', async () => {
    await chain.halt();
    const halted = await direct.getBlockNumber();
    await sleep(2_500);
    expect(await direct.getBlockNumber()).toBe(halted);
    expect(await viaProxy(0).getBlockNumber()).toBe(halted);
    await chain.resume();
    await until(
      async () => (await direct.getBlockNumber()) > halted,
      2_000,
      'a block after resume',
    );
  });

  it('slowBlocks changes the block interval', async () => {
    await chain.slowBlocks(2.5);
    // a 1 s chain would make ~6 blocks in 6 s; at 2.5 s per block it makes 2–3
    const slow = await countNewBlocks(direct, 6_000);
    expect(slow).toBeGreaterThanOrEqual(1);
    expect(slow).toBeLessThanOrEqual(3);
    await chain.slowBlocks(1);
    const normal = await countNewBlocks(direct, 3_200);
    expect(normal).toBeGreaterThanOrEqual(2);
  });

  it('emptyBlocks(true) produces blocks with 0 transactions, false brings them back', async () => {
    const before = await direct.getBlock();
    expect(before.transactions.length).toBeGreaterThan(0);
    await chain.emptyBlocks(true);
    const from = await direct.getBlockNumber();
    await until(async () => (await direct.getBlockNumber()) >= from + 2n, 4_000, 'two blocks');
    const emptyBlock = await direct.getBlock({ blockNumber: from + 2n });
    expect(emptyBlock.transactions).toHaveLength(0);
    await chain.emptyBlocks(false);
    const from2 = await direct.getBlockNumber();
    await until(async () => (await direct.getBlockNumber()) >= from2 + 2n, 4_000, 'two blocks');
    expect((await direct.getBlock({ blockNumber: from2 + 2n })).transactions.length).toBe(1);
  });

  it.each([1, 3])(
    'reorg(%i) replaces exactly that many trailing block hashes at the same height',
    async (depth) => {
      await chain.halt();
      const head = await direct.getBlockNumber();
      const numbers = [0n, 1n, 2n, 3n, 4n].map((d) => head - d);
      const hashesBefore = await Promise.all(
        numbers.map(async (n) => (await direct.getBlock({ blockNumber: n })).hash),
      );
      await chain.reorg(depth);
      expect(await direct.getBlockNumber()).toBe(head);
      const hashesAfter = await Promise.all(
        numbers.map(async (n) => (await direct.getBlock({ blockNumber: n })).hash),
      );
      const changed = hashesAfter.map((h, i) => h !== hashesBefore[i]);
      expect(changed).toEqual([0, 1, 2, 3, 4].map((d) => d < depth));
      await chain.resume();
      // blocks after the reorg are stamped with wall time again, not back-dated
      await until(
        async () => (await direct.getBlockNumber()) > head,
        2_000,
        'a block after resume',
      );
      const next = await direct.getBlock();
      expect(Math.abs(Number(next.timestamp) - Date.now() / 1000)).toBeLessThan(2);
    },
  );

  it('reorg rejects depths the chain cannot have', async () => {
    await expect(chain.reorg(0)).rejects.toThrow(/depth must be an integer/);
    await expect(chain.reorg(0)).rejects.toMatchObject({
      name: 'Devnet.ChainError',
      chain: 'fast',
    });
    await expect(chain.reorg(1_000_000)).rejects.toThrow(/depth must be an integer/);
  });

  it('safe/finalized trail latest by the lag, stall while latest advances, then catch up', async () => {
    const client = viaProxy(1);
    const tags = async () => {
      const [latest, safe, finalized] = await Promise.all([
        client.getBlock({ blockTag: 'latest' }),
        client.getBlock({ blockTag: 'safe' }),
        client.getBlock({ blockTag: 'finalized' }),
      ]);
      return { latest: latest.number, safe: safe.number, finalized: finalized.number };
    };
    await chain.halt(); // a still head makes the three reads consistent
    const normal = await tags();
    expect(normal.latest - normal.safe).toBe(10n);
    expect(normal.latest - normal.finalized).toBe(20n);
    await chain.stallSafeHead();
    await chain.resume();
    await sleep(2_500);
    const stalled = await tags();
    expect(stalled.latest).toBeGreaterThanOrEqual(normal.latest + 2n);
    expect(stalled.safe).toBe(normal.safe);
    expect(stalled.finalized).toBe(normal.finalized);
    await chain.releaseSafeHead();
    await chain.halt();
    const released = await tags();
    expect(released.latest - released.safe).toBe(10n);
    await chain.resume();
  });

  it('rewrites safe/finalized inside JSON-RPC batch requests', async () => {
    const res = await fetch(chain.rpcUrls[0]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
        { jsonrpc: '2.0', id: 2, method: 'eth_getBlockByNumber', params: ['finalized', false] },
        { jsonrpc: '2.0', id: 3, method: 'eth_blockNumber', params: [] },
      ]),
    });
    const body = (await res.json()) as { id: number; result: unknown }[];
    expect(body.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(body[0]?.result).toBe('0x1069');
    const finalized = BigInt((body[1]!.result as { number: string }).number);
    const head = BigInt(body[2]?.result as string);
    // the head may move between the two reads of the batch
    expect(head - finalized).toBeGreaterThanOrEqual(20n);
    expect(head - finalized).toBeLessThanOrEqual(21n);
  });

  describe('RPC faults', () => {
    it('timeout: the endpoint never answers, so the client-side timeout fires', async () => {
      chain.setRpcFault(0, 'timeout');
      try {
        await expect(viaProxy(0, 500).getBlockNumber()).rejects.toBeInstanceOf(TimeoutError);
        expect(await viaProxy(1).getBlockNumber()).toBeGreaterThan(0n); // others unaffected
      } finally {
        chain.setRpcFault(0, 'none');
      }
      expect(await viaProxy(0).getBlockNumber()).toBeGreaterThan(0n);
    });

    it('http500: the endpoint answers HTTP 500', async () => {
      chain.setRpcFault(1, 'http500');
      try {
        const error = await viaProxy(1)
          .getBlockNumber()
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(BaseError);
        expect((error as BaseError).walk((e) => e instanceof HttpRequestError)).toMatchObject({
          status: 500,
        });
      } finally {
        chain.setRpcFault(1, 'none');
      }
    });

    it('garbage: the endpoint answers 200 with an unparsable body', async () => {
      chain.setRpcFault(2, 'garbage');
      try {
        const res = await fetch(chain.rpcUrls[2]!, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
        });
        expect(res.status).toBe(200);
        const text = await res.text();
        expect(() => JSON.parse(text)).toThrow(SyntaxError);
        await expect(viaProxy(2).getBlockNumber()).rejects.toBeInstanceOf(BaseError);
      } finally {
        chain.setRpcFault(2, 'none');
      }
    });

    it('stale: the endpoint serves a frozen head while the chain advances', async () => {
      chain.setRpcFault(0, 'stale');
      try {
        const client = viaProxy(0);
        const frozen = await client.getBlockNumber();
        await sleep(2_300);
        expect(await client.getBlockNumber()).toBe(frozen);
        expect((await client.getBlock({ blockTag: 'latest' })).number).toBe(frozen);
        expect((await client.getBlock({ blockTag: 'safe' })).number).toBe(frozen - 10n);
        expect(await direct.getBlockNumber()).toBeGreaterThanOrEqual(frozen + 2n);
      } finally {
        chain.setRpcFault(0, 'none');
      }
      expect(await viaProxy(0).getBlockNumber()).toBeGreaterThanOrEqual(
        (await direct.getBlockNumber()) - 1n,
      );
    });

    it('forkRpc: the endpoint runs ahead on a fork — same blocks below the split, other hashes above — until healed', async () => {
      const split = await direct.getBlockNumber();
      await chain.forkRpc(1, { aheadBlocks: 8 });
      try {
        const client = viaProxy(1);
        const [forkHead, mainHead] = await Promise.all([
          client.getBlockNumber(),
          direct.getBlockNumber(),
        ]);
        expect(forkHead).toBeGreaterThanOrEqual(split + 8n);
        // 8 ahead of the main head of now, not of the split (the main chain kept making blocks
        // while the fork started); one block of slack for a main block mined since the switch.
        expect(forkHead - mainHead).toBeGreaterThanOrEqual(7n);
        const below = split - 1n;
        expect((await client.getBlock({ blockNumber: below })).hash).toBe(
          (await direct.getBlock({ blockNumber: below })).hash,
        );
        const above = split + 1n;
        await waitUntil(async () => (await direct.getBlockNumber()) >= above);
        expect((await client.getBlock({ blockNumber: above })).hash).not.toBe(
          (await direct.getBlock({ blockNumber: above })).hash,
        );
        // It keeps producing blocks on its own.
        await sleep(2_300);
        expect(await client.getBlockNumber()).toBeGreaterThan(forkHead);
      } finally {
        chain.setRpcFault(1, 'none');
      }
      const n = await direct.getBlockNumber();
      expect((await viaProxy(1).getBlock({ blockNumber: n })).hash).toBe(
        (await direct.getBlock({ blockNumber: n })).hash,
      );
      await expect(chain.forkRpc(1, { aheadBlocks: 0 })).rejects.toThrow(/aheadBlocks must be/);
    });

    it('rejects an endpoint index that does not exist', () => {
      expect(() => chain.setRpcFault(3, 'http500')).toThrow(/no RPC endpoint 3 \(have 3\)/);
    });
  });

  describe('uptime feed', () => {
    const read = (client: PublicClient = viaProxy(1)) =>
      client.readContract({
        address: chain.uptimeFeedAddress!,
        abi,
        functionName: 'latestRoundData',
      });

    it('is deployed with the Chainlink metadata and reports up since 24 h ago', async () => {
      const address = chain.uptimeFeedAddress!;
      const client = viaProxy(1);
      expect(await client.readContract({ address, abi, functionName: 'decimals' })).toBe(0);
      expect(await client.readContract({ address, abi, functionName: 'description' })).toBe(
        'L2 Sequencer Uptime Status Feed',
      );
      expect(await client.readContract({ address, abi, functionName: 'version' })).toBe(1n);
      const [roundId, answer, startedAt, , answeredInRound] = await read();
      expect(roundId).toBe(1n);
      expect(answeredInRound).toBe(1n);
      expect(answer).toBe(0n);
      expect(Math.abs(Number(startedAt) - (Date.now() / 1000 - 86_400))).toBeLessThan(120);
    });

    it('setSequencerUp(false) records answer 1 with startedAt = updatedAt = the block time', async () => {
      await chain.setSequencerUp(false);
      const [roundId, answer, startedAt, updatedAt] = await read();
      expect(answer).toBe(1n);
      expect(roundId).toBe(2n);
      expect(startedAt).toBe(updatedAt);
      const latestTs = (await direct.getBlock()).timestamp;
      expect(latestTs - startedAt).toBeGreaterThanOrEqual(0n);
      expect(latestTs - startedAt).toBeLessThanOrEqual(3n);
    });

    it('setSequencerUp(true, { startedAt: 0n }) records answer 0 with startedAt 0', async () => {
      await chain.setSequencerUp(true, { startedAt: 0n });
      const [, answer, startedAt, updatedAt] = await read();
      expect(answer).toBe(0n);
      expect(startedAt).toBe(0n);
      expect(updatedAt).toBeGreaterThan(0n);
    });

    it('setUptimeFeedReverts(true) makes latestRoundData revert with Uninitialized()', async () => {
      await chain.setUptimeFeedReverts(true);
      const error = await read().catch((e: unknown) => e);
      const reverted = (error as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
      expect((reverted as ContractFunctionRevertedError).data?.errorName).toBe('Uninitialized');
      await chain.setUptimeFeedReverts(false);
      expect((await read())[1]).toBe(0n);
    });

    it('only the owner can write the feed', async () => {
      const error = await direct
        .simulateContract({
          address: chain.uptimeFeedAddress!,
          abi,
          functionName: 'setStatus',
          args: [1n, 1n],
          account: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC',
        })
        .catch((e: unknown) => e);
      const reverted = (error as BaseError).walk((e) => e instanceof ContractFunctionRevertedError);
      expect((reverted as ContractFunctionRevertedError).data?.errorName).toBe('OnlyOwner');
    });

    it('a write during a halt is queued and lands when the chain resumes', async () => {
      await chain.halt();
      await chain.setSequencerUp(false);
      expect((await read())[1]).toBe(0n);
      await chain.resume();
      await until(async () => (await read())[1] === 1n, 3_000, 'the queued feed update');
      await chain.setSequencerUp(true);
    });
  });
});

describe('startDevnet', () => {
  it('starts several chains, rejects duplicate names and stops every node', async () => {
    await expect(
      startDevnet([
        { name: 'a', chainId: 1, blockTime: 1 },
        { name: 'a', chainId: 2, blockTime: 1 },
      ]),
    ).rejects.toThrow(/duplicate chain name "a"/);
    const devnet = await startDevnet([
      { name: 'one', chainId: 4301, blockTime: 1, rpcCount: 1, uptimeFeed: false },
      { name: 'two', chainId: 4302, blockTime: 2, rpcCount: 2, uptimeFeed: false },
    ]);
    expect(devnet.chains.map((c) => [c.name, c.rpcUrls.length, c.uptimeFeedAddress])).toEqual([
      ['one', 1, null],
      ['two', 2, null],
    ]);
    await expect(devnet.chains[0]!.setSequencerUp(false)).rejects.toThrow(/without an uptime feed/);
    await devnet.stop();
    for (const c of devnet.chains) {
      await expect(fetch(c.directRpcUrl, { method: 'POST' })).rejects.toThrow();
      await expect(fetch(c.rpcUrls[0]!, { method: 'POST' })).rejects.toThrow();
    }
  });

  it('rejects an invalid spec with a message naming the field', async () => {
    await expect(startDevnetChain({ name: 'bad', chainId: 1, blockTime: 0 })).rejects.toThrow(
      /"bad": blockTime must be a positive number/,
    );
  });
});
