import type { MiddlewareHandler } from 'hono';
import { Gauge } from 'prom-client';
import { AlertOutbox } from '../alerts/AlertOutbox.js';
import type { AlertsConfig } from '../alerts/alertsConfig.js';
import { describeAny, describeChain } from '../alerts/describeChain.js';
import { describeMarket } from '../alerts/describeMarket.js';
import { resolveSinks, sinkConfigIssues } from '../alerts/formatAlert.js';
import { type DescribeSubject, IncidentAlerter } from '../alerts/IncidentAlerter.js';
import type { Clock } from '../clock.js';
import { type ClusterRuntime, singleWatcher } from '../cluster/clusterRuntime.js';
import type { OpenDb } from '../db/openDb.js';
import type { RetentionTarget } from '../db/queries/runRetention.js';
import { createStorageHealth, type StorageHealth } from '../db/storageHealth.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import type { ConfigIssue } from '../errors.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import { createMetrics, type WatcherMetrics } from '../metrics/createMetrics.js';
import { dbMetricsSnapshot } from '../metrics/dbMetricsSnapshot.js';
import { RetentionJob } from '../retention/RetentionJob.js';
import type { RetentionConfig } from '../retention/retentionConfig.js';
import { insecureBindingProblem, type SecurityConfig } from '../security/securityConfig.js';
import { securityMiddleware } from '../security/securityMiddleware.js';
import { registerPositionMetrics } from '../subjects/positions/registerPositionMetrics.js';
import { adminRoutes } from './adminRoutes.js';

/** The config sections operations read. */
export type OperationsConfig = {
  server: { host: string };
  alerts: AlertsConfig;
  security: SecurityConfig;
  retention: RetentionConfig;
};

/** Names of the environment variables holding the secrets the config refers to. */
export function operationsSecretNames(config: OperationsConfig): string[] {
  return [
    config.security.apiTokenEnv,
    ...config.alerts.sinks.map((s) => (s.kind === 'telegram' ? s.botTokenEnv : s.urlEnv)),
  ];
}

/**
 * Startup checks that need the secrets: a non-loopback bind needs an API token; every alert sink
 * needs its URL/token. Returned as config issues (the CLI exits 2 naming them).
 */
export function operationsConfigIssues(
  config: OperationsConfig,
  secrets: Readonly<Record<string, string | undefined>>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const binding = insecureBindingProblem({
    host: config.server.host,
    apiToken: secrets[config.security.apiTokenEnv],
    apiTokenEnv: config.security.apiTokenEnv,
  });
  if (binding) issues.push(binding);
  issues.push(...sinkConfigIssues(config.alerts.sinks, secrets));
  return issues;
}

/** How often the database file's identity is checked while nothing else asks (ms). */
const FILE_CHECK_MS = 2_000;

/** What `createApp` mounts from operations. */
export type OperationsHttp = {
  /** Storage health: routes show a subject `unknown` while its writes fail. */
  storage?: StorageHealth;
  /** Security headers, CORS, rate limit, API token, body limit — mounted before every route. */
  security: readonly MiddlewareHandler[];
  metrics: WatcherMetrics;
  admin: ReturnType<typeof adminRoutes>;
};

/** Parameters of {@link createOperations}. */
export type CreateOperationsParameters = {
  config: OperationsConfig;
  /** The SQLite connection under `store` (file and page-limit health), or null on PostgreSQL. */
  database: OpenDb | null;
  /** The store (the only way the operations read and write the database). */
  store: WatcherStore;
  /**
   * This process's place among the watchers sharing the database (`clusterFor`); default
   * `singleWatcher()`. The alert and retention duties are wired to it on its own branch.
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
   * state), merged into `storage` readiness and `perpscope_db_writable`. Absent: one connection.
   */
  remoteWritable?: () => boolean;
};

/** Which of the operations' jobs run in this thread (see {@link CreateOperationsParameters.jobs}). */
export type OperationsJobs = 'all' | 'delivery' | 'ingestion';

