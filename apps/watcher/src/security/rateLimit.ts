import type { MiddlewareHandler } from 'hono';
import { RequestRefusedError } from '../errors.js';
import type { ClientResolver } from './requestClient.js';

/** Parameters of {@link rateLimit}. */
export type RateLimitParameters = {
  requestsPerMinute: number;
  /** Bucket size: how many requests may arrive at once. */
  burst: number;
  /** Ms since the epoch. */
  now: () => number;
  /** Who sent the request (see `requestClient.ts`): the bucket key and whether it is direct. */
  client: ClientResolver;
  /** Paths never limited (health checks). */
  exemptPaths?: readonly string[];
  /**
   * Don't limit direct clients on this machine (the extension, local scripts): a loopback socket
   * with no forwarding header. Requests through a reverse proxy are always limited. Default true.
   */
  exemptLoopback?: boolean;
  /** Buckets kept at most; full (idle) buckets are dropped first. */
  maxClients?: number;
  onLimited?: (ip: string) => void;
};

/** Paths the rate limit never refuses: orchestrators' health checks. */
export const defaultRateLimitExemptPaths: readonly string[] = ['/healthz', '/readyz'];

/**
 * Per-IP token-bucket rate limit: `burst` requests at once, refilled at `requestsPerMinute`.
 * Over the limit: 429 problem+json with `Retry-After` (seconds). Memory stays bounded by
 * `maxClients` buckets.
 *
 * @example app.use('*', rateLimit({ requestsPerMinute: 600, burst: 120, now: Date.now, client }))
 */
export function rateLimit(p: RateLimitParameters): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  const perMs = p.requestsPerMinute / 60_000;
  const exempt = new Set(p.exemptPaths ?? defaultRateLimitExemptPaths);
  const maxClients = p.maxClients ?? 10_000;
  const exemptLoopback = p.exemptLoopback ?? true;

  function evict(nowMs: number) {
    for (const [ip, b] of buckets)
      if (b.tokens + (nowMs - b.atMs) * perMs >= p.burst) buckets.delete(ip);
    // Still too many active clients: drop the oldest-touched (Map iterates in insertion order).
    for (const ip of buckets.keys()) {
      if (buckets.size < maxClients) break;
      buckets.delete(ip);
    }
  }

  return async function rateLimitMiddleware(c, next) {
    if (exempt.has(c.req.path)) return next();
    const { ip, direct } = p.client(c);
    if (ip === null || (exemptLoopback && direct)) return next();
    const nowMs = p.now();
    const prev = buckets.get(ip);
    const tokens = prev ? Math.min(p.burst, prev.tokens + (nowMs - prev.atMs) * perMs) : p.burst;
    if (tokens < 1) {
      buckets.set(ip, { tokens, atMs: nowMs });
      p.onLimited?.(ip);
      const retryAfterS = Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
      throw new RequestRefusedError({
        status: 429,
        title: 'Too Many Requests',
        detail: `rate limit of ${p.requestsPerMinute} requests/minute (burst ${p.burst}) exceeded for this client`,
        headers: { 'retry-after': String(retryAfterS) },
      });
    }
    if (!prev && buckets.size >= maxClients) evict(nowMs);
    buckets.delete(ip); // re-insert so Map order tracks recency
    buckets.set(ip, { tokens: tokens - 1, atMs: nowMs });
    return next();
  };
}
