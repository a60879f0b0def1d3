import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { RequestRefusedError } from '../errors.js';
import { hasPlannedHeaders, planHeaders } from './preparedHeaders.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
const EXPOSE_HEADERS = 'Retry-After';
/** Every answer varies by Origin (a cache must not reuse a no-Origin answer for an extension). */
const VARY_ONLY: Readonly<Record<string, string>> = { vary: 'Origin' };

/** A browser extension's origin: Chromium's `chrome-extension://<id>`, Firefox's `moz-extension://<uuid>`. */
const EXTENSION_ORIGIN = /^(chrome-extension:\/\/[a-p]{32}|moz-extension:\/\/[0-9a-f-]{36})$/;

/**
 * CORS for the configured browser extensions (`chrome-extension://<id>`) and origins only (and,
 * with `anyExtension`, every extension origin: the demo, whose data is made up); any
 * other cross-origin page gets no `Access-Control-Allow-Origin`, and its non-GET requests are
 * refused with 403 — browsers send "simple" POSTs cross-origin without a preflight, so CORS alone
 * would not stop a web page from writing to a watcher on the user's loopback.
 *
 * @example app.use('*', corsPolicy({ extensionIds: ['abcdefghijklmnopabcdefghijklmnop'], origins: [] }))
 */
export function corsPolicy(p: {
  extensionIds: readonly string[];
  origins: readonly string[];
  /**
   * Admit any `chrome-extension://` / `moz-extension://` origin (`security.allowAnyExtension`):
   * Firefox gives every install its own random UUID, so a demo cannot name it in advance.
   */
  anyExtension?: boolean;
}): MiddlewareHandler {
  const listed = new Set([...p.extensionIds.map((id) => `chrome-extension://${id}`), ...p.origins]);
  const allowed = {
    has: (origin: string) =>
      listed.has(origin) || (p.anyExtension === true && EXTENSION_ORIGIN.test(origin)),
  };
  /** The planned headers of an allowed origin, one constant object per origin (few: configured). */
  const allowedHeaders = new Map<string, Readonly<Record<string, string>>>();
  const allowedHeadersFor = (origin: string) => {
    let headers = allowedHeaders.get(origin);
    if (headers === undefined) {
      // `allowAnyExtension` admits any extension id: keep the map bounded.
      if (allowedHeaders.size >= 64) allowedHeaders.clear();
      headers = {
        'access-control-allow-origin': origin,
        'access-control-expose-headers': EXPOSE_HEADERS,
        ...VARY_ONLY,
      };
      allowedHeaders.set(origin, headers);
    }
    return headers;
  };
  const corsMiddleware = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    exposeHeaders: [EXPOSE_HEADERS],
    maxAge: 600,
  });
  return async function corsPolicyMiddleware(c, next) {
    const origin = c.req.header('origin');
    if (origin && !allowed.has(origin) && !safeMethods.has(c.req.method)) {
      const self = new URL(c.req.url).origin;
      if (origin !== self)
        throw new RequestRefusedError({
          status: 403,
          title: 'Forbidden',
          detail: `origin ${origin} is not allowed; add it to security.corsOrigins or security.extensionIds`,
        });
    }
    if (c.req.method === 'OPTIONS') return corsMiddleware(c, next);
    // Actual requests: the same headers hono/cors gives them, set after the handler on the
    // response it returned. hono/cors sets them on `c.res` *before* the handler, which makes Hono
    // rebuild every response around its body — a web ReadableStream that @hono/node-server then
    // reads back with extra promise and timer hops (~20 % of a cached answer's CPU under load).
    // They are planned first, so a route answering with all planned headers has them already
    // (`preparedHeaders.ts`).
    const allowedOrigin = origin !== undefined && allowed.has(origin);
    planHeaders(c, allowedOrigin ? allowedHeadersFor(origin) : VARY_ONLY);
    await next();
    if (hasPlannedHeaders(c)) return;
    const headers = c.res.headers;
    if (allowedOrigin) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
    headers.append('Vary', VARY_ONLY.vary as string);
  };
}
