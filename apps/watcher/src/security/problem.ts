import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An RFC 9457 problem+json response. Used by the security middlewares, which answer before any
 * route (and so before the app's `onError`) runs.
 */
export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  problem: { title: string; detail: string; headers?: Record<string, string> },
): Response {
  return c.body(
    JSON.stringify({ type: 'about:blank', title: problem.title, status, detail: problem.detail }),
    status,
    { 'content-type': 'application/problem+json', ...problem.headers },
  );
}
