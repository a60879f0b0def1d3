import type { Context, MiddlewareHandler } from 'hono';

/**
 * Answers that carry, from the start, every header the hardening middleware would add after the
 * route ran — the hot path of a polled, cached answer (`GET /v1/chains`).
 *
 * A header middleware that sets headers on `c.res` after `next()` makes `@hono/node-server` build
 * an undici `Headers` for the response, then turn it back into a plain object (sorted) to write
 * it: for a cached answer that was the largest share of the HTTP thread's allocations and a fifth
 * of its CPU per request. Instead each header middleware *plans* its headers before `next()`
 * ({@link planHeaders}); a route that builds its answer with {@link respondWithPlannedHeaders}
 * gets them all in one plain object, and the middleware, seeing {@link hasPlannedHeaders}, leaves
 * the response alone. Any other response (every route but the hot ones, errors thrown by a
 * middleware or a route, 404s) gets the same headers the usual way, after `next()`.
 */

/**
 * Header sets planned for a request's answer, by request, outermost middleware first (lower-case
 * names). The sets are kept as given (a middleware passes constant objects where it can), so the
 * merged answer headers can be reused while they are the same objects.
 */
const planned = new WeakMap<Context, Readonly<Record<string, string>>[]>();
/** Responses built by {@link respondWithPlannedHeaders}: they carry every planned header. */
const complete = new WeakSet<Response>();

/**
 * Plans `headers` for `c`'s answer, applied after (over) what an outer middleware planned; `vary`
 * values are appended, as `Headers.append` would. Call before `next()`; `headers` must not change
 * afterwards (pass a constant where the headers do not depend on the request).
 */
export function planHeaders(c: Context, headers: Readonly<Record<string, string>>): void {
  const sets = planned.get(c);
  if (sets === undefined) planned.set(c, [headers]);
  else sets.push(headers);
}

/**
 * True when `c.res` was built by {@link respondWithPlannedHeaders}: it already carries what a
 * header middleware planned, which then must not touch it (after `next()`).
 */
export function hasPlannedHeaders(c: Context): boolean {
  return complete.has(c.res);
}

/** The answer headers: the route's, then each planned set over them (innermost last), sorted. */
function mergeHeaders(
  own: Readonly<Record<string, string>>,
  sets: readonly Readonly<Record<string, string>>[],
): Record<string, string> {
  const merged: Record<string, string> = { ...own };
  // Inner middleware set theirs first (after `next()`), outer ones over them.
  for (let i = sets.length - 1; i >= 0; i--)
    for (const [name, value] of Object.entries(sets[i] as Record<string, string>))
      merged[name] =
        name === 'vary' && merged.vary !== undefined ? `${merged.vary}, ${value}` : value;
  const sorted: Record<string, string> = {};
  for (const name of Object.keys(merged).sort()) sorted[name] = merged[name] as string;
  return sorted;
}

/** The last merge, reused while the route's headers and every planned set are the same objects. */
let lastMerge: {
  own: Readonly<Record<string, string>>;
  sets: readonly Readonly<Record<string, string>>[];
  headers: Record<string, string>;
} | null = null;

/**
 * A response with `body`, `status` and `headers` (lower-case names) plus every header planned for
 * `c`. The route's headers win over none of the planned ones: the middleware's would have
 * overwritten them (`vary` excepted, which is appended). Written in sorted order, as the undici
 * `Headers` of the usual path would be, so the bytes on the wire are the same. A route answering
 * the same cached bytes passes the same `headers` object each time: the merged headers are then
 * reused (they are only read: `@hono/node-server` writes them, a later change copies them).
 *
 * @example return respondWithPlannedHeaders(c, bytes, 200, { 'content-type': 'application/json' });
 */
export function respondWithPlannedHeaders(
  c: Context,
  body: Uint8Array | string | null,
  status: number,
  headers: Readonly<Record<string, string>>,
): Response {
  const sets = planned.get(c) ?? [];
  let merged: Record<string, string>;
  if (
    lastMerge !== null &&
    lastMerge.own === headers &&
    lastMerge.sets.length === sets.length &&
    lastMerge.sets.every((s, i) => s === sets[i])
  )
    merged = lastMerge.headers;
  else {
    merged = mergeHeaders(headers, sets);
    lastMerge = { own: headers, sets: [...sets], headers: merged };
  }
  // A plain header object keeps @hono/node-server on its fast path (no undici Headers).
  const res = new Response(body, { status, headers: merged });
  complete.add(res);
  return res;
}

/**
 * `hono/secure-headers` with `crossOriginResourcePolicy` and `crossOriginOpenerPolicy` off (the
 * status page sets its own CSP; JSON needs none; the extension reads cross-origin), in the same
 * order: the headers it sets on every answer. `securityHeaders.test.ts` checks them against hono's.
 */
export const SECURE_HEADERS: Readonly<Record<string, string>> = {
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

/**
 * The security headers ({@link SECURE_HEADERS}) on every answer, overwriting a route's own, and
 * no `X-Powered-By` — what `secureHeaders({ crossOriginResourcePolicy: false,
 * crossOriginOpenerPolicy: false })` of hono does, but planned before the route runs, so a route
 * answering with {@link respondWithPlannedHeaders} has them without a second pass.
 *
 * @example app.use('*', securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler {
  const entries = Object.entries(SECURE_HEADERS);
  return async function securityHeadersMiddleware(c, next) {
    planHeaders(c, SECURE_HEADERS);
    await next();
    if (hasPlannedHeaders(c)) return;
    const headers = c.res.headers;
    for (const [name, value] of entries) headers.set(name, value);
    headers.delete('X-Powered-By');
  };
}
