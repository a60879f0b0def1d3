import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AlertOutbox } from '../alerts/AlertOutbox.js';
import { validationHook } from '../api/problem.js';
import { alertOutboxStates } from '../db/schema/alerts.js';
import type { WatcherStore } from '../db/store/watcherStore.js';

/** Dependencies of {@link adminRoutes}. */
export type AdminRoutesDeps = {
  store: WatcherStore;
  outbox: AlertOutbox;
  /** Ms since the epoch. */
  now: () => number;
};

/** `GET /v1/admin/storage` (and each half of the vacuum answer): where the database's bytes are. */
export const DbSizeReportSchema = z
  .object({
    databaseBytes: z.number().int().describe('Pages in the main file × page size'),
    freeBytes: z.number().int().describe('Free pages SQLite reuses; VACUUM returns them'),
    walBytes: z.number().int().describe('Size of the -wal file'),
    objects: z
      .array(z.object({ name: z.string(), bytes: z.number().int() }).strict())
      .describe('Bytes per table and index, largest first'),
  })
  .strict()
  .meta({ id: 'DbSizeReport' });

/** `POST /v1/admin/vacuum`: the size report before and after `VACUUM`. */
export const VacuumResultSchema = z
  .object({ before: DbSizeReportSchema, after: DbSizeReportSchema })
  .strict()
  .meta({ id: 'VacuumResult' });

/** `GET /v1/admin/alerts`: the alert outbox per sink and state, and its last 50 rows. */
export const AdminAlertsSchema = z
  .object({
    sinks: z.array(z.string()).describe('Configured sink names'),
    counts: z.array(
      z
        .object({ sink: z.string(), state: z.enum(alertOutboxStates), n: z.number().int() })
        .strict(),
    ),
    recent: z.array(
      z
        .object({
          id: z.number().int(),
          sink: z.string(),
          subject: z.string(),
          transition: z.string(),
          state: z.enum(alertOutboxStates),
          attempts: z.number().int(),
          createdAtMs: z.number().int(),
          deliveredAtMs: z.number().int().nullable(),
          lastHttpStatus: z.number().int().nullable(),
          lastError: z.string().nullable().describe('Redacted: never a sink URL or token'),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'AdminAlerts' });

/** `POST /v1/admin/test-alert`: what happened per sink. */
export const TestAlertResultSchema = z
  .object({
    queued: z.array(
      z
        .object({
          sink: z.string(),
          outcome: z.enum(['queued', 'suppressed', 'duplicate', 'filtered']),
        })
        .strict(),
    ),
  })
  .strict()
  .meta({ id: 'TestAlertResult' });

const json = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});
const admin = { tags: ['admin'], security: [{ bearerAuth: [] }] };

const storageRoute = createRoute({
  ...admin,
  method: 'get',
  path: '/storage',
  summary: 'Database size per table and index, free pages and WAL',
  responses: { 200: json('Size report', DbSizeReportSchema) },
});
const vacuumRoute = createRoute({
  ...admin,
  method: 'post',
  path: '/vacuum',
  summary: 'VACUUM the database (exclusive lock for its duration: seconds per GB)',
  responses: { 200: json('Sizes before and after', VacuumResultSchema) },
});
const alertsRoute = createRoute({
  ...admin,
  method: 'get',
  path: '/alerts',
  summary: 'Alert outbox: counts per sink and state, the last 50 rows',
  responses: { 200: json('Outbox', AdminAlertsSchema) },
});
const testAlertRoute = createRoute({
  ...admin,
  method: 'post',
  path: '/test-alert',
  summary: 'Queue a test message to every sink',
  responses: { 202: json('Queued per sink', TestAlertResultSchema) },
});

/**
 * `/v1/admin/*`: operator routes behind the API token (the security middleware guards the whole
 * prefix). Storage report, VACUUM, the alert outbox and a test alert; described in the OpenAPI
 * document with their response schemas.
 */
export function adminRoutes(deps: AdminRoutesDeps) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(storageRoute, async (c) =>
      c.json(await deps.store.queries.storage.dbSizeReport(), 200),
    )
    .openapi(vacuumRoute, async (c) => c.json(await deps.store.maintenance.compact(), 200))
    .openapi(alertsRoute, async (c) => {
      const counts = await deps.store.queries.alerts.alertOutboxCounts();
      // Rows carry no sink URL (only the sink name); lastError is redacted when written.
      const recent = await deps.store.queries.alerts.recentAlertOutboxRows(50);
      return c.json({ sinks: deps.outbox.sinkNames, counts, recent }, 200);
    })
    .openapi(testAlertRoute, async (c) => {
      const at = deps.now();
      const results = await deps.outbox.enqueue({
        subject: 'test:perpscope',
        subjectName: 'perpscope test alert',
        transition: 'test',
        severity: 'info',
        status: 'test',
        reasons: ['Sent from POST /v1/admin/test-alert to check the alert sinks.'],
        guidance: 'Nothing to do: this is a test.',
        incidentId: `test-${at}`,
        atMs: at,
      });
      return c.json({ queued: results }, 202);
    });
}
