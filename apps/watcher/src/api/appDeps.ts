import type { Clock } from '../clock.js';
import type { ClusterRuntime } from '../cluster/clusterRuntime.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import type { OperationsHttp } from '../runtime/createOperations.js';
import type { EventStreamHub } from './EventStreamHub.js';

/**
 * What the HTTP application needs. Built once by the CLI (or a test) and passed to `createApp`;
 * nothing in the API reaches for a module-level singleton.
 */
export type AppDeps = {
  store: WatcherStore;
  eventLog: EventLog;
  clock: Clock;
  logger: Logger;
  version: string;
  /** Watcher-clock ms when the process started. */
  startedAt: number;
  /** Named readiness checks for `/readyz` (all must be true); e.g. `{ database: true, chains: true }`. */
  readiness?: () => Record<string, boolean>;
  /** SSE keep-alive comment period. */
  sseHeartbeatMs?: number;
  /**
   * Caps and accounting of `/v1/events` (built by `startWatcher` from `server.*`); defaults to the
   * `ServerConfig` defaults with the socket peer as the client.
   */
  eventStreams?: EventStreamHub;
  /**
   * This process's place among the watchers on its database (`clusterFor`): routes read it with
   * `clusterOfContext` — the chains routes serve this observer's RPC health and, in redundant mode,
   * the observers' quorum. Default `singleWatcher()`.
   */
  cluster?: ClusterRuntime;
  /** Security middleware, `/metrics` and `/v1/admin` (built by `createOperations`); defaults: loopback rules, no metrics/admin. */
  ops?: OperationsHttp;
};
