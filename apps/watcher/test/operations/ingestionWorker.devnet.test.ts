import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevnet } from '@perpscope/devnet';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { devnetChainEntry } from '../../src/demo/devnetChainEntry.js';
import { Env } from '../../src/env.js';
import { type RunningWatcher, startWatcher } from '../../src/runtime/startWatcher.js';
import { waitFor } from '../support/devnetWatcher.js';

/*
 * Ingestion in its worker thread (the default), in-process so the test can look at both sides:
 * what the worker commits reaches the main thread's subscribers only once it is in the table,
 * readiness and write failures cross the thread boundary into /readyz, /metrics and the
 * subject's status, and stop() returns only after the worker closed its connection.
 */
const dir = mkdtempSync(join(tmpdir(), 'perpscope-ingestion-worker-'));
let devnet: Awaited<ReturnType<typeof startDevnet>> | null = null;
let watcher: RunningWatcher | null = null;
afterAll(async () => {
  await watcher?.stop();
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingestion in the worker thread', () => {
  it('publishes committed events, reports readiness and failing writes, and stop() waits for the worker', async () => {
    devnet = await startDevnet([{ name: 'w', chainId: 1971, blockTime: 1, rpcCount: 1 }]);
    const chain = devnet.chains[0]!;
    const path = join(dir, 'w.db');
    const config = parseConfig({
      raw: {
        server: { port: 0 },
        database: { path },
        chains: [devnetChainEntry(chain, { pollIntervalMs: 250, graceSeconds: 3 })],
      },
      source: 'test',
      env: Env.parse({}),
    });
    const failures: Error[] = [];
    watcher = await startWatcher({
      config,
      clock: systemClock,
      logger: pino({ level: process.env.PERPSCOPE_TEST_LOG ?? 'silent' }),
      version: 'test',
      onIngestionFailure: (error) => failures.push(error),
    });
    const w = watcher;
    expect(w.ingestionThread).toBe('worker');
    expect(w.subjects).toEqual([]); // nothing ingests on this thread

    // Persist, then publish: each event is in the table (read on a third connection) when published.
    const reader = new Database(path, { readonly: true });
    const stored = reader.prepare('SELECT 1 FROM events WHERE id = ?');
    const published: { kind: string; stored: boolean }[] = [];
    w.eventLog.subscribe((ev) =>
      published.push({ kind: ev.kind, stored: stored.get(ev.id) !== undefined }),
    );
    const readyz = async () => {
      const res = await fetch(`${w.url}/readyz`);
      return {
        status: res.status,
        checks: ((await res.json()) as { checks: Record<string, boolean> }).checks,
      };
    };
    const chainStatus = async () =>
      ((await (await fetch(`${w.url}/v1/chains/${chain.chainId}`)).json()) as { status: string })
        .status;
    const writeErrors = async () => {
      const text = await (await fetch(`${w.url}/metrics`)).text();
      const line = text
        .split('\n')
        .find((l) => l.startsWith('perpscope_db_write_errors_total{component="chain"} '));
      return line ? Number(line.split(' ')[1]) : 0;
    };
    await waitFor(
      'ready with the chain subject',
      async () => {
        const r = await readyz();
        return r.status === 200 && r.checks.chains === true;
      },
      60_000,
    );
    await waitFor('the chain up', async () => (await chainStatus()) === 'up', 30_000);
    await waitFor(
      'a chain.status event published',
      () => published.some((e) => e.kind === 'chain.status'),
      10_000,
    );
    expect(published.length).toBeGreaterThan(0);
    expect(published.filter((e) => !e.stored)).toEqual([]);

    // WAL checkpoints run on the worker's connection (db/walCheckpointSchedule.ts), not in a commit
    // of this thread's: its automatic checkpoint is off. Each checkpoint that completes lets the
    // next commit restart the WAL, which bumps the checkpoint sequence in the WAL header; the
    // worker's own automatic checkpoint (1,000 pages) is far off at one chain's few pages a second.
    expect(w.ops.database!.sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    const walSequence = () => {
      const fd = openSync(`${path}-wal`, 'r');
      try {
        const header = Buffer.alloc(16);
        readSync(fd, header, 0, 16, 0);
        return header.readUInt32BE(12);
      } finally {
        closeSync(fd);
      }
    };
    const sequence = walSequence();
    await waitFor(
      'the WAL checkpointed and restarted twice',
      () => walSequence() >= sequence + 2,
      15_000,
    );

    // Hold the write lock on the main thread's connection past the worker's busy timeout (5 s):
    // the worker's poll writes fail with SQLITE_BUSY, while this thread keeps serving.
    const before = await writeErrors();
    const { sqlite } = w.ops.database!;
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      await waitFor(
        'not ready (storage)',
        async () => {
          const r = await readyz();
          return r.status === 503 && r.checks.storage === false;
        },
        20_000,
      );
      expect(await writeErrors()).toBeGreaterThan(before);
      expect(await chainStatus()).toBe('unknown');
    } finally {
      sqlite.exec('ROLLBACK');
    }
    await waitFor('ready again', async () => (await readyz()).status === 200, 20_000);
    await waitFor('the chain up again', async () => (await chainStatus()) === 'up', 20_000);

    reader.close();
    watcher = null;
    await w.stop();
    // SQLite removes the WAL file when the last connection closes: the worker's is closed too.
    expect(existsSync(`${path}-wal`)).toBe(false);
    expect(failures).toEqual([]);
  }, 120_000);
});
