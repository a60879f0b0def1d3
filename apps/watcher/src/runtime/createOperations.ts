import type { MiddlewareHandler } from 'hono';
import { Gauge } from 'prom-client';
import type { AlertsConfig } from '../alerts/alertsConfig.js';
import { sinkConfigIssues } from '../alerts/formatAlert.js';
import type { StorageHealth } from '../db/storageHealth.js';
import type { ConfigIssue } from '../errors.js';
import { createMetrics, type WatcherMetrics } from '../metrics/createMetrics.js';
import { dbMetricsSnapshot } from '../metrics/dbMetricsSnapshot.js';
import type { RetentionConfig } from '../retention/retentionConfig.js';
import { insecureBindingProblem, type SecurityConfig } from '../security/securityConfig.js';
import { securityMiddleware } from '../security/securityMiddleware.js';
import { registerPositionMetrics } from '../subjects/positions/registerPositionMetrics.js';
import { adminRoutes } from './adminRoutes.js';
import {
  createIngestionOperations,
  type IngestionOperations,
  type IngestionOperationsParameters,
} from './createIngestionOperations.js';

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

/** What `createApp` mounts from operations. */
export type OperationsHttp = {
  /** Storage health: routes show a subject `unknown` while its writes fail. */
  storage?: StorageHealth;
  /** Security headers, CORS, rate limit, API token, body limit — mounted before every route. */
  security: readonly MiddlewareHandler[];
  metrics: WatcherMetrics;
  admin: ReturnType<typeof adminRoutes>;
};

/**
 * Parameters of {@link createOperations}: those of the operations both threads run
 * (`createIngestionOperations.ts`; its metric hooks are set here) and the sections of the config
 * the HTTP side reads.
 */
export type CreateOperationsParameters = Omit<
  IngestionOperationsParameters,
  'config' | 'onWriteError' | 'onAlertOutcome'
> & { config: OperationsConfig };

/**
 * The operator side of a running watcher: what both threads run (storage health, alerts,
 * retention; `createIngestionOperations.ts`) plus metrics and request hardening.
 */
export type Operations = Omit<IngestionOperations, 'writable'> & {
  metrics: WatcherMetrics;
  http: OperationsHttp;
};

/**
 * Builds alerts (outbox + incident feed), metrics, retention and the security middleware from the
 * config. Nothing starts until `start()`.
 *
 * @throws {import('../alerts/formatAlert.js').AlertSinkConfigError} when a sink's secret is missing
 *   (the CLI checks {@link operationsConfigIssues} first and exits 2).
 */
export function createOperations(p: CreateOperationsParameters): Operations {
  const { config, store, clock } = p;
  const metrics = createMetrics({
    snapshot: () =>
      dbMetricsSnapshot({
        store,
        now: clock.now,
        writeFailure: (writer) => core.storage.writeFailure(writer),
        ...(p.cluster && { observer: p.cluster.observer }),
      }),
  });
  const core = createIngestionOperations({
    ...p,
    onWriteError: (writer) =>
      metrics.dbWriteErrors.inc({ component: writer.split(':')[0] ?? writer }),
    onAlertOutcome: (sink, outcome) => metrics.alertOutcomes.inc({ sink, outcome }),
  });
  const { storage, outbox, writable } = core;
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
  const security = securityMiddleware({
    config: config.security,
    apiToken: p.secrets[config.security.apiTokenEnv],
    bindHost: config.server.host,
    now: clock.now,
    onRateLimited: () => metrics.rateLimited.inc(),
  });
  return {
    database: core.database,
    cluster: core.cluster,
    metrics,
    outbox,
    alerter: core.alerter,
    retention: core.retention,
    storage,
    readiness: core.readiness,
    http: {
      security,
      metrics,
      admin: adminRoutes({ store, outbox, now: clock.now }),
      storage,
    },
    start: core.start,
    stop: core.stop,
  };
}
