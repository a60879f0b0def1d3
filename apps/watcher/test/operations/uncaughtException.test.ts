import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnWatcher } from '../support/spawnWatcher.js';

/*
 * An uncaught exception in the real process (the CLI, spawned): the watcher logs it, stops what
 * it runs, closes the database and exits non-zero so its supervisor (systemd: Restart=on-failure)
 * starts a clean process. A preload makes a timer throw when the test sends SIGUSR2.
 */
const preload = fileURLToPath(new URL('../support/throwOnSigusr2.mjs', import.meta.url));
const workerPreload = fileURLToPath(
  new URL('../support/throwInIngestionWorker.mjs', import.meta.url),
);
const dir = mkdtempSync(join(tmpdir(), 'perpscope-uncaught-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('uncaught exception in the running watcher', () => {
  it('is logged, the database is closed, and the process exits 70', async () => {
    const db = join(dir, 'w.db');
    const cfg = join(dir, 'w.yaml');
    writeFileSync(cfg, `server: { port: 0 }\ndatabase: { path: ${db} }\nchains: []\n`);
    const w = await spawnWatcher(['run', '-c', cfg], { NODE_OPTIONS: `--import=${preload}` });
    try {
      expect(existsSync(`${db}-wal`)).toBe(true); // open in WAL mode while running
      w.child.kill('SIGUSR2');
      const exited = await Promise.race([
        w.exited,
        new Promise<null>((r) => setTimeout(() => r(null), 15_000)),
      ]);
      const { stdout, stderr } = w.output();
      expect(exited, `still running 15 s after the exception\n${stdout}\n${stderr}`).toEqual({
        code: 70,
        signal: null,
      });
      const fatal = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } })
        .find((l) => l.msg.startsWith('uncaught exception'));
      expect(fatal?.level).toBe(60);
      expect(fatal?.err?.message).toBe('test: uncaught exception on SIGUSR2');
      // Closed cleanly: the last connection's close checkpoints and removes the WAL file.
      expect(existsSync(`${db}-wal`)).toBe(false);
    } finally {
      w.child.kill('SIGKILL');
    }
  });

  it('in the ingestion worker: logged, the HTTP side stops, the database is closed, exit 70', async () => {
    const db = join(dir, 'worker.db');
    const cfg = join(dir, 'worker.yaml');
    // One chain (its RPC refuses: `unknown`) so there is something to ingest, in the worker.
    writeFileSync(
      cfg,
      `server: { port: 0 }\ndatabase: { path: ${db} }\nchains:\n  - { key: probe, name: Probe, chainId: 99001, class: op-stack, rpcUrls: ['http://127.0.0.1:1'] }\n`,
    );
    const w = await spawnWatcher(['run', '-c', cfg], { NODE_OPTIONS: `--import=${workerPreload}` });
    try {
      // Serving, with ingestion in its worker (the default): the worker's gauges are exported.
      const metrics = await (await fetch(`${w.url}/metrics`)).text();
      expect(metrics).toMatch(/^perpscope_ingestion_heap_used_bytes \d+/m);
      writeFileSync(`${db}.crash`, '');
      const exited = await Promise.race([
        w.exited,
        new Promise<null>((r) => setTimeout(() => r(null), 15_000)),
      ]);
      const { stdout, stderr } = w.output();
      expect(
        exited,
        `still running 15 s after the worker's exception\n${stdout}\n${stderr}`,
      ).toEqual({ code: 70, signal: null });
      const fatal = stdout
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string } })
        .find((l) => l.msg.startsWith('the ingestion worker failed'));
      expect(fatal?.level).toBe(60);
      expect(fatal?.err?.message).toBe('test: uncaught exception in the ingestion worker');
      expect(existsSync(`${db}-wal`)).toBe(false);
    } finally {
      w.child.kill('SIGKILL');
    }
  });
});
