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
  return bodyLimit({
    maxSize: p.maxBytes,
    onError: () => {
      throw new RequestRefusedError({
        status: 413,
        title: 'Payload Too Large',
        detail: `request body exceeds ${p.maxBytes} bytes (security.maxBodyBytes)`,
      });
    },
  });
}
