import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';

/** Parameters of {@link startWalCheckpointer}. */
export type StartWalCheckpointerParameters = {
  /** The main connection: its automatic checkpoint is switched off while the worker runs. */
  sqlite: Database.Database;
  /** The database file (the worker opens its own connection to it). */
  path: string;
  /** How often the worker runs `wal_checkpoint(PASSIVE)` (real ms). */
  intervalMs: number;
  logger: Logger;
};

/** A running checkpointer. */
export type WalCheckpointer = {
  /** Stops the worker and restores SQLite's automatic checkpoint on the main connection. */
  stop(): Promise<void>;
};

// Plain CommonJS so the worker needs no TypeScript loader (the CLI removes tsx after start-up).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the event loop. SQLite's automatic checkpoint (every 1,000 WAL pages)
 * runs inside whichever commit crosses the threshold, copying megabytes and fsyncing the database
 * on the thread that serves HTTP — a stall of tens of milliseconds. Here the main connection's
 * auto-checkpoint is switched off and a `worker_threads` worker with its own connection runs
 * `wal_checkpoint(PASSIVE)` every `intervalMs`; PASSIVE never blocks writers or readers (WAL), so
 * the main thread only pays for its own small commits. If the worker dies, the main connection
 * goes back to automatic checkpoints, so the WAL never grows without bound.
 *
 * Not for `:memory:` databases (there is no file to share).
 *
 * @example const cp = startWalCheckpointer({ sqlite, path: './data/perpscope.db', intervalMs: 1000, logger });
 */
export function startWalCheckpointer(params: StartWalCheckpointerParameters): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const autoPages = Number(params.sqlite.pragma('wal_autocheckpoint', { simple: true }));
  const restoreAuto = () => {
    if (params.sqlite.open) params.sqlite.pragma(`wal_autocheckpoint = ${autoPages}`);
  };
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path: params.path, intervalMs: params.intervalMs },
  });
  // The watcher's lifetime is owned by startWatcher's stop(); never keep a finished process alive.
  worker.unref();
  params.sqlite.pragma('wal_autocheckpoint = 0');
  let reported = false;
  worker.on('message', (m: { error?: string }) => {
    if (m.error && !reported) {
      reported = true; // once: a persistent failure would otherwise log every interval
      params.logger.warn({ error: m.error }, 'WAL checkpoint failed in the checkpoint worker');
    }
  });
  let stopping = false;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (!stopping) {
        params.logger.error(
          { code },
          'WAL checkpoint worker exited; falling back to SQLite automatic checkpoints',
        );
        restoreAuto();
      }
      resolve();
    });
  });
  worker.once('error', (error) => {
    params.logger.error({ err: error }, 'WAL checkpoint worker failed');
  });
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      restoreAuto();
      worker.postMessage('stop');
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
