import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** The watcher's CLI (apps/watcher), run as the README runs it. */
export const WATCHER_BIN = resolve(import.meta.dirname, '../../watcher/bin/perpscope-watcher.mjs');

/** A free TCP port on loopback (nothing listens on it when this resolves). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

/** A running `perpscope-watcher` process and its output so far. */
export interface WatcherProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; waits for the exit. */
  stop(): Promise<void>;
}

/**
 * Spawns `perpscope-watcher <args>` on `port` (PERPSCOPE_PORT) and waits until `/healthz` answers.
 * `cwd` receives the demo's `./data/` files.
 */
export async function startWatcherProcess(p: {
  args: readonly string[];
  port: number;
  cwd: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<WatcherProcess> {
  let output = '';
  const child = spawn(process.execPath, [WATCHER_BIN, ...p.args], {
    cwd: p.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PERPSCOPE_PORT: String(p.port), ...p.env },
  });
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${p.port}`;
  const proc: WatcherProcess = {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  const deadline = Date.now() + (p.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`watcher exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return proc;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await proc.stop();
  throw new Error(`watcher did not become healthy at ${url}:\n${output}`);
}
