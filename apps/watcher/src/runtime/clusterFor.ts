import { type ClusterRuntime, singleWatcher } from '../cluster/clusterRuntime.js';
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
};

/**
 * This thread's {@link ClusterRuntime}: THE place where the watcher's runtime joins the cluster.
 * Every thread of `startWatcher` and the ingestion worker calls it once, after opening its store,
 * and stops the runtime before closing the store.
 *
 * Today: {@link singleWatcher} on both dialects (owner/observer `'local'`, every duty held).
 * `startPgCluster(...)` (the registry and lease-backed duties, branch `wip-clusterwire`) replaces
 * this body on PostgreSQL (`p.pg !== null`).
 */
export async function clusterFor(p: ClusterForParameters): Promise<ClusterRuntime> {
  // wip-clusterwire: on PostgreSQL, `return startPgCluster({ ...p.config.cluster, pg: p.pg, ... })`.
  void p;
  return singleWatcher();
}
