import type { Hook } from '@hono/zod-openapi';
import type { Problem } from '@perpscope/schemas';
import type { Context, ErrorHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatPath } from '../config/loadConfig.js';
import { BadRequestError, NotFoundError, RequestRefusedError } from '../errors.js';
import type { Logger } from '../logger.js';

/** Sends an RFC 9457 problem+json response. */
export function problem(
  c: Context,
  body: Problem,
  headers: Readonly<Record<string, string>> = {},
): Response {
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, {
    'content-type': 'application/problem+json',
    ...headers,
  });
}

/**
 * The `defaultHook` of every OpenAPIHono sub-app: a request that fails its zod schema becomes a
 * {@link BadRequestError} naming each field as `<target>.<path>` (`query.limit`, `param.chainId`).
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every input type
export const validationHook: Hook<any, any, any, any> = (result) => {
  if (!result.success) {
    throw new BadRequestError(
      result.error.issues.map((i) => ({
        path: formatPath([result.target, ...i.path]),
        message: i.message,
      })),
    );
  }
};

/**
 * Maps errors to problem+json in one place (house style rule 7): route errors
 * ({@link BadRequestError}, {@link NotFoundError}) and the refusals the hardening middleware and
 * the event stream throw ({@link RequestRefusedError}); anything else is a logged 500.
 */
export function problemOnError(logger: Logger): ErrorHandler {
  return (err, c) => {
    if (err instanceof RequestRefusedError) {
      return problem(
        c,
        {
          type: `https://perpscope.dev/problems/${err.title.toLowerCase().replaceAll(' ', '-')}`,
          title: err.title,
          status: err.status,
          detail: err.message,
          instance: c.req.path,
        },
        err.headers,
      );
    }
    if (err instanceof BadRequestError) {
      return problem(c, {
        type: 'https://perpscope.dev/problems/bad-request',
        title: 'Bad request',
        status: 400,
        detail: err.message,
        instance: c.req.path,
        errors: err.issues.map((i) => ({ field: i.path, message: i.message })),
      });
    }
    if (err instanceof NotFoundError) {
      return problem(c, {
        type: 'https://perpscope.dev/problems/not-found',
        title: 'Not found',
        status: 404,
        detail: err.message,
        instance: c.req.path,
      });
    }
    logger.error({ err, path: c.req.path }, 'unhandled API error');
    return problem(c, {
      type: 'about:blank',
      title: 'Internal error',
      status: 500,
      detail: 'the watcher failed to answer this request; see its log',
      instance: c.req.path,
    });
  };
}

/** problem+json 404 for unknown routes. */
export function problemNotFound(c: Context): Response {
  return problem(c, {
    type: 'https://perpscope.dev/problems/not-found',
    title: 'Not found',
    status: 404,
    detail: `no route for ${c.req.method} ${c.req.path}`,
    instance: c.req.path,
  });
}
