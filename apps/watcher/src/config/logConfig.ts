import { z } from 'zod';

/** `log`: pino level. The env variable `PERPSCOPE_LOG_LEVEL` overrides it. */
export const LogConfig = z
  .object({
    level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  })
  .strict()
  .default({ level: 'info' });
export type LogConfig = z.infer<typeof LogConfig>;
