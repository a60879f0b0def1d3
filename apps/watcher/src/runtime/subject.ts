import type { WeightAccountant } from '@perpscope/hyperliquid';
import type { Clock } from '../clock.js';
import type { ClusterRuntime } from '../cluster/clusterRuntime.js';
import type { WatcherConfig } from '../config/configSchema.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import type { MarkBoard } from './markBoard.js';

/** What every subject receives when the watcher starts it. */
export type SubjectContext = {
  config: WatcherConfig;
  /** The only way a subject reaches the database (`src/db/store/`). */
  store: WatcherStore;
  /**
   * This process's place among the watchers sharing the database (owner/observer ids, duties);
   * absent in tests that build one subject alone (then a single watcher: `singleWatcher()`).
   */
  cluster?: ClusterRuntime;
  eventLog: EventLog;
  clock: Clock;
  logger: Logger;
  /**
   * The Hyperliquid REST weight budget shared by every subject that reads HL (the limit is per IP);
   * absent in tests that build one subject alone (each then makes its own).
   */
  hlWeight?: WeightAccountant;
  /**
   * Marks shared between subjects (the HIP-3 watch provides its ctx stream's marks, the position
   * guard reads them); absent in tests that build one subject alone.
   */
  marks?: MarkBoard;
};

/**
 * A watched subject (L2 sequencers, HIP-3 markets, ...): owns its polling loops and writes through the
 * {@link EventLog}. `stop()` must let the current write finish and resolve once nothing else runs.
 */
export type Subject = {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** True once the first cycle completed (feeds `/readyz`). */
  ready(): boolean;
};

/** Builds a subject from the context, or returns `null` when its config section turns it off. */
export type SubjectFactory = (ctx: SubjectContext) => Subject | null;
