import { z } from 'zod';

/** Body of `GET /healthz`: the process is alive and serving. */
export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptimeSeconds: z.number().nonnegative(),
});
export type Health = z.infer<typeof Health>;
