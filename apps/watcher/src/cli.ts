import { serve } from '@hono/node-server';
import { createApp } from './createApp.js';

const port = Number(process.env.PERPSCOPE_PORT ?? 8787);
const host = process.env.PERPSCOPE_HOST ?? '127.0.0.1';
const startedAt = Date.now();
const app = createApp({ version: '0.1.0', now: Date.now, startedAt });
const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`perpscope-watcher listening on http://${host}:${info.port}/ (try /healthz)`);
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => server.close(() => process.exit(0)));
}
