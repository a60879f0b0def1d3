import { z } from 'zod';
import type { ConfigIssue } from '../errors.js';
import { isTrustProxyEntry } from './requestClient.js';

/** A Chrome extension id: 32 letters a–p. */
const ExtensionId = z
  .string()
  .regex(/^[a-p]{32}$/, 'must be a Chrome extension id (32 letters a–p)');

/**
 * `security`: who may call the API and how much. The API token itself is a secret and is only read
 * from the environment variable named by `apiTokenEnv`.
 *
 * @example
 * ```yaml
 * security:
 *   extensionIds: [abcdefghijklmnopabcdefghijklmnop]
 *   corsOrigins: [https://dashboard.example.com]
 *   rateLimit: { requestsPerMinute: 600, burst: 120 }
 * ```
 */
export const SecurityConfig = z
  .object({
    /** Env var holding the API token for admin/write routes; required when not bound to loopback. */
    apiTokenEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name')
      .default('PERPSCOPE_API_TOKEN'),
    /** Browser extensions allowed by CORS (`chrome-extension://<id>`). */
    extensionIds: z.array(ExtensionId).default([]),
    /**
     * Allow every browser extension's origin (`chrome-extension://…`, `moz-extension://…`) by
     * CORS. The demo sets it (its data is made up and it binds to loopback); a real deployment
     * names its extension in `extensionIds` / `corsOrigins` instead.
     */
    allowAnyExtension: z.boolean().default(false),
    /** Further origins allowed by CORS, exactly as browsers send them (`https://host[:port]`). */
    corsOrigins: z
      .array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like https://host:port'))
      .default([]),
    /** Per client IP token bucket; `/healthz` and `/readyz` are exempt. */
    rateLimit: z
      .object({
        requestsPerMinute: z.number().int().positive().default(600),
        burst: z.number().int().positive().default(120),
        /**
         * Direct clients on this machine (a 127.0.0.0/8 or ::1 socket, no forwarding header, a
         * loopback Host) are not limited; requests through a reverse proxy always are.
         */
        exemptLoopback: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Largest accepted request body. */
    maxBodyBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024),
    /**
     * Extra `Host` names accepted on a loopback bind without an API token (a reverse proxy that
     * forwards its own name). Any other non-loopback Host gets 421: the DNS-rebinding guard.
     */
    allowedHosts: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$/i, 'must be a host name without port or scheme'),
      )
      .default([]),
    /**
     * Addresses (or CIDR ranges) of the reverse proxies in front of the watcher. A request from one
     * of them is attributed to the rightmost `X-Forwarded-For` entry that is not a listed proxy;
     * anything a client wrote further left is ignored. `false` (the old default) = `[]`. The old
     * `true` ("trust the leftmost entry from anyone") is rejected: it let any client pick its IP.
     */
    trustProxy: z
      .union(
        [
          z.literal(false).transform((): string[] => []),
          z.array(
            z
              .string()
              .refine(isTrustProxyEntry, 'must be an IP address or CIDR range, e.g. 127.0.0.1'),
          ),
        ],
        {
          error:
            'must be a list of the reverse proxy addresses, e.g. [127.0.0.1, "::1"] (true is no longer accepted: it trusted whatever X-Forwarded-For a client sent)',
        },
      )
      .default([]),
  })
  .strict()
  .prefault({});
export type SecurityConfig = z.infer<typeof SecurityConfig>;

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * The startup rule "binding elsewhere than loopback requires an API token". Returns the problem
 * as a config issue on `security.apiTokenEnv`, or `null` when the combination is safe.
 */
export function insecureBindingProblem(p: {
  host: string;
  apiToken: string | undefined;
  apiTokenEnv: string;
}): ConfigIssue | null {
  if (isLoopbackHost(p.host) || (p.apiToken && p.apiToken.length >= 16)) return null;
  return {
    path: 'security.apiTokenEnv',
    message: p.apiToken
      ? `${p.apiTokenEnv} must be at least 16 characters when server.host is ${p.host}`
      : `server.host is ${p.host} (not loopback), so set ${p.apiTokenEnv} to an API token for admin/write routes`,
  };
}
