import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps } from './api/appDeps.js';
import { chainsRoutes } from './api/chainsRoutes.js';
import { docsPageHtml } from './api/docsPage.js';
import { eventsRoutes } from './api/eventsRoutes.js';
import { healthRoutes } from './api/healthRoutes.js';
import { incidentsRoutes } from './api/incidentsRoutes.js';
import { problemNotFound, problemOnError } from './api/problem.js';

export type { AppDeps };

/**
 * Builds the HTTP application from its dependencies; no module-level state. Each resource is a
 * sub-app mounted with `.route()`; errors become problem+json in one `onError`.
 *
 * @example
 * const app = createApp({ db, eventLog, clock: systemClock, logger, version: '0.1.0', startedAt: Date.now() });
 * const res = await app.request('/v1/chains');
 */
export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono()
    .route('/', healthRoutes(deps))
    .route('/v1/chains', chainsRoutes(deps))
    .route('/v1/incidents', incidentsRoutes(deps))
    .route('/v1/events', eventsRoutes(deps));
  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'perpscope watcher API',
      version: deps.version,
      description:
        'L2 sequencer liveness and HIP-3 oracle status, incidents and a live event stream. Errors are application/problem+json (RFC 9457).',
    },
  });
  app.get('/docs', (c) => c.html(docsPageHtml));
  app.notFound(problemNotFound);
  app.onError(problemOnError(deps.logger));
  return app;
}

/** The application type (for a typed client: `hc<AppType>`). */
export type AppType = ReturnType<typeof createApp>;
