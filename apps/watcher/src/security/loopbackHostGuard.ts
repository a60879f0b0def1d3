import type { MiddlewareHandler } from 'hono';
import { RequestRefusedError } from '../errors.js';
import { isLoopbackHost } from './securityConfig.js';

/**
 * The host name of a `Host` header value without port, brackets or trailing dot, lower-cased:
 * `[::1]:8787` → `::1`, `LocalHost.:80` → `localhost`.
 */
export function hostHeaderName(host: string): string {
  const h = host.trim().toLowerCase();
  const name = h.startsWith('[') ? h.slice(1, h.indexOf(']')) : h.replace(/:\d*$/, '');
  return name.replace(/\.$/, '');
}

/**
 * True when a `Host` header names this machine: `localhost` and `*.localhost` (RFC 6761: they
 * never resolve elsewhere), 127.0.0.0/8, `::1` and its IPv4-mapped form.
 */
export function isLoopbackHostHeader(host: string): boolean {
  let loopback = hostVerdicts.get(host);
  if (loopback === undefined) {
    const name = hostHeaderName(host).replace(/^::ffff:/, '');
    loopback = isLoopbackHost(name) || name.endsWith('.localhost');
    // Every request asks (the guard and `requestClient.ts`), with the same few Host values.
    if (hostVerdicts.size >= MAX_HOST_VERDICTS) hostVerdicts.clear();
    hostVerdicts.set(host, loopback);
  }
  return loopback;
}

/** Verdicts of {@link isLoopbackHostHeader} by raw `Host` value; bounded (clients choose them). */
const hostVerdicts = new Map<string, boolean>();
const MAX_HOST_VERDICTS = 256;

/**
 * DNS-rebinding guard for a watcher on loopback without an API token: a web page on
 * `evil.example` whose DNS name is re-pointed at 127.0.0.1 reaches the watcher as a same-origin
 * page, past CORS, and could read and write everything. Such requests still carry
 * `Host: evil.example`, so every request whose Host is not a loopback name or address (or one of
 * `allowedHosts`, for a reverse proxy that forwards its own name) is refused with 421
 * problem+json, on every route.
 *
 * @example app.use('*', loopbackHostGuard({ allowedHosts: [] }))
 */
export function loopbackHostGuard(p: { allowedHosts: readonly string[] }): MiddlewareHandler {
  const allowed = new Set(p.allowedHosts.map((h) => hostHeaderName(h)));
  return async function loopbackHostGuardMiddleware(c, next) {
    // Without a Host header (HTTP/1.0, in-process requests) the URL's host is what was addressed.
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (isLoopbackHostHeader(host) || allowed.has(hostHeaderName(host))) return next();
    throw new RequestRefusedError({
      status: 421,
      title: 'Misdirected Request',
      detail: `Host "${host.slice(0, 100)}" is not a loopback name: this watcher listens on loopback without an API token and answers only requests addressed to localhost, 127.0.0.1 or [::1] (DNS-rebinding guard). Add the name to security.allowedHosts for a reverse proxy, or set an API token.`,
    });
  };
}
