import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';

/** Whether the database can still grow, re-evaluated at most once per `cacheMs`. */
export type StorageHealth = {
  /** False when the filesystem is nearly full or SQLite's page limit is reached. */
  writable(): boolean;
  /** Free bytes for unprivileged writers on the database's filesystem; null for `:memory:`. */
  freeBytes(): number | null;
};

/**
 * Watches the two ways the database stops accepting rows: the filesystem filling up (checked with
 * `statfs`), and SQLite's `max_page_count` being reached (how tests simulate a full disk). Feeds
 * `/readyz` (`storage`) and `perpscope_db_writable`, so a full disk is reported, not hidden behind
 * stale data.
 */
export function createStorageHealth(p: {
  sqlite: Database.Database;
  /** Below this many free bytes the disk counts as full. Default 16 MiB. */
  minFreeBytes?: number;
  cacheMs?: number;
}): StorageHealth {
  const minFree = p.minFreeBytes ?? 16 * 1024 * 1024;
  const cacheMs = p.cacheMs ?? 1_000;
  let at = 0;
  let cached = { writable: true, freeBytes: null as number | null };
  function evaluate() {
    if (Date.now() - at < cacheMs) return cached;
    at = Date.now();
    let freeBytes: number | null = null;
    if (!p.sqlite.memory && p.sqlite.open) {
      try {
        const fs = statfsSync(dirname(p.sqlite.name));
        freeBytes = fs.bavail * fs.bsize;
      } catch {
        freeBytes = null;
      }
    }
    let atPageLimit = false;
    if (p.sqlite.open) {
      const pages = p.sqlite.pragma('page_count', { simple: true }) as number;
      const max = p.sqlite.pragma('max_page_count', { simple: true }) as number;
      const free = p.sqlite.pragma('freelist_count', { simple: true }) as number;
      atPageLimit = pages >= max && free === 0;
    }
    cached = { writable: !atPageLimit && (freeBytes === null || freeBytes >= minFree), freeBytes };
    return cached;
  }
  return { writable: () => evaluate().writable, freeBytes: () => evaluate().freeBytes };
}
