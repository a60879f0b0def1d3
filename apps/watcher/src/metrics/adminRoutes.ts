import type Database from 'better-sqlite3';
import { desc, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import type { AlertOutbox } from '../alerts/AlertOutbox.js';
import type { Db } from '../db/openDb.js';
import { alertOutbox } from '../db/schema/alerts.js';
import { dbSizeReport, vacuumDatabase } from '../retention/dbSizeReport.js';

/** Dependencies of {@link adminRoutes}. */
export type AdminRoutesDeps = {
  db: Db;
  sqlite: Database.Database;
  outbox: AlertOutbox;
  /** Ms since the epoch. */
  now: () => number;
};

/**
 * `/v1/admin/*`: operator routes behind the API token (the security middleware guards the whole
 * prefix). Storage report, VACUUM, the alert outbox and a test alert.
 */
export function adminRoutes(deps: AdminRoutesDeps) {
  return new Hono()
    .get('/storage', (c) => c.json(dbSizeReport(deps.sqlite)))
    .post('/vacuum', (c) => c.json(vacuumDatabase(deps.sqlite)))
    .get('/alerts', (c) => {
      const counts = deps.db.all<{ sink: string; state: string; n: number }>(
        sql`SELECT sink, state, count(*) AS n FROM alert_outbox GROUP BY sink, state ORDER BY sink, state`,
      );
      // Rows carry no sink URL (only the sink name); lastError is redacted when written.
      const recent = deps.db
        .select({
          id: alertOutbox.id,
          sink: alertOutbox.sink,
          subject: alertOutbox.subject,
          transition: alertOutbox.transition,
          state: alertOutbox.state,
          attempts: alertOutbox.attempts,
          createdAtMs: alertOutbox.createdAtMs,
          deliveredAtMs: alertOutbox.deliveredAtMs,
          lastHttpStatus: alertOutbox.lastHttpStatus,
          lastError: alertOutbox.lastError,
        })
        .from(alertOutbox)
        .orderBy(desc(alertOutbox.id))
        .limit(50)
        .all();
      return c.json({ sinks: deps.outbox.sinkNames, counts, recent });
    })
    .post('/test-alert', (c) => {
      const at = deps.now();
      const results = deps.outbox.enqueue({
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
