import type pg from 'pg';
import type { ClusterConfig } from '../config/clusterConfig.js';
import { pgDbOf } from '../db/pg/openPgDb.js';
import {
  liveWatchers,
  startWatcherRegistry,
  type WatcherRegistry,
} from '../db/pg/watcherRegistry.js';
import type { Logger } from '../logger.js';
import type { ClusterRuntime } from './clusterRuntime.js';
import { type Duty, type DutyName, dutyHolder, pgDuty } from './duty.js';

/**
 * The `owner` value every watcher of a `redundant` cluster writes: they watch the same subjects, so
 * the rows are the pair's, not one watcher's — with per-watcher owners, one watcher's prune (a
 * chain removed from its file) or its first `upsertChains` would take the other's rows away.
 * Observations stay per watcher (`observer` = `cluster.id`).
 */
export const REDUNDANT_OWNER = 'redundant';

/** Parameters of {@link startPgCluster}. */
export type StartPgClusterParameters = {
  /** `clusterOf(config)` of a watcher on PostgreSQL. */
  readonly cluster: ClusterConfig;
  /** The thread's pool (the store's `pg.pool`): duties keep their leases through it. */
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** The watcher's version, shown in the registry. */
  readonly version: string;
  /**
   * `main` registers the watcher (heartbeat, conflicts) and holds the `alerts` duty;
   * `ingestion` (the worker) only keeps the duties it asks for (`incidents`, `retention`).
   */
  readonly thread: 'main' | 'ingestion';
  /** Called when another process with this id replaced the registration: shut down. */
  readonly onDisplaced?: () => void;
  /** Duty renew interval override, ms (tests); default `leaseSeconds * 1000 / 3` (tries to acquire: every `min(that, 1 s)`). */
  readonly dutyIntervalMs?: number;
};

/** A {@link ClusterRuntime} on PostgreSQL; `registry` is set on the main thread only. */
export type PgClusterRuntime = ClusterRuntime & {
  readonly registry: WatcherRegistry | null;
};

/**
 * This process's {@link ClusterRuntime} on a shared PostgreSQL database (issue 17):
 *
 * - main thread: registers the watcher first (`startWatcherRegistry`, heartbeat every
 *   `leaseSeconds / 3`, live for `leaseSeconds`). A live watcher with the same id, or live watchers
 *   of the other mode, make it throw `WatcherRegistryConflictError` (a `WatcherError` naming the id:
 *   the CLI prints it and exits 2) before anything else starts.
 * - `duty(name)`: a {@link pgDuty} created on first use (it then starts trying to acquire), holder
 *   `dutyHolder(cluster.id)` (new per start, so a restarted process is fenced from its old epoch),
 *   TTL `leaseSeconds`, renewed every `leaseSeconds / 3`; a non-holder tries every
 *   `min(leaseSeconds / 3, 1 s)`, so it takes a dead holder's duty over within about 1 s of the expiry.
 * - `owner`/`observer`: `sharded` → both `cluster.id` (each watcher owns and prunes its own rows);
 *   `redundant` → owner {@link REDUNDANT_OWNER} (shared rows), observer `cluster.id`.
 * - `liveWatchers()`: the ids with a fresh heartbeat (from the `watchers` table, either thread).
 * - `stop()`: releases the duties (another watcher takes over at once), then unregisters.
 *
 * @throws WatcherRegistryConflictError as above; the driver's error when the database is unreachable.
 */
export async function startPgCluster(params: StartPgClusterParameters): Promise<PgClusterRuntime> {
  const { cluster, pool, logger } = params;
  const ttlMs = cluster.leaseSeconds * 1000;
  const heartbeatMs = Math.max(100, Math.round(ttlMs / 3));
  const registry =
    params.thread === 'main'
      ? await startWatcherRegistry({
          pool,
          id: cluster.id,
          mode: cluster.mode,
          version: params.version,
          heartbeatMs,
          logger,
          onDisplaced: () => params.onDisplaced?.(),
        })
      : null;
  const holder = dutyHolder(cluster.id);
  const duties = new Map<DutyName, Duty>();
  let stopped = false;
  const db = pgDbOf(pool);
  return {
    mode: cluster.mode,
    id: cluster.id,
    owner: cluster.mode === 'redundant' ? REDUNDANT_OWNER : cluster.id,
    observer: cluster.id,
    registry,
    duty: (name) => {
      let d = duties.get(name);
      if (!d) {
        if (stopped) throw new Error(`cluster runtime stopped: duty "${name}" cannot start`);
        d = pgDuty({
          pool,
          name,
          holder,
          ttlMs,
          logger,
          ...(params.dutyIntervalMs !== undefined ? { intervalMs: params.dutyIntervalMs } : {}),
        });
        duties.set(name, d);
      }
      return d;
    },
    liveWatchers: async () =>
      (await liveWatchers(db, { freshMs: 3 * heartbeatMs })).map((r) => r.id),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await Promise.all([...duties.values()].map((d) => d.stop()));
      await registry?.stop();
    },
  };
}
