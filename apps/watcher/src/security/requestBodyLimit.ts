import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RequestRefusedError } from '../errors.js';

/**
 * Rejects request bodies larger than `maxBytes` with 413 problem+json, whether announced by
 * `Content-Length` or streamed chunked (hono's body-limit counts the bytes as they arrive).
 *
 * @example app.use('*', requestBodyLimit({ maxBytes: 64 * 1024 }))
 */
export function requestBodyLimit(p: { maxBytes: number }): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize: p.maxBytes,
    onError: () => {
      throw new RequestRefusedError({
        status: 413,
        title: 'Payload Too Large',
        detail: `request body exceeds ${p.maxBytes} bytes (security.maxBodyBytes)`,
      });
    },
  });
  // A GET or HEAD request has no body (the Fetch `Request` refuses one), so hono's check would
  // pass it anyway — but only after reading `c.req.raw.body`, which makes @hono/node-server build
  // a full undici `Request` (headers, AbortController, stream) for every request: the largest
  // per-request allocation of the API's hot path. Decided from the method alone, it costs nothing.
  return async function requestBodyLimitMiddleware(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    return limit(c, next);
  };
}
