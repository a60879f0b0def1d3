import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { WatcherMetrics } from './createMetrics.js';

const metricsGet = createRoute({
  method: 'get',
  path: '/',
  tags: ['operations'],
  summary: 'Prometheus metrics (text exposition format); see the README for the series',
  responses: {
    200: {
      description: 'Every perpscope_* series, refreshed from the database at scrape time',
      content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: z.string() } },
    },
  },
});

/** `GET /metrics` in the Prometheus text format. Mount with `app.route('/metrics', metricsRoute(m))`. */
export function metricsRoute(metrics: WatcherMetrics) {
  return new OpenAPIHono().openapi(metricsGet, async (c) =>
    c.text(await metrics.render(), 200, { 'content-type': metrics.contentType }),
  );
}
