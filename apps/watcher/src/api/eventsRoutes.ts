import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { type WatcherEvent, WatcherEvent as WatcherEventSchema } from '@perpscope/schemas';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { eventsAfter, latestEvents, type StoredEvent } from '../db/queries/events.js';
import { BadRequestError } from '../errors.js';
import type { AppDeps } from './appDeps.js';
import { problemResponses } from './openApiResponses.js';
import { validationHook } from './problem.js';

const EventId = z.string().regex(/^\d{1,15}$/, 'must be an event id (digits)');

const streamRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['events'],
  summary:
    'Server-Sent Events of every state change. Send `Last-Event-ID` (or `?lastEventId=`) to resume from the persisted log; without it the stream starts at the present.',
  request: {
    query: z.object({ lastEventId: EventId.optional() }),
    headers: z.object({ 'last-event-id': EventId.optional() }),
  },
  responses: {
    200: {
      description: 'An SSE stream; each `data:` is a WatcherEvent, `id:` its id, `event:` its kind',
      content: { 'text/event-stream': { schema: WatcherEventSchema } },
    },
    400: problemResponses[400],
  },
});

/** Serialises a stored event for the API. */
export function presentEvent(e: StoredEvent): WatcherEvent {
  return {
    id: e.id,
    at: new Date(e.at).toISOString(),
    kind: e.kind,
    subject: e.subject,
    payload: e.payload,
  };
}

const REPLAY_BATCH = 500;

/** `/v1/events`: SSE with `Last-Event-ID` resume from the event log. */
export function eventsRoutes(deps: AppDeps) {
  const heartbeatMs = deps.sseHeartbeatMs ?? 15_000;
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(streamRoute, (c) => {
    const header = c.req.valid('header')['last-event-id'];
    const query = c.req.valid('query').lastEventId;
    if (header !== undefined && query !== undefined && header !== query) {
      throw new BadRequestError([
        { path: 'query.lastEventId', message: 'disagrees with the Last-Event-ID header' },
      ]);
    }
    const resumeFrom = header ?? query;
    // Subscribe before replaying so nothing published during the replay is missed; the id check
    // below drops what the replay already sent.
    const pending: StoredEvent[] = [];
    let wake: (() => void) | null = null;
    const unsubscribe = deps.eventLog.subscribe((ev) => {
      pending.push(ev);
      wake?.();
    });
    let lastId =
      resumeFrom !== undefined
        ? Number(resumeFrom)
        : (latestEvents(deps.db, { limit: 1 })[0]?.id ?? 0);
    return streamSSE(c, async (stream) => {
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      const send = (e: StoredEvent) =>
        stream.writeSSE({ id: String(e.id), event: e.kind, data: JSON.stringify(presentEvent(e)) });
      try {
        for (;;) {
          const batch = eventsAfter(deps.db, { afterId: lastId, limit: REPLAY_BATCH });
          for (const e of batch) await send(e);
          if (batch.length > 0) lastId = batch.at(-1)!.id;
          if (batch.length < REPLAY_BATCH) break;
        }
        while (!stream.aborted) {
          while (pending.length > 0) {
            const e = pending.shift()!;
            if (e.id <= lastId) continue;
            await send(e);
            lastId = e.id;
          }
          const timedOut = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), heartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = null;
          if (timedOut && !stream.aborted) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    });
  });
}
