import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { problemResponse } from './problem.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Requires `Authorization: Bearer <token>` on admin and write routes: every method other than
 * GET/HEAD/OPTIONS, and every request under `adminPrefix`. Reads stay public. With no token
 * configured (allowed only on loopback, see `insecureBindingProblem`) everything passes.
 * The comparison is constant-time over SHA-256 digests, so neither content nor length leaks.
 *
 * @example app.use('*', requireApiToken({ token: env.apiToken }))
 */
export function requireApiToken(p: {
  token: string | undefined;
  adminPrefix?: string;
}): MiddlewareHandler {
  const expected = p.token === undefined ? undefined : digest(p.token);
  const adminPrefix = p.adminPrefix ?? '/v1/admin';
  return async function requireApiTokenMiddleware(c, next) {
    const needsToken = !safeMethods.has(c.req.method) || c.req.path.startsWith(adminPrefix);
    if (!needsToken || expected === undefined) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return next();
    return problemResponse(c, 401, {
      title: 'Unauthorized',
      detail: match
        ? 'the API token in the Authorization header is wrong'
        : 'this route needs an Authorization: Bearer <API token> header',
      headers: { 'www-authenticate': 'Bearer realm="perpscope-watcher"' },
    });
  };
}
