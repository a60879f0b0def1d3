import { isMainThread } from 'node:worker_threads';
import { type ClusterRuntime, singleWatcher } from '../cluster/clusterRuntime.js';
import { startPgCluster } from '../cluster/startPgCluster.js';
import { clusterOf } from '../config/clusterConfig.js';
import type { WatcherConfig } from '../config/configSchema.js';
import type { PgStoreAccess } from '../db/store/createPgStore.js';
import type { Logger } from '../logger.js';

/** Which thread asks {@link clusterFor}: duties are split between them (see `ClusterRuntime`). */
export type ClusterThread = 'main' | 'ingestion';

/** Parameters of {@link clusterFor}. */
export type ClusterForParameters = {
  config: WatcherConfig;
  /** The store's PostgreSQL access (pool, URL), or null on SQLite. */
  pg: PgStoreAccess | null;
  /**
   * `main`: the HTTP thread (alert delivery); `ingestion`: the thread running the subjects (the
   * worker, or the main thread with `ingestion.thread: main` — then the main thread asks once, as
   * `ingestion`, and uses that runtime for both).
   */
  thread: ClusterThread;
  logger: Logger;
  /** The watcher's version, shown in the `watchers` registry (default `unknown`). */
  version?: string;
  /**
   * Main thread on PostgreSQL: another process with this `cluster.id` replaced the registration
   * (this one was thought dead). The caller must stop ingesting and exit non-zero.
   */
  onDisplaced?: () => void;
};

/**
 * This thread's {@link ClusterRuntime}: THE place where the watcher's runtime joins the cluster.
 * Every thread of `startWatcher` and the ingestion worker calls it once, after opening its store,
 * and stops the runtime before closing it.
 *
 * SQLite: {@link singleWatcher} (owner/observer `'local'`, every duty held). PostgreSQL:
 * `startPgCluster` with `clusterOf(config)` over the store's pool — the process's main thread
 * registers the watcher (a live watcher with the same id, or of the other mode, throws
 * `WatcherRegistryConflictError`, which the CLI reports with exit 2); duties are kept by leases,
 * each where its job runs (`createOperations`).
 */
export async function clusterFor(p: ClusterForParameters): Promise<ClusterRuntime> {
  const cluster = clusterOf(p.config);
  if (p.pg === null || cluster === null) return singleWatcher();
  return startPgCluster({
    cluster,
    pool: p.pg.pool,
    logger: p.logger.child({ component: 'cluster' }),
    version: p.version ?? 'unknown',
    // The process registers once, from its main thread (which asks as `ingestion` when it also
    // runs the subjects); the worker only keeps its duties.
    thread: isMainThread ? 'main' : 'ingestion',
    ...(p.onDisplaced && { onDisplaced: p.onDisplaced }),
  });
}
