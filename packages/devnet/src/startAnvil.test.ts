import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnvilInstance, startAnvil } from './startAnvil.js';

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    });
    return res.ok;
  } catch {
    return false;
  }
}

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

  it('stop() terminates the node', async () => {
    const other = await startAnvil({ chainId: 4243, noMining: true });
    expect(await answers(other.rpcUrl)).toBe(true);
    await other.stop();
    expect(await answers(other.rpcUrl)).toBe(false);
  });

  it('anvil dies with its parent process even when the parent is SIGKILLed', async () => {
    const module = fileURLToPath(new URL('./startAnvil.ts', import.meta.url));
    const parent = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { startAnvil } = await import(${JSON.stringify(module)});
         const a = await startAnvil({ chainId: 4244, noMining: true });
         console.log(a.rpcUrl);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      parent.stdout.on('data', (d: Buffer) => resolve(d.toString().trim()));
      parent.once('exit', (code) => reject(new Error(`parent exited early (${code})`)));
    });
    expect(await answers(url)).toBe(true);
    parent.kill('SIGKILL');
    const deadline = Date.now() + 8_000;
    while ((await answers(url)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await answers(url)).toBe(false);
  });

  it('an anvil that dies on start fails at once with its stderr, not after the 15 s timeout', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const started = Date.now();
    try {
      const error = await startAnvil({ chainId: 4245, noMining: true, port }).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/anvil exited early with code [1-9]/);
      expect(error?.message).toMatch(/in use|bind|address/i);
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      taken.close();
    }
  });
});
