import { createPublicClient, http, type PublicClient, TimeoutError } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetChain, startDevnetChain } from './startDevnetChain.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A signed legacy transfer from anvil account #2 (chain id 4401, nonce 0, 1 gwei, 21000 gas). */
async function signedTransfer(direct: PublicClient): Promise<`0x${string}`> {
  const { privateKeyToAccount } = await import('viem/accounts');
  const account = privateKeyToAccount(
    '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  );
  const nonce = await direct.getTransactionCount({ address: account.address, blockTag: 'pending' });
  return account.signTransaction({
    chainId: 4401,
    nonce,
    to: '0x000000000000000000000000000000000000dEaD',
    value: 1n,
    gas: 21_000n,
    gasPrice: 10_000_000_000n,
  });
}

describe('startDevnetChain: tx-driven chain (Arbitrum-like)', () => {
  let chain: DevnetChain;
  let direct: PublicClient;
  const viaProxy = (timeout = 5_000) =>
    createPublicClient({
      transport: http(chain.rpcUrls[0], { timeout, retryCount: 0 }),
      cacheTime: 0,
    });

  beforeAll(async () => {
    chain = await startDevnetChain({ name: 'arb', chainId: 4401, blockTime: 'tx-driven' });
    direct = createPublicClient({ transport: http(chain.directRpcUrl), cacheTime: 0 });
  });
  afterAll(async () => {
    await chain?.stop();
  });

  it('makes a block per background transaction, about one per second, never empty', async () => {
    const from = await direct.getBlockNumber();
    await sleep(3_200);
    const to = await direct.getBlockNumber();
    expect(to - from).toBeGreaterThanOrEqual(2n);
    expect(to - from).toBeLessThanOrEqual(5n);
    for (let n = from + 1n; n <= to; n++) {
      expect((await direct.getBlock({ blockNumber: n })).transactions).toHaveLength(1);
    }
  });

  it('a user transaction through a proxy is mined at once in its own block', async () => {
    const hash = await viaProxy().sendRawTransaction({
      serializedTransaction: await signedTransfer(direct),
    });
    const receipt = await direct.waitForTransactionReceipt({
      hash,
      pollingInterval: 50,
      timeout: 3_000,
    });
    expect(receipt.status).toBe('success');
  });

  it('halt: no blocks, eth_sendRawTransaction times out on the proxy; resume mines what queued', async () => {
    await chain.halt();
    const halted = await direct.getBlockNumber();
    const raw = await signedTransfer(direct);
    await expect(
      viaProxy(800).sendRawTransaction({ serializedTransaction: raw }),
    ).rejects.toBeInstanceOf(TimeoutError);
    // the node itself still accepts it, but it stays pending
    const hash = await direct.sendRawTransaction({ serializedTransaction: raw });
    await sleep(1_500);
    expect(await direct.getBlockNumber()).toBe(halted);
    expect(
      (await direct.getTransactionReceipt({ hash }).catch(() => null))?.status,
    ).toBeUndefined();
    await chain.resume();
    const receipt = await direct.waitForTransactionReceipt({
      hash,
      pollingInterval: 50,
      timeout: 3_000,
    });
    expect(receipt.blockNumber).toBe(halted + 1n);
  });

  it('emptyBlocks(true) stops block production entirely (no empty blocks on a tx-driven chain)', async () => {
    await chain.emptyBlocks(true);
    const from = await direct.getBlockNumber();
    await sleep(2_500);
    expect(await direct.getBlockNumber()).toBe(from);
    await chain.emptyBlocks(false);
    await sleep(2_200);
    expect(await direct.getBlockNumber()).toBeGreaterThan(from);
  });

  it('reorg(2) works on a tx-driven chain', async () => {
    await chain.halt();
    const head = await direct.getBlock();
    const parent = await direct.getBlock({ blockNumber: head.number - 1n });
    const grandparent = await direct.getBlock({ blockNumber: head.number - 2n });
    await chain.reorg(2);
    const after = await direct.getBlock();
    expect(after.number).toBe(head.number);
    expect(after.hash).not.toBe(head.hash);
    expect((await direct.getBlock({ blockNumber: head.number - 1n })).hash).not.toBe(parent.hash);
    expect((await direct.getBlock({ blockNumber: head.number - 2n })).hash).toBe(grandparent.hash);
    await chain.resume();
  });
});
