import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from './startAnvil.js';

describe('startAnvil', () => {
  let anvil: AnvilInstance;
  beforeAll(async () => {
    anvil = await startAnvil({ chainId: 4242, blockTimeSeconds: 1 });
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  it('serves the requested chain id and produces blocks on its block time', async () => {
    const client = createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 });
    expect(await client.getChainId()).toBe(4242);
    const first = await client.getBlockNumber();
    await new Promise((r) => setTimeout(r, 2200));
    expect(await client.getBlockNumber()).toBeGreaterThan(first);
  });
});
