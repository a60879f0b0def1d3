import { z } from 'zod';
import {
  SubjectType,
  type WatcherEventKind,
  type WatcherEventPayload,
  watcherEventCatalogue,
  watcherEventKinds,
} from './watcherEventCatalogue.js';

/** OpenAPI component id of one kind's event: `chain.status` → `ChainStatusEvent`. */
export function watcherEventSchemaId(kind: WatcherEventKind): string {
  return `${kind
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')}Event`;
}

function eventVariant(kind: WatcherEventKind) {
  const entry: { subject: SubjectType | null; payload: z.ZodType } = watcherEventCatalogue[kind];
  return z
    .object({
      id: z.number().int().positive(),
      at: z.iso.datetime(),
      kind: z.literal(kind),
      subject: z.object({
        type: entry.subject === null ? SubjectType : z.literal(entry.subject),
        id: z.string(),
      }),
      payload: entry.payload,
    })
    .meta({ id: watcherEventSchemaId(kind) });
}

/** One event of a given kind, as sent on `GET /v1/events`. */
export type WatcherEventOf<K extends WatcherEventKind> = {
  id: number;
  /** ISO 8601. */
  at: string;
  kind: K;
  subject: { type: string; id: string };
  payload: WatcherEventPayload<K>;
};

/**
 * One entry of the persisted event log, as sent on `GET /v1/events` (SSE: `id` is the event id,
 * `event` the kind, `data` this object as JSON): one variant per kind of the event catalogue
 * (`watcherEventCatalogue`), discriminated by `kind`.
 */
export type WatcherEvent = { [K in WatcherEventKind]: WatcherEventOf<K> }[WatcherEventKind];

const variants = watcherEventKinds.map(eventVariant);

/** Runtime schema of {@link WatcherEvent} (a discriminated union on `kind`). */
export const WatcherEvent = z
  .discriminatedUnion(
    'kind',
    variants as unknown as [(typeof variants)[number], ...(typeof variants)[number][]],
  )
  .meta({ id: 'WatcherEvent' }) as unknown as z.ZodType<WatcherEvent>;

/** Body of `GET /readyz`. */
export const Readiness = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checks: z.record(z.string(), z.boolean()),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof Readiness>;
