import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetChain, startDevnetChain } from './startDevnetChain.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startDevnetChain (interval chain, 1 s blocks)', () => {
  let chain: DevnetChain;
  beforeAll(async () => {
    chain = await startDevnetChain({ name: 'fast', chainId: 4201, blockTime: 1 });
  });
  afterAll(async () => {
    await chain?.stop();
  });
  const client = () => createPublicClient({ transport: http(chain.directRpcUrl), cacheTime: 0 });

  it('serves the chain id on every proxy and produces blocks near wall-clock time', async () => {
    expect(chain.rpcUrls).toHaveLength(3);
    for (const url of chain.rpcUrls) {
      expect(await createPublicClient({ transport: http(url) }).getChainId()).toBe(4201);
    }
    const first = await client().getBlockNumber();
    await sleep(2300);
    const block = await client().getBlock();
    expect(block.number).toBeGreaterThanOrEqual(first + 2n);
    expect(Math.abs(Number(block.timestamp) - Date.now() / 1000)).toBeLessThan(3);
  });

  it('halt stops the head and resume restarts it', async () => {
    await chain.halt();
    const halted = await client().getBlockNumber();
    await sleep(2500);
    expect(await client().getBlockNumber()).toBe(halted);
    await chain.resume();
    await sleep(1500);
    expect(await client().getBlockNumber()).toBeGreaterThan(halted);
  });
});
