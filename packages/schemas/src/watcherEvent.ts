import { z } from 'zod';

/**
 * One entry of the persisted event log, as sent on `GET /v1/events` (SSE: `id` is the event id,
 * `event` the kind, `data` this object as JSON).
 */
export const WatcherEvent = z
  .object({
    id: z.number().int().positive(),
    at: z.iso.datetime(),
    /** `chain.status`, `chain.flags`, `chain.reorg`, `incident.opened|escalated|closed`, ... */
    kind: z.string(),
    subject: z.object({ type: z.string(), id: z.string() }),
    payload: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'WatcherEvent' });
export type WatcherEvent = z.infer<typeof WatcherEvent>;

/** Body of `GET /readyz`. */
export const Readiness = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.record(z.string(), z.boolean()),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof Readiness>;
