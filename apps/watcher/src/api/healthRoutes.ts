import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { Health, Readiness } from '@perpscope/schemas';
import type { AppDeps } from './appDeps.js';

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  tags: ['health'],
  summary: 'Liveness: the process is up and serving',
  responses: { 200: { description: 'Alive', content: { 'application/json': { schema: Health } } } },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  tags: ['health'],
  summary: 'Readiness: the database answers and every subject has started',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: Readiness } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: Readiness } } },
  },
});

/** `/healthz` and `/readyz`. */
export function healthRoutes(deps: AppDeps) {
  return new OpenAPIHono()
    .openapi(healthRoute, (c) =>
      c.json(
        {
          status: 'ok' as const,
          version: deps.version,
          uptimeSeconds: Math.max(0, (deps.clock.now() - deps.startedAt) / 1000),
        },
        200,
      ),
    )
    .openapi(readyRoute, async (c) => {
      const database = await deps.store.queries.storage.databaseAnswers();
      const checks = { database, ...deps.readiness?.() };
      const ready = Object.values(checks).every(Boolean);
      return c.json(
        { status: ready ? ('ready' as const) : ('not-ready' as const), checks },
        ready ? 200 : 503,
      );
    });
}
