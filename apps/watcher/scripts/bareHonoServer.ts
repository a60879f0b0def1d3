/**
 * Benchmark helper (benchHip3Scale.ts): a bare Hono app on `@hono/node-server` on 127.0.0.1, port 0.
 * `GET /load?file=<path>` caches that file's bytes; `GET /body` answers them as JSON. Prints
 * `BARE <url>` once listening.
 */
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

let body = '{}';
const app = new Hono();
app.get('/load', (c) => {
  body = readFileSync(c.req.query('file') ?? '', 'utf8');
  return c.text(String(body.length));
});
app.get('/body', (c) => c.body(body, 200, { 'content-type': 'application/json' }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
  console.log(`BARE http://127.0.0.1:${info.port}`);
});
