import { z } from 'zod';
import { IncidentSeverity } from './severity.js';

/** An incident of a chain (or market): opened, escalated and closed from status transitions. */
export const Incident = z
  .object({
    id: z.number().int(),
    subjectType: z.string(),
    subjectId: z.string(),
    kind: z.string(),
    severity: IncidentSeverity,
    state: z.enum(['open', 'closed']),
    title: z.string(),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().nullable(),
    updatedAt: z.iso.datetime(),
    /** Peak metrics during the incident (`maxSecondsSinceNewHead`, `maxReorgDepth`, ...). */
    peak: z.record(z.string(), z.number()),
    /** Blocks around the incident and other context. */
    context: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Incident' });
export type Incident = z.infer<typeof Incident>;

/** Body of `GET /v1/incidents`: newest first; pass `nextCursor` as `cursor` for the next page. */
export const IncidentList = z
  .object({ items: z.array(Incident), nextCursor: z.string().nullable() })
  .meta({ id: 'IncidentList' });
export type IncidentList = z.infer<typeof IncidentList>;

/** Query of `GET /v1/incidents`. */
export const IncidentQuery = z.object({
  subjectType: z.string().min(1).max(32).optional(),
  subjectId: z.string().min(1).max(128).optional(),
  kind: z.string().min(1).max(64).optional(),
  state: z.enum(['open', 'closed']).optional(),
  severity: IncidentSeverity.optional(),
  /** Incidents that started at or after this instant (ISO 8601). */
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a cursor returned as nextCursor')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type IncidentQuery = z.infer<typeof IncidentQuery>;
