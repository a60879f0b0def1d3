import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * `server`: where the HTTP API listens and how much one client can hold. Binding anywhere but
 * loopback is the operator's choice; the security section (write/admin token, CORS, rate limit)
 * lives in its own file. The limits bound a slow-header flood and idle SSE readers (README,
 * "Server limits").
 */
export const ServerConfig = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
    /** A client must send its request headers within this many ms (else 408, socket closed). */
    headersTimeoutMs: positiveInt.default(10_000),
    /** …and its whole request (headers + body) within this; responses (SSE) may last longer. */
    requestTimeoutMs: positiveInt.default(30_000),
    /**
     * Open sockets at most. At the cap a new connection closes the oldest socket still waiting
     * for request headers (or idle between keep-alive requests); if none is, the new one is closed.
     */
    maxConnections: positiveInt.default(512),
    /** `/v1/events` streams at once over all clients (503 with Retry-After above). */
    maxEventStreams: positiveInt.default(200),
    /** `/v1/events` streams per client IP (429 with Retry-After above). */
    maxEventStreamsPerClient: positiveInt.default(8),
    /** Bytes of events queued for one SSE reader that does not keep up before it is dropped. */
    eventStreamBufferBytes: positiveInt.default(1024 * 1024),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.headersTimeoutMs > s.requestTimeoutMs)
      ctx.addIssue({
        code: 'custom',
        path: ['headersTimeoutMs'],
        message: `must not exceed requestTimeoutMs (${s.requestTimeoutMs})`,
      });
  })
  .prefault({});
export type ServerConfig = z.infer<typeof ServerConfig>;
