import { statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

/** Whether the database path still names the file the watcher has open. */
export type DbFileState = 'ok' | 'deleted' | 'replaced';

/** A writer whose last write failed: what failed and since when (ms, watcher clock). */
export type WriteFailure = { writer: string; since: number; error: string };

/**
 * What the watcher knows about its own storage, re-evaluated at most once per `cacheMs`: whether the
 * database can grow, whether writes are failing (per writer), and whether the file on disk is still
 * the one it writes to. Feeds `/readyz`, the `perpscope_db_*` metrics and the subjects' status.
 */
export type StorageHealth = {
  /**
   * False when the filesystem is nearly full, SQLite's page limit is reached, the connection is
   * read-only, any writer's last write failed, or the file was deleted or replaced.
   */
  writable(): boolean;
  /** Free bytes for unprivileged writers on the database's filesystem; null for `:memory:`. */
  freeBytes(): number | null;
  /** Whether the path still names the open file (compares device and inode). */
  fileState(): DbFileState;
  /**
   * Records the outcome of one write of `writer` (`chain:<id>`, `hip3`, `alerts`, `retention`…):
   * `error` when it failed, `null` when it committed. A writer counts as failing until its next
   * successful write.
   */
  recordWrite(writer: string, error: unknown): void;
  /** The failure of `writer`'s last write, or null while it writes fine. */
  writeFailure(writer: string): WriteFailure | null;
  /** Every writer whose last write failed. */
  writeFailures(): readonly WriteFailure[];
};

/** Parameters of {@link createStorageHealth}. */
export type StorageHealthParameters = {
  /**
   * The SQLite connection, or null on PostgreSQL: the server's disk, pages and file are not this
   * process's to see; there only failing writes (and `/readyz`'s `database` probe) count.
   */
  sqlite: Database.Database | null;
  /** Below this many free bytes the disk counts as full. Default 16 MiB. */
  minFreeBytes?: number;
  cacheMs?: number;
  /** Ms since the epoch (failure timestamps). */
  now?: () => number;
  /** Called once per change of the file state (logs: a deleted database is worth an error line). */
  onFileState?: (state: DbFileState) => void;
  /** Called for every failed write (the metric counter). */
  onWriteError?: (writer: string, error: unknown) => void;
};

function identity(path: string): { dev: number; ino: number } | null {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? { dev: s.dev, ino: s.ino } : null;
}

/**
 * Watches every way the database stops accepting rows: the filesystem filling up (`statfs`),
 * SQLite's `max_page_count` (how tests simulate a full disk), a read-only connection
 * (`query_only`, a read-only file), failing writes as the writers report them, and the file being
 * deleted or replaced under the running process (its device and inode at open vs. now; writes then
 * go to an unlinked inode and are lost at the next start). Feeds `/readyz` (`storage`, `database`)
 * and `perpscope_db_writable` / `perpscope_db_file_ok`, so a broken disk is reported, not hidden
 * behind stale data.
 */
export function createStorageHealth(p: StorageHealthParameters): StorageHealth {
  const minFree = p.minFreeBytes ?? 16 * 1024 * 1024;
  const cacheMs = p.cacheMs ?? 1_000;
  const now = p.now ?? Date.now;
  const sqlite = p.sqlite;
  const path = sqlite === null || sqlite.memory ? null : sqlite.name;
  const opened = path === null ? null : identity(path);
  const failures = new Map<string, WriteFailure>();
  let at = 0;
  let cached = {
    canGrow: true,
    freeBytes: null as number | null,
    fileState: 'ok' as DbFileState,
  };
  function evaluate() {
    if (Date.now() - at < cacheMs) return cached;
    at = Date.now();
    let freeBytes: number | null = null;
    let fileState: DbFileState = 'ok';
    if (path !== null && sqlite?.open) {
      try {
        const fs = statfsSync(dirname(path));
        freeBytes = fs.bavail * fs.bsize;
      } catch {
        freeBytes = null;
      }
      const current = identity(path);
      if (current === null) fileState = 'deleted';
      else if (opened && (current.dev !== opened.dev || current.ino !== opened.ino))
        fileState = 'replaced';
    }
    let atPageLimit = false;
    let readOnly = false;
    if (sqlite?.open) {
      const pages = sqlite.pragma('page_count', { simple: true }) as number;
      const max = sqlite.pragma('max_page_count', { simple: true }) as number;
      const free = sqlite.pragma('freelist_count', { simple: true }) as number;
      atPageLimit = pages >= max && free === 0;
      readOnly = sqlite.readonly || sqlite.pragma('query_only', { simple: true }) === 1;
    }
    if (fileState !== cached.fileState) p.onFileState?.(fileState);
    cached = {
      canGrow: !atPageLimit && !readOnly && (freeBytes === null || freeBytes >= minFree),
      freeBytes,
      fileState,
    };
    return cached;
  }
  return {
    writable: () => {
      const e = evaluate();
      return e.canGrow && e.fileState === 'ok' && failures.size === 0;
    },
    freeBytes: () => evaluate().freeBytes,
    fileState: () => evaluate().fileState,
    recordWrite(writer, error) {
      if (error === null || error === undefined) {
        failures.delete(writer);
        return;
      }
      p.onWriteError?.(writer, error);
      const text = error instanceof Error ? error.message : String(error);
      const prev = failures.get(writer);
      failures.set(writer, { writer, since: prev?.since ?? now(), error: text.slice(0, 200) });
    },
    writeFailure: (writer) => failures.get(writer) ?? null,
    writeFailures: () => [...failures.values()],
  };
}
