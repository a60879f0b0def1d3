import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from './api/appDeps.js';
import { docsPageHtml } from './api/docsPage.js';
import { eventsRoutes } from './api/eventsRoutes.js';
import { healthRoutes } from './api/healthRoutes.js';
import { incidentsRoutes } from './api/incidentsRoutes.js';
import { withHardeningResponses } from './api/openApiResponses.js';
import { problemNotFound, problemOnError } from './api/problem.js';
import { metricsRoute } from './metrics/metricsRoute.js';
import { defaultRateLimitExemptPaths } from './security/rateLimit.js';
import { SecurityConfig } from './security/securityConfig.js';
import { securityMiddleware } from './security/securityMiddleware.js';
import { statusChartsRoutes } from './status-page/statusChartsRoutes.js';
import { statusPageRoutes } from './status-page/statusPageRoutes.js';
import { hip3Routes } from './subjects/hip3/hip3Routes.js';
import { riskSummaryRoutes } from './subjects/hip3/riskSummaryRoutes.js';
import { positionsRoutes } from './subjects/positions/positionsRoutes.js';
import { chainsRoutes } from './subjects/sequencer/chainsRoutes.js';

export type { AppDeps };

/**
 * Builds the HTTP application from its dependencies; no module-level state. Each resource is a
 * sub-app mounted with `.route()`; errors become problem+json in one `onError`.
 *
 * @example
 * const app = createApp({ store, eventLog, clock: systemClock, logger, version: '0.1.0', startedAt: Date.now() });
 * const res = await app.request('/v1/chains');
 */
export function createApp(deps: AppDeps) {
  const base = new OpenAPIHono();
  // Hardening first (headers, CORS, rate limit, token on writes, body limit): see src/security/.
  base.use(
    '*',
    ...(deps.ops?.security ??
      securityMiddleware({
        config: SecurityConfig.parse({}),
        apiToken: undefined,
        now: deps.clock.now,
      })),
  );
  const app = base
    .route('/', healthRoutes(deps))
    .route('/v1/chains', chainsRoutes(deps))
    .route('/v1/incidents', incidentsRoutes(deps))
    .route('/v1/events', eventsRoutes(deps))
    .route('/v1/hip3', hip3Routes(deps))
    .route('/v1/risk-summary', riskSummaryRoutes(deps))
    .route('/v1/positions', positionsRoutes(deps))
    .route('/v1/status', statusChartsRoutes(deps));
  if (deps.ops)
    app.route('/metrics', metricsRoute(deps.ops.metrics)).route('/v1/admin', deps.ops.admin);
  // The hardening middleware answers before any route (421, 429, 413, 403, 401): its responses
  // are added to every operation they can apply to, so the document stays true.
  app.get('/v1/openapi.json', (c) =>
    c.json(
      withHardeningResponses(
        app.getOpenAPI31Document({
          openapi: '3.1.0',
          info: {
            title: 'perpscope watcher API',
            version: deps.version,
            description:
              'L2 sequencer liveness and HIP-3 oracle status, incidents and a live event stream. Errors are application/problem+json (RFC 9457).',
          },
        }),
        { rateLimitExempt: defaultRateLimitExemptPaths, adminPrefix: '/v1/admin' },
      ),
    ),
  );
  app.get('/docs', (c) => c.html(docsPageHtml));
  app.route('/', statusPageRoutes());
  app.notFound(problemNotFound);
  app.onError(problemOnError(deps.logger));
  return app;
}

/** The application type (for a typed client: `hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;
