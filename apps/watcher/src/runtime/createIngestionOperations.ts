import { AlertOutbox } from '../alerts/AlertOutbox.js';
import type { AlertsConfig } from '../alerts/alertsConfig.js';
import { describeAny, describeChain } from '../alerts/describeChain.js';
import { describeMarket } from '../alerts/describeMarket.js';
import { resolveSinks } from '../alerts/formatAlert.js';
import { type DescribeSubject, IncidentAlerter } from '../alerts/IncidentAlerter.js';
import type { Clock } from '../clock.js';
import { type ClusterRuntime, singleWatcher } from '../cluster/clusterRuntime.js';
import type { OpenDb } from '../db/openDb.js';
import type { RetentionTarget } from '../db/queries/runRetention.js';
import { createStorageHealth, type StorageHealth } from '../db/storageHealth.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import { RetentionJob } from '../retention/RetentionJob.js';
import type { RetentionConfig } from '../retention/retentionConfig.js';

/** How often the database file's identity is checked while nothing else asks (ms). */
const FILE_CHECK_MS = 2_000;

/** The config sections the operations both threads run read. */
export type IngestionOperationsConfig = {
  alerts: AlertsConfig;
  retention: RetentionConfig;
};

/** Which of the operations' jobs run in this thread (see {@link IngestionOperationsParameters.jobs}). */
export type OperationsJobs = 'all' | 'delivery' | 'ingestion';

/** Hooks the ingestion worker forwards to the main thread through. */
export type OperationsObserver = {
  write?(writer: string, error: unknown): void;
  alert?(sink: string, outcome: string): void;
};

/** Parameters of {@link createIngestionOperations}. */
export type IngestionOperationsParameters = {
  config: IngestionOperationsConfig;
  /** The SQLite connection under `store` (file and page-limit health), or null on PostgreSQL. */
  database: OpenDb | null;
  /** The store (the only way the operations read and write the database). */
  store: WatcherStore;
  /**
   * This thread's place among the watchers sharing the database (`clusterFor`); default
   * `singleWatcher()`. Each job gets its duty only where it runs (`alerts` → the outbox,
   * `incidents` → the alert feeds, `retention` → retention).
   */
  cluster?: ClusterRuntime;
  eventLog: EventLog;
  clock: Clock;
  logger: Logger;
  /** Secret values by env variable name (read by `env.ts`, the only reader of `process.env`). */
  secrets: Readonly<Record<string, string | undefined>>;
  /** Describers for further subject types (chains and HIP-3 markets are built in). */
  describers?: readonly DescribeSubject[];
  retentionTargets?: readonly RetentionTarget[];
  /** For tests: where sinks are reached. */
  fetch?: typeof fetch;
  /**
   * Which jobs `start()` runs. `all` (default): everything, in this thread. With ingestion in a
   * worker thread (`runtime/ingestionWorker.ts`) the main thread's operations run `delivery` (alert
   * delivery and the file check; the worker's write outcomes arrive through `storage.recordWrite`)
   * and the worker's run `ingestion` (the incident → alert feed and retention).
   */
  jobs?: OperationsJobs;
  /**
   * Told every write outcome reported to storage health (`null` error: committed) and every alert
   * outcome of this thread's outbox: how the ingestion worker forwards them to the main thread.
   */
  observe?: OperationsObserver;
  /**
   * Whether the ingestion worker's own connection can write (its page limit, `query_only`, read-only
   * state), merged into `storage` readiness. Absent: one connection.
   */
  remoteWritable?: () => boolean;
  /** Told each failed write (the main thread counts them in `perpscope_db_write_errors_total`). */
  onWriteError?: (writer: string) => void;
  /** Told each alert outcome of this thread's outbox (the main thread counts them). */
  onAlertOutcome?: (sink: string, outcome: string) => void;
};

/**
 * The operations both threads run — storage health, the alert outbox, the incident → alert feed and
 * retention — without metrics or HTTP: the ingestion worker builds only these, so prom-client, Hono,
 * the admin routes and yaml stay out of its module graph and heap (`createOperations` adds them on
 * the main thread).
 */
export type IngestionOperations = {
  /**
   * The watcher's SQLite connection (storage report, and fault tests that fill the "disk"); null
   * on PostgreSQL.
   */
  database: OpenDb | null;
  /** This thread's place among the watchers sharing the database. */
  cluster: ClusterRuntime;
  outbox: AlertOutbox;
  alerter: IncidentAlerter;
  retention: RetentionJob;
  storage: StorageHealth;
  /** This connection and (with a worker) the worker's can write, and no writer is failing. */
  writable(): boolean;
  /**
   * Readiness checks to merge into `/readyz`: `storage` (the database accepts writes and none is
   * failing), `database` (SQLite only: the file at the path is the one open).
   */
  readiness(): Record<string, boolean>;
  /** Starts this thread's jobs (see {@link IngestionOperationsParameters.jobs}). */
  start(): void;
  /** Stops them; undelivered alerts stay in the outbox for the next start. */
  stop(): Promise<void>;
};

