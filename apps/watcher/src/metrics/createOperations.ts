import type { MiddlewareHandler } from 'hono';
import { Gauge } from 'prom-client';
import { AlertOutbox } from '../alerts/AlertOutbox.js';
import type { AlertsConfig } from '../alerts/alertsConfig.js';
import { describeAny, describeChain } from '../alerts/describeChain.js';
import { describeMarket } from '../alerts/describeMarket.js';
import { resolveSinks } from '../alerts/formatAlert.js';
import { type DescribeSubject, IncidentAlerter } from '../alerts/IncidentAlerter.js';
import type { Clock } from '../clock.js';
import type { OpenDb } from '../db/openDb.js';
import type { ConfigIssue } from '../errors.js';
import type { EventLog } from '../events/eventLog.js';
import type { Logger } from '../logger.js';
import { RetentionJob } from '../retention/RetentionJob.js';
import type { RetentionConfig } from '../retention/retentionConfig.js';
import { defaultRetentionTargets } from '../retention/retentionTargets.js';
import type { RetentionTarget } from '../retention/runRetention.js';
import { createStorageHealth, type StorageHealth } from '../retention/storageHealth.js';
import { insecureBindingProblem, type SecurityConfig } from '../security/securityConfig.js';
import { securityMiddleware } from '../security/securityMiddleware.js';
import { registerPositionMetrics } from '../subjects/positions/registerPositionMetrics.js';
import { adminRoutes } from './adminRoutes.js';
import { createMetrics, type WatcherMetrics } from './createMetrics.js';
import { dbMetricsSnapshot } from './dbMetricsSnapshot.js';

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
  if (binding)
    issues.push({
      path: 'security.apiTokenEnv',
      message: binding.replace(/^security\.apiTokenEnv: /, ''),
    });
  config.alerts.sinks.forEach((sink, i) => {
    try {
      resolveSinks([sink], secrets);
    } catch (error) {
      issues.push({
        path: `alerts.sinks[${i}].${sink.kind === 'telegram' ? 'botTokenEnv' : 'urlEnv'}`,
        message: (error as Error).message.replace(
          /^alerts\.sinks\.0 \("([^"]*)"\): /,
          'sink "$1": ',
        ),
      });
    }
  });
  return issues;
}

/** What `createApp` mounts from operations. */
export type OperationsHttp = {
  /** Security headers, CORS, rate limit, API token, body limit — mounted before every route. */
  security: MiddlewareHandler;
  metrics: WatcherMetrics;
  admin: ReturnType<typeof adminRoutes>;
};

/** Parameters of {@link createOperations}. */
export type CreateOperationsParameters = {
  config: OperationsConfig;
  database: OpenDb;
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
};

/** The operator side of a running watcher: alerts, metrics, retention and request hardening. */
export type Operations = {
  /** The watcher's database connection (storage report, and fault tests that fill the "disk"). */
  database: OpenDb;
  metrics: WatcherMetrics;
  outbox: AlertOutbox;
  alerter: IncidentAlerter;
  retention: RetentionJob;
  storage: StorageHealth;
  http: OperationsHttp;
  /** Readiness checks to merge into `/readyz` (`storage`: the database can still grow). */
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
  const { config, database, clock, logger } = p;
  const metrics = createMetrics({
    snapshot: () => dbMetricsSnapshot({ db: database.db, now: clock.now }),
  });
  const outbox = new AlertOutbox({
    db: database.db,
    sinks: resolveSinks(config.alerts.sinks, p.secrets),
    config: config.alerts,
    now: clock.now,
    logger: logger.child({ component: 'alerts' }),
    onOutcome: (sink, outcome) => metrics.alertOutcomes.inc({ sink, outcome }),
    ...(p.fetch && { fetch: p.fetch }),
  });
  const alerter = new IncidentAlerter({
    db: database.db,
    eventLog: p.eventLog,
    outbox,
    describe: describeAny([
      describeChain(database.db),
      describeMarket(database.db),
      ...(p.describers ?? []),
    ]),
    logger: logger.child({ component: 'alerts' }),
    ...(config.alerts.publicUrl && { publicUrl: config.alerts.publicUrl }),
  });
  const retention = new RetentionJob({
    sqlite: database.sqlite,
    targets: p.retentionTargets ?? defaultRetentionTargets,
    config: config.retention,
    now: clock.now,
    logger: logger.child({ component: 'retention' }),
    onError: () => metrics.dbWriteErrors.inc({ component: 'retention' }),
  });
  registerPositionMetrics(metrics.registry, database.db);
  const storage = createStorageHealth({ sqlite: database.sqlite });
  new Gauge({
    name: 'perpscope_db_writable',
    help: '1 while the database can grow (disk not full, SQLite page limit not reached).',
    registers: [metrics.registry],
    collect() {
      this.set(storage.writable() ? 1 : 0);
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
  const security = securityMiddleware({
    config: config.security,
    apiToken: p.secrets[config.security.apiTokenEnv],
    bindHost: config.server.host,
    now: clock.now,
    onRateLimited: () => metrics.rateLimited.inc(),
  });
  return {
    database,
    metrics,
    outbox,
    alerter,
    retention,
    storage,
    readiness: () => ({ storage: storage.writable() }),
    http: {
      security,
      metrics,
      admin: adminRoutes({ db: database.db, sqlite: database.sqlite, outbox, now: clock.now }),
    },
    start() {
      outbox.start();
      alerter.start();
      retention.start();
    },
    async stop() {
      retention.stop();
      alerter.stop();
      await outbox.stop();
    },
  };
}
