import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { RequestRefusedError } from '../errors.js';
import type { ClientResolver } from './requestClient.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Parameters of {@link requireApiToken}. */
export type RequireApiTokenParameters = {
  token: string | undefined;
  /** Name of the env var holding the token, for the 403 that tells the operator what to set. */
  tokenEnv: string;
  /** Whether a request came directly from this machine (see `requestClient.ts`). */
  client: ClientResolver;
  adminPrefix?: string;
};

/**
 * Requires `Authorization: Bearer <token>` on admin and write routes: every method other than
 * GET/HEAD/OPTIONS, and every request under `adminPrefix`. Reads stay public. The comparison is
 * constant-time over SHA-256 digests, so neither content nor length leaks.
 *
 * With no token configured (allowed only on a loopback bind, see `insecureBindingProblem`) those
 * routes answer only *direct* requests — a loopback socket, no forwarding header, a loopback
 * `Host` — and refuse everything else with 403 naming the fix: behind a reverse proxy every
 * client arrives from 127.0.0.1, so the socket alone proves nothing.
 *
 * @example app.use('*', requireApiToken({ token, tokenEnv: 'PERPSCOPE_API_TOKEN', client }))
 */
export function requireApiToken(p: RequireApiTokenParameters): MiddlewareHandler {
  const expected = p.token === undefined ? undefined : digest(p.token);
  const adminPrefix = p.adminPrefix ?? '/v1/admin';
  return async function requireApiTokenMiddleware(c, next) {
    const needsToken = !safeMethods.has(c.req.method) || c.req.path.startsWith(adminPrefix);
    if (!needsToken) return next();
    if (expected === undefined) {
      if (p.client(c).direct) return next();
      throw new RequestRefusedError({
        status: 403,
        title: 'Forbidden',
        detail: `admin and write routes answer forwarded requests (X-Forwarded-For, Forwarded, a non-loopback Host…) only with an API token, and none is set: set ${p.tokenEnv} (security.apiTokenEnv) and send Authorization: Bearer <token>, or call the watcher directly on its loopback address`,
      });
    }
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match?.[1] && timingSafeEqual(digest(match[1]), expected)) return next();
    throw new RequestRefusedError({
      status: 401,
      title: 'Unauthorized',
      detail: match
        ? 'the API token in the Authorization header is wrong'
        : 'this route needs an Authorization: Bearer <API token> header',
      headers: { 'www-authenticate': 'Bearer realm="perpscope-watcher"' },
    });
  };
}
