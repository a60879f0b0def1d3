import type { ClusterMode } from '../config/clusterConfig.js';
import { LOCAL_WATCHER } from '../db/schema/chains.js';
import { type Duty, type DutyName, localDuty } from './duty.js';

/**
 * This process's place among the watchers sharing its database, as the runtime hands it to the
 * subjects and operations (issue 17; ARCHITECTURE.md "Several watchers").
 *
 * - `owner`: the value for the `owner` columns (`chains`, `hip3_markets`, `guarded_accounts`):
 *   pruning touches only rows with it. `observer`: the value for the `observer` columns
 *   (`rpc_endpoints`, `chain_observations`). Both `'local'` for a single watcher (SQLite).
 * - `duty(name)`: shared work at most one watcher does at a time — `alerts` (outbox delivery, main
 *   thread), `incidents` (the alert feeds' cursors and, in redundant mode, the combined chain
 *   status and its incidents; ingestion thread), `retention` (ingestion thread). A single watcher
 *   always holds every duty.
 */
export type ClusterRuntime = {
  /** `single` on SQLite (one process per file); the configured mode on PostgreSQL. */
  readonly mode: 'single' | ClusterMode;
  /** `cluster.id`, or `'local'` for a single watcher. */
  readonly id: string;
  readonly owner: string;
  readonly observer: string;
  duty(name: DutyName): Duty;
  /**
   * Ids of the watchers alive on the database now (fresh registry heartbeat), this one included:
   * sharded watchers refuse a subject already owned by another live watcher. `['local']` alone.
   */
  liveWatchers(): Promise<string[]>;
  /** Stops the duties (releasing held leases) and whatever else the runtime started. */
  stop(): Promise<void>;
};

/** The single watcher on its own SQLite file: owner and observer `'local'`, every duty held. */
export function singleWatcher(): ClusterRuntime {
  const duties = new Map<DutyName, Duty>();
  return {
    mode: 'single',
    id: LOCAL_WATCHER,
    owner: LOCAL_WATCHER,
    observer: LOCAL_WATCHER,
    duty: (name) => {
      let d = duties.get(name);
      if (!d) {
        d = localDuty(name);
        duties.set(name, d);
      }
      return d;
    },
    liveWatchers: async () => [LOCAL_WATCHER],
    stop: async () => {
      await Promise.all([...duties.values()].map((d) => d.stop()));
    },
  };
}
