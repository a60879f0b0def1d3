import type { WatcherConfig } from '../config/configSchema.js';
import type { StoredEvent } from '../db/queries/events.js';

/**
 * What the main thread hands the ingestion worker (`workerData`, structured-cloned): everything is
 * data, because functions (factories, clocks, loggers) cannot cross a thread boundary.
 */
export type IngestionWorkerData = {
  config: WatcherConfig;
  /** Secret values by env variable name (alert sinks: the worker enqueues alerts). */
  secrets: Readonly<Record<string, string | undefined>>;
  /** `steady`: `createSteadyClock()` (what the CLI runs on); `system`: `Date.now`. */
  clock: 'steady' | 'system';
  /** The main logger's level; the worker's lines are posted to the main thread's destination. */
  logLevel: string;
  /** How often the worker reports readiness and its own heap (real ms). */
  statusIntervalMs: number;
  /** From sources: the `ingestionWorker.ts` URL `ingestionWorkerLoader.mjs` imports; null in the bundle. */
  entry: string | null;
  /**
   * SQLite: the change counter the main thread's store shares (`createChangeCounter`): the
   * worker's store counts its writes in it, so the main thread's `changeVersion()` reads the
   * database only after one.
   */
  changeCounter?: Int32Array;
};

/** Worker → main thread. */
export type IngestionWorkerMessage =
  /** One log line (pino JSON, newline included), written to the main logger's destination. */
  | { type: 'log'; line: string }
  /** Every subject started (the first poll may still be under way). */
  | { type: 'started' }
  /** Events the worker committed, in commit order: the main thread's `EventLog` publishes them. */
  | { type: 'events'; events: StoredEvent[] }
  /**
   * A write outcome for storage health: every failure, and the first success of a writer whose
   * last write failed (`error: null`).
   */
  | { type: 'write'; writer: string; error: string | null }
  /** An alert outcome of the worker's outbox (`queued` wakes the main thread's delivery loop). */
  | { type: 'alert'; sink: string; outcome: string }
  /** Readiness per subject, whether the worker's connection can write, its heap and loop delay. */
  | {
      type: 'status';
      ready: Record<string, boolean>;
      writable: boolean;
      heapUsedBytes: number;
      eventLoopDelayP99Ms: number;
    }
  /** Every subject stopped after its write in flight; the worker's connection is closed. */
  | { type: 'stopped' };

/** Main thread → worker. */
export type IngestionControlMessage = { type: 'stop' };
