import { Hono } from 'hono';
import type { WatcherMetrics } from './createMetrics.js';

/** `GET /metrics` in the Prometheus text format. Mount with `app.route('/metrics', metricsRoute(m))`. */
export function metricsRoute(metrics: WatcherMetrics) {
  return new Hono().get('/', async (c) =>
    c.body(await metrics.render(), 200, { 'content-type': metrics.contentType }),
  );
}
