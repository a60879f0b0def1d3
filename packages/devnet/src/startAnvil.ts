import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** A running anvil process. `stop()` terminates it and resolves when it has exited. */
export type AnvilInstance = {
  readonly rpcUrl: string;
  readonly port: number;
  readonly chainId: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
};

export type StartAnvilParameters = {
  chainId: number;
  /** Seconds between blocks; omit for automine (a block per transaction). */
  blockTimeSeconds?: number;
  /** Port to bind on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
};

/** Path of the anvil binary shipped by the `@foundry-rs/anvil` npm package. */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@foundry-rs/anvil/package.json');
  return join(dirname(pkg), 'bin.mjs');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForRpc(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`anvil exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
      });
      if (res.ok) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`anvil did not answer on ${url} within ${timeoutMs} ms: ${String(lastError)}`);
}

/**
 * Spawns a real anvil node on 127.0.0.1 and waits until its RPC answers.
 *
 * @example
 * const anvil = await startAnvil({ chainId: 31_337, blockTimeSeconds: 1 });
 * // ... use anvil.rpcUrl
 * await anvil.stop();
 */
export async function startAnvil(params: StartAnvilParameters): Promise<AnvilInstance> {
  const port = params.port || (await freePort());
  const args = [
    anvilBinaryPath(),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(params.chainId),
    '--silent',
  ];
  if (params.blockTimeSeconds !== undefined) {
    args.push('--block-time', String(params.blockTimeSeconds));
  }
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForRpc(rpcUrl, child, 15_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    rpcUrl,
    port,
    chainId: params.chainId,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
