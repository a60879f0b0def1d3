import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { buildStatusScript } from './buildStatusScript.js';

/**
 * Content-Security-Policy of the status page: only its own scripts, styles and API. uPlot sizes
 * its canvas through the CSSOM, which `style-src 'self'` permits.
 */
export const statusPageCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

type Asset = { body: string; type: string };

function loadAssets(): ReadonlyMap<string, Asset> {
  const here = (name: string) => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
  // uPlot is served from node_modules (no CDN): the page works offline and under the CSP above.
  const require = createRequire(import.meta.url);
  const uplotJs = require.resolve('uplot/dist/uPlot.iife.min.js');
  // A Map, not an object literal: a request for `/assets/constructor` or `__proto__` must not
  // find Object.prototype's members (that answered 500).
  return new Map<string, Asset>([
    ['status.js', { body: buildStatusScript().code, type: 'text/javascript; charset=utf-8' }],
    ['status.css', { body: here('status.css'), type: 'text/css; charset=utf-8' }],
    [
      'uplot.min.js',
      { body: readFileSync(uplotJs, 'utf8'), type: 'text/javascript; charset=utf-8' },
    ],
    [
      'uplot.min.css',
      {
        body: readFileSync(uplotJs.replace(/uPlot\.iife\.min\.js$/, 'uPlot.min.css'), 'utf8'),
        type: 'text/css; charset=utf-8',
      },
    ],
  ]);
}

/**
 * The status page at `/` and its assets under `/assets/*`: plain HTML and CSS, and a script that
 * reads the JSON API and `/v1/events` (SSE), bundled from `assets/status.ts` by esbuild
 * (`buildStatusScript`). Everything is read or built once, at start-up.
 *
 * @example app.route('/', statusPageRoutes())
 */
export function statusPageRoutes() {
  const html = readFileSync(new URL('./assets/index.html', import.meta.url), 'utf8');
  const assets = loadAssets();
  return new Hono()
    .get('/', (c) =>
      c.body(html, 200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': statusPageCsp,
        'cache-control': 'no-cache',
        'referrer-policy': 'no-referrer',
      }),
    )
    .get('/assets/:name', (c) => {
      const asset = assets.get(c.req.param('name'));
      if (!asset) return c.notFound();
      return c.body(asset.body, 200, {
        'content-type': asset.type,
        'cache-control': 'public, max-age=300',
        'x-content-type-options': 'nosniff',
      });
    });
}
