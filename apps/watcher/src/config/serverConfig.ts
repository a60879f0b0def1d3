import { z } from 'zod';

/**
 * `server`: where the HTTP API listens. Binding anywhere but loopback is the operator's choice; the
 * security section (write/admin token, CORS, rate limit) lives in its own file.
 */
export const ServerConfig = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65_535).default(8787),
  })
  .strict()
  .default({ host: '127.0.0.1', port: 8787 });
export type ServerConfig = z.infer<typeof ServerConfig>;
