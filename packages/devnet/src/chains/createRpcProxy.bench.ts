/**
 * Overhead of the faultable RPC proxy in front of anvil (run: `pnpm --filter @perpscope/devnet bench`).
 * `safe` costs one extra upstream call (eth_blockNumber) for the tag rewrite. Prints median latencies.
 */
import { afterAll, type BenchResult, beforeAll, test } from 'vitest';
import { type DevnetChain, startDevnetChain } from './startDevnetChain.js';

let chain: DevnetChain;
const call = async (url: string, method: string, params: unknown[]) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  await res.json();
};
const median = (result: BenchResult) =>
  console.log(`median ${result.name}: ${result.latency.p50.toFixed(3)} ms`);

beforeAll(async () => {
  chain = await startDevnetChain({
    name: 'bench',
    chainId: 4701,
    blockTime: 1,
    rpcCount: 1,
    uptimeFeed: false,
  });
});
afterAll(async () => {
  await chain?.stop();
});

test('JSON-RPC round trip: anvil direct vs through the devnet proxy', async ({ bench }) => {
  const cases: [string, string, string, unknown[]][] = [
    ['eth_blockNumber direct', chain.directRpcUrl, 'eth_blockNumber', []],
    ['eth_blockNumber via proxy', chain.rpcUrls[0]!, 'eth_blockNumber', []],
    [
      "eth_getBlockByNumber('safe') via proxy",
      chain.rpcUrls[0]!,
      'eth_getBlockByNumber',
      ['safe', false],
    ],
  ];
  for (const [name, url, method, params] of cases) {
    median(await bench(name, () => call(url, method, params)).run({ time: 1_500 }));
  }
});