/**
 * Builds storage health, the alert outbox, the incident feed and retention from the config, on
 * the store, each job holding its cluster duty where it runs. Nothing starts until `start()`.
 *
 * @throws {import('../alerts/formatAlert.js').AlertSinkConfigError} when a sink's secret is missing.
 */
export function createIngestionOperations(p: IngestionOperationsParameters): IngestionOperations {
  const { config, database, store, clock, logger } = p;
  const storageLogger = logger.child({ component: 'storage' });
  // Every failed write — ingestion, events, alerts, retention — is counted, turns /readyz red and
  // (for a subject) shows it `unknown` until that writer commits again.
  const health = createStorageHealth({
    sqlite: database?.sqlite ?? null,
    now: clock.now,
    onWriteError: (writer, error) => {
      p.onWriteError?.(writer);
      storageLogger.debug({ writer, err: error }, 'database write failed');
    },
    onFileState: (state) => {
      if (state === 'ok') storageLogger.info('database file is back at its path');
      else
        storageLogger.error(
          { path: database?.sqlite.name, state },
          `database file ${state} under the running watcher: new rows go to a file that is gone at the next start (see "Storage health" in the README)`,
        );
    },
  });
  const storage: StorageHealth = {
    ...health,
    recordWrite(writer, error) {
      health.recordWrite(writer, error);
      p.observe?.write?.(writer, error);
    },
  };
  const writable = () => storage.writable() && (p.remoteWritable?.() ?? true);
  const jobs = p.jobs ?? 'all';
  const record = (writer: string) => (error: unknown) => storage.recordWrite(writer, error);
  p.eventLog.observeWrites((writer, error) => storage.recordWrite(writer, error));
  const cluster = p.cluster ?? singleWatcher();
  // Duties only where their job runs: asking for one starts competing for its lease.
  const delivers = jobs !== 'ingestion';
  const feeds = jobs !== 'delivery';
  const outbox = new AlertOutbox({
    store,
    sinks: resolveSinks(config.alerts.sinks, p.secrets),
    config: config.alerts,
    now: clock.now,
    logger: logger.child({ component: 'alerts' }),
    onOutcome: (sink, outcome) => {
      p.onAlertOutcome?.(sink, outcome);
      p.observe?.alert?.(sink, outcome);
    },
    onWriteOutcome: record('alerts'),
    ...(p.fetch && { fetch: p.fetch }),
    ...(delivers && { duty: cluster.duty('alerts') }),
  });
  const alerter = new IncidentAlerter({
    store,
    eventLog: p.eventLog,
    outbox,
    describe: describeAny([describeChain(store), describeMarket(store), ...(p.describers ?? [])]),
    logger: logger.child({ component: 'alerts' }),
    onWriteOutcome: record('alerts'),
    ...(config.alerts.publicUrl && { publicUrl: config.alerts.publicUrl }),
    ...(feeds && { duty: cluster.duty('incidents') }),
  });
  const retention = new RetentionJob({
    store,
    ...(p.retentionTargets && { targets: p.retentionTargets }),
    config: config.retention,
    now: clock.now,
    logger: logger.child({ component: 'retention' }),
    onOutcome: record('retention'),
    ...(feeds && { duty: cluster.duty('retention') }),
  });
  let fileCheck: NodeJS.Timeout | null = null;
  return {
    database,
    cluster,
    outbox,
    alerter,
    retention,
    storage,
    writable,
    // On PostgreSQL `database` is `/readyz`'s own probe (the server answers); there is no file.
    readiness: () =>
      database === null
        ? { storage: writable() }
        : { storage: writable(), database: storage.fileState() === 'ok' },
    start() {
      if (jobs !== 'ingestion') outbox.start();
      if (jobs !== 'delivery') {
        void alerter.start();
        retention.start();
      }
      // The main thread watches the file (and logs it once); PostgreSQL has none.
      if (jobs === 'ingestion' || database === null) return;
      // Noticed (and logged) within seconds even when nobody asks /readyz or /metrics.
      fileCheck ??= setInterval(() => storage.fileState(), FILE_CHECK_MS);
      fileCheck.unref();
    },
    async stop() {
      if (fileCheck) clearInterval(fileCheck);
      fileCheck = null;
      await Promise.all([retention.stop(), alerter.stop(), outbox.stop()]);
    },
  };
}
