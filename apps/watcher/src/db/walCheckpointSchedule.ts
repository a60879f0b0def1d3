import type Database from 'better-sqlite3';
import type { Logger } from '../logger.js';

/** A running schedule of {@link scheduleWalCheckpoints}. */
export type WalCheckpointSchedule = {
  /** Stops the timer and runs one last passive checkpoint. */
  stop(): void;
};

/**
 * Runs `wal_checkpoint(PASSIVE)` on `sqlite` every `intervalMs`, on this thread. For the ingestion
 * worker, whose thread serves no HTTP: it takes over from `startWalCheckpointer`'s worker (one
 * isolate and one connection less), so the WAL stays about a second of writes long. PASSIVE never
 * blocks the main thread's readers. A failure is logged once (a persistent one would otherwise log
 * every interval); the next interval tries again.
 */
export function scheduleWalCheckpoints(p: {
  sqlite: Database.Database;
  intervalMs: number;
  logger: Logger;
}): WalCheckpointSchedule {
  let reported = false;
  const checkpoint = () => {
    try {
      if (p.sqlite.open) p.sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      if (reported) return;
      reported = true;
      p.logger.warn({ err: error }, 'WAL checkpoint failed in the ingestion worker');
    }
  };
  const timer = setInterval(checkpoint, p.intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      checkpoint();
    },
  };
}

/**
 * Switches off SQLite's automatic checkpoint on a connection (its commits then never copy the WAL
 * into the database on its thread: another connection checkpoints) and returns the function that
 * restores the previous setting.
 */
export function disableAutoCheckpoint(sqlite: Database.Database): () => void {
  const pages = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
  sqlite.pragma('wal_autocheckpoint = 0');
  return () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${pages}`);
  };
}
