import { createPublicClient, http, type PublicClient } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetChain, startDevnetChain } from './startDevnetChain.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nowSeconds = () => Date.now() / 1000;

async function blocks(client: PublicClient, from: bigint, to: bigint) {
  const out = [];
  for (let n = from; n <= to; n++) out.push(await client.getBlock({ blockNumber: n }));
  return out;
}

describe("startDevnetChain: timestamps 'op-stack' (1 s slots)", () => {
  let chain: DevnetChain;
  let direct: PublicClient;
  const headAge = async () => nowSeconds() - Number((await direct.getBlock()).timestamp);

  beforeAll(async () => {
    chain = await startDevnetChain({
      name: 'op',
      chainId: 4601,
      blockTime: 1,
      timestamps: 'op-stack',
      rpcCount: 1,
      uptimeFeed: false,
    });
    direct = createPublicClient({ transport: http(chain.directRpcUrl), cacheTime: 0 });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('gives every block exactly parent + blockTime, close to wall time', async () => {
    const from = await direct.getBlockNumber();
    await sleep(3_300);
    const to = await direct.getBlockNumber();
    expect(to - from).toBeGreaterThanOrEqual(2n);
    const bs = await blocks(direct, from, to);
    for (let i = 1; i < bs.length; i++) {
      expect(bs[i]!.timestamp - bs[i - 1]!.timestamp).toBe(1n);
    }
    expect(await headAge()).toBeLessThan(2.5);
  });

  it('after a halt, back-fills the missed slots with empty blocks: no timestamp gap', async () => {
    await chain.halt();
    const haltedHead = await direct.getBlock();
    await sleep(5_000);
    expect(await headAge()).toBeGreaterThan(4);
    await chain.resume();
    // 5 missed slots at up to 4 per 1 s tick: caught up within a few ticks
    const deadline = Date.now() + 6_000;
    while ((await headAge()) > 2.5 && Date.now() < deadline) await sleep(200);
    expect(await headAge()).toBeLessThanOrEqual(2.5);
    const head = await direct.getBlockNumber();
    const bs = await blocks(direct, haltedHead.number, head);
    expect(bs.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < bs.length; i++) {
      expect(bs[i]!.timestamp - bs[i - 1]!.timestamp).toBe(1n);
    }
    // the first back-filled blocks carry no transactions
    expect(bs[1]!.transactions).toHaveLength(0);
    expect(bs[2]!.transactions).toHaveLength(0);
  });

  it('slow production lets the head fall behind wall time', async () => {
    await chain.slowBlocks(3);
    await sleep(6_500);
    expect(await headAge()).toBeGreaterThan(3);
    await chain.slowBlocks(1);
  });

  it("rejects 'op-stack' timestamps on a tx-driven chain", async () => {
    await expect(
      startDevnetChain({ name: 'x', chainId: 1, blockTime: 'tx-driven', timestamps: 'op-stack' }),
    ).rejects.toThrow(/timestamps 'op-stack' needs an integer blockTime/);
  });
});
