import type { MiddlewareHandler } from 'hono';
import { corsPolicy } from './corsPolicy.js';
import { loopbackHostGuard } from './loopbackHostGuard.js';
import { securityHeaders } from './preparedHeaders.js';
import { rateLimit } from './rateLimit.js';
import { requestBodyLimit } from './requestBodyLimit.js';
import { type ClientResolver, clientResolver } from './requestClient.js';
import { requireApiToken } from './requireApiToken.js';
import { isLoopbackHost, type SecurityConfig } from './securityConfig.js';

/** Parameters of {@link securityMiddleware}. */
export type SecurityMiddlewareParameters = {
  config: SecurityConfig;
  /** The API token (from the env var `config.apiTokenEnv`), if set. */
  apiToken: string | undefined;
  /**
   * The address the server is bound to (`server.host`; default `127.0.0.1`). On loopback without
   * an API token the DNS-rebinding guard ({@link loopbackHostGuard}) checks every `Host` header.
   */
  bindHost?: string;
  /** Ms since the epoch. */
  now: () => number;
  /**
   * Who sent a request; defaults to {@link clientResolver} with `config.trustProxy` (the socket
   * peer, or the rightmost untrusted `X-Forwarded-For` entry behind a trusted proxy).
   */
  client?: ClientResolver;
  onRateLimited?: (ip: string) => void;
};

/**
 * The whole request-hardening stack, in order: security headers, the DNS-rebinding guard (loopback
 * bind without a token: non-loopback `Host` → 421), CORS (extension + configured origins;
 * foreign-origin writes refused), per-IP rate limit (forwarded clients included), API token on
 * admin/write routes (without a token: direct loopback requests only), body size limit. Mount first,
 * each handler on its own: `app.use('*', ...securityMiddleware(...))`, with `problemOnError` as the
 * app's `onError`. Refusals are thrown as `RequestRefusedError`; mounted one by one, each handler's
 * throw is rendered at its own level, so the handlers before it still finish (CORS headers on a 429).
 */
export function securityMiddleware(p: SecurityMiddlewareParameters): readonly MiddlewareHandler[] {
  const guardHosts = isLoopbackHost(p.bindHost ?? '127.0.0.1') && !p.apiToken;
  const pass: MiddlewareHandler = async (_c, next) => next();
  const client = p.client ?? clientResolver({ trustProxy: p.config.trustProxy });
  return [
    // hono's secureHeaders (no CORP/COOP: the extension reads cross-origin), planned before the
    // route so a cached answer carries them from the start (`preparedHeaders.ts`).
    securityHeaders(),
    guardHosts ? loopbackHostGuard({ allowedHosts: p.config.allowedHosts }) : pass,
    corsPolicy({
      extensionIds: p.config.extensionIds,
      origins: p.config.corsOrigins,
      anyExtension: p.config.allowAnyExtension,
    }),
    rateLimit({
      requestsPerMinute: p.config.rateLimit.requestsPerMinute,
      burst: p.config.rateLimit.burst,
      exemptLoopback: p.config.rateLimit.exemptLoopback,
      now: p.now,
      client,
      ...(p.onRateLimited && { onLimited: p.onRateLimited }),
    }),
    requireApiToken({ token: p.apiToken, tokenEnv: p.config.apiTokenEnv, client }),
    requestBodyLimit({ maxBytes: p.config.maxBodyBytes }),
  ];
}
