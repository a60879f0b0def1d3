import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** A running anvil process. `stop()` terminates it and resolves when it has exited. */
export type AnvilInstance = {
  readonly rpcUrl: string;
  readonly port: number;
  readonly chainId: number;
  /** The supervising process (a tiny `sh` watchdog that owns the anvil process). */
  readonly process: ChildProcess;
  stop(): Promise<void>;
};

export type StartAnvilParameters = {
  chainId: number;
  /** Seconds between blocks; omit for automine (a block per transaction). */
  blockTimeSeconds?: number;
  /**
   * Start with automine and interval mining both off (`--no-mining`): blocks only appear when
   * someone calls `anvil_mine`/`evm_mine`. Takes precedence over `blockTimeSeconds`.
   */
  noMining?: boolean;
  /**
   * Timestamp (Unix seconds) of the genesis block (`--timestamp`). Note that anvil then runs its
   * clock from this value; call `anvil_setTime` to bring it back to wall time.
   */
  genesisTimestamp?: number;
  /** Port to bind on 127.0.0.1; 0 or omitted picks a free one. */
  port?: number;
  /**
   * Fork another node (`--fork-url`) at `blockNumber` (`--fork-block-number`): blocks up to it are
   * the other node's, later ones this node's own (a chain split).
   */
  fork?: { url: string; blockNumber: number };
};

/**
 * Path of the anvil executable shipped by the `@foundry-rs/anvil` npm package: the native binary
 * of the platform package when installed, else the package's Node wrapper (`bin.mjs`).
 */
export function anvilBinaryPath(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@foundry-rs/anvil/package.json');
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  try {
    const native = createRequire(pkg).resolve(
      `@foundry-rs/anvil-${process.platform}-${arch}/bin/${exe}`,
    );
    if (existsSync(native)) return native;
  } catch {
    // platform package missing: fall back to the wrapper, which downloads/locates the binary
  }
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
        // Something else may hold the port and never answer: give up on this attempt, re-check anvil.
        signal: AbortSignal.timeout(1_000),
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
 * Watchdog: anvil runs as a child of `sh`. A background subshell blocks reading the shell's stdin (a
 * pipe from this Node process, kept on fd 3 because an asynchronous list's own stdin is /dev/null).
 * The pipe closes when we call `stop()` *or* when this process dies for any reason (vitest worker
 * killed, crash, SIGKILL), and then the subshell terminates anvil. Node cannot set PDEATHSIG, so this
 * is what guarantees no orphaned anvils after a failed test run. The shell itself waits for anvil and
 * exits with its status, so an anvil that dies on start (port taken, bad flag) is seen at once.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null >/dev/null &',
  'p=$!',
  '(',
  '  cat <&3 >/dev/null',
  '  kill -TERM "$p" 2>/dev/null',
  '  i=0; while kill -0 "$p" 2>/dev/null && [ $i -lt 30 ]; do sleep 0.1; i=$((i+1)); done',
  '  kill -KILL "$p" 2>/dev/null',
  ') &',
  'w=$!',
  'wait "$p"',
  'code=$?',
  'kill "$w" 2>/dev/null',
  'exit $code',
].join('\n');

/**
 * Spawns a real anvil node on 127.0.0.1 and waits until its RPC answers. The node is terminated
 * by `stop()` and also automatically when the calling Node process exits (see the watchdog above).
 *
 * @throws Error when anvil exits on start (at once) or does not answer within 15 s (message includes
 *   anvil's stderr).
 * @example
 * const anvil = await startAnvil({ chainId: 31_337, blockTimeSeconds: 1 });
 * // ... use anvil.rpcUrl
 * await anvil.stop();
 */
export async function startAnvil(params: StartAnvilParameters): Promise<AnvilInstance> {
  const port = params.port || (await freePort());
  const bin = anvilBinaryPath();
  const command = bin.endsWith('.mjs') ? [process.execPath, bin] : [bin];
  const args = [
    ...command,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--chain-id',
    String(params.chainId),
    '--silent',
  ];
  if (params.noMining) {
    args.push('--no-mining');
  } else if (params.blockTimeSeconds !== undefined) {
    args.push('--block-time', String(params.blockTimeSeconds));
  }
  if (params.fork) {
    args.push(
      '--fork-url',
      params.fork.url,
      '--fork-block-number',
      String(params.fork.blockNumber),
    );
  }
  if (params.genesisTimestamp !== undefined) {
    args.push('--timestamp', String(params.genesisTimestamp));
  }
  // detached → own process group, so the fallback SIGKILL below reaches anvil as well as sh.
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'anvil-watchdog', ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  // An EPIPE on the watchdog pipe after the shell is gone is expected and harmless.
  child.stdin?.on('error', () => {});
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const killGroup = () => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const rpcUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForRpc(rpcUrl, child, 15_000);
  } catch (error) {
    killGroup();
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  let stopping: Promise<void> | undefined;
  return {
    rpcUrl,
    port,
    chainId: params.chainId,
    process: child,
    stop: () => {
      stopping ??= (async () => {
        child.stdin?.end();
        const timer = setTimeout(killGroup, 5_000);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