/** Hooks the ingestion worker forwards to the main thread through. */
export type OperationsObserver = {
  write?(writer: string, error: unknown): void;
  alert?(sink: string, outcome: string): void;
};

/** The operator side of a running watcher: alerts, metrics, retention and request hardening. */
export type Operations = {
  /**
   * The watcher's SQLite connection (storage report, and fault tests that fill the "disk"); null
   * on PostgreSQL.
   */
  database: OpenDb | null;
  /** This process's place among the watchers sharing the database. */
  cluster: ClusterRuntime;
  metrics: WatcherMetrics;
  outbox: AlertOutbox;
  alerter: IncidentAlerter;
  retention: RetentionJob;
  storage: StorageHealth;
  http: OperationsHttp;
  /**
   * Readiness checks to merge into `/readyz`: `storage` (the database accepts writes and none is
   * failing), `database` (the file at the path is the one open).
   */
  readiness(): Record<string, boolean>;
  /** Starts alert delivery, the incident → alert feed and the retention schedule. */
  start(): void;
  /** Stops them; undelivered alerts stay in the outbox for the next start. */
  stop(): Promise<void>;
};

/**
 * Builds alerts (outbox + incident feed), metrics, retention and the security middleware from the
 * config. Nothing starts until `start()`.
 *
 * @throws {import('../alerts/formatAlert.js').AlertSinkConfigError} when a sink's secret is missing
 *   (the CLI checks {@link operationsConfigIssues} first and exits 2).
 */
export function createOperations(p: CreateOperationsParameters): Operations {
  const { config, database, store, clock, logger } = p;
  const metrics = createMetrics({
    snapshot: () =>
      dbMetricsSnapshot({
        store,
        now: clock.now,
        writeFailure: (writer) => storage.writeFailure(writer),
      }),
  });
  const storageLogger = logger.child({ component: 'storage' });
  // Every failed write — ingestion, events, alerts, retention — is counted, turns /readyz red and
  // (for a subject) shows it `unknown` until that writer commits again.
  const health = createStorageHealth({
    sqlite: database?.sqlite ?? null,
    now: clock.now,
    onWriteError: (writer, error) => {
      metrics.dbWriteErrors.inc({ component: writer.split(':')[0] ?? writer });
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
      metrics.alertOutcomes.inc({ sink, outcome });
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
  registerPositionMetrics(metrics.registry, store);
  new Gauge({
    name: 'perpscope_db_writable',
    help: '1 while the database accepts writes: disk not full, SQLite page limit not reached, not read-only, no writer failing, file still at its path.',
    registers: [metrics.registry],
    collect() {
      this.set(writable() ? 1 : 0);
    },
  });
  new Gauge({
    name: 'perpscope_db_file_ok',
    help: '1 while the database path still names the open file (0: deleted or replaced under the running watcher).',
    registers: [metrics.registry],
    collect() {
      this.set(storage.fileState() === 'ok' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'perpscope_disk_free_bytes',
    help: "Free bytes on the database's filesystem.",
    registers: [metrics.registry],
    collect() {
      const free = storage.freeBytes();
      if (free !== null) this.set(free);
    },
  });
  let fileCheck: NodeJS.Timeout | null = null;
  const security = securityMiddleware({
    config: config.security,
    apiToken: p.secrets[config.security.apiTokenEnv],
    bindHost: config.server.host,
    now: clock.now,
    onRateLimited: () => metrics.rateLimited.inc(),
  });
  return {
    database,
    cluster,
    metrics,
    outbox,
    alerter,
    retention,
    storage,
    // On PostgreSQL `database` is `/readyz`'s own probe (the server answers); there is no file.
    readiness: () =>
      database === null
        ? { storage: writable() }
        : { storage: writable(), database: storage.fileState() === 'ok' },
    http: {
      security,
      metrics,
      admin: adminRoutes({ store, outbox, now: clock.now }),
      storage,
    },
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
