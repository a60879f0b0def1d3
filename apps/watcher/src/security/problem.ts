import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An RFC 9457 problem+json response in the same shape as the API's `onError`
 * (`https://perpscope.dev/problems/<slug>`). The security middlewares answer before any route runs.
 */
export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  problem: { title: string; detail: string; headers?: Record<string, string> },
): Response {
  const slug = problem.title.toLowerCase().replaceAll(' ', '-');
  return c.body(
    JSON.stringify({
      type: `https://perpscope.dev/problems/${slug}`,
      title: problem.title,
      status,
      detail: problem.detail,
      instance: c.req.path,
    }),
    status,
    { 'content-type': 'application/problem+json', ...problem.headers },
  );
}
