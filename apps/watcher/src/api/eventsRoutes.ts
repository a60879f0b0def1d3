import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { Problem, type WatcherEvent, WatcherEvent as WatcherEventSchema } from '@perpscope/schemas';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { ServerConfig } from '../config/serverConfig.js';
import type { StoredEvent } from '../db/queries/events.js';
import { BadRequestError, RequestRefusedError } from '../errors.js';
import { clientResolver } from '../security/requestClient.js';
import type { AppDeps } from './appDeps.js';
import { EventStreamHub } from './EventStreamHub.js';
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
      description:
        'An SSE stream; each `data:` is a WatcherEvent (one variant per event kind of the catalogue, discriminated by `kind`, each with its payload schema), `id:` its id, `event:` its kind',
      content: { 'text/event-stream': { schema: WatcherEventSchema } },
    },
    400: problemResponses[400],
    503: {
      description:
        'server.maxEventStreams streams are open (per client, server.maxEventStreamsPerClient, answers 429)',
      headers: {
        'Retry-After': {
          description: 'Seconds until a stream may be free',
          schema: { type: 'integer' },
        },
      },
      content: { 'application/problem+json': { schema: Problem } },
    },
  },
});

/** Seconds a refused client is told to wait before reconnecting. */
const RETRY_AFTER_S = 5;

/** The default hub: `ServerConfig` defaults, the socket peer as the client (no trusted proxy). */
export function defaultEventStreamHub(): EventStreamHub {
  const d = ServerConfig.parse({});
  return new EventStreamHub({
    limits: {
      maxStreams: d.maxEventStreams,
      maxStreamsPerClient: d.maxEventStreamsPerClient,
      bufferBytes: d.eventStreamBufferBytes,
    },
    client: clientResolver({ trustProxy: [] }),
  });
}

/** Serialized `data:` of each event, shared by every stream that sends it. */
const serialized = new WeakMap<StoredEvent, string>();
function eventData(e: StoredEvent): string {
  let data = serialized.get(e);
  if (data === undefined) {
    data = JSON.stringify(presentEvent(e));
    serialized.set(e, data);
  }
  return data;
}

/** Serialises a stored event for the API. */
export function presentEvent(e: StoredEvent): WatcherEvent {
  // Spread keeps kind and payload paired (the union is one variant per catalogue kind).
  return { ...e, at: new Date(e.at).toISOString() } as WatcherEvent;
}

const REPLAY_BATCH = 500;

/**
 * `/v1/events`: SSE with `Last-Event-ID` resume from the event log. Streams are capped in total
 * (503) and per client IP (429); a reader more than `bufferBytes` of events behind is dropped
 * (its socket closed) and resumes from the log when it reconnects.
 */
export function eventsRoutes(deps: AppDeps) {
  const heartbeatMs = deps.sseHeartbeatMs ?? 15_000;
  const hub = deps.eventStreams ?? defaultEventStreamHub();
  return new OpenAPIHono({ defaultHook: validationHook }).openapi(streamRoute, async (c) => {
    const header = c.req.valid('header')['last-event-id'];
    const query = c.req.valid('query').lastEventId;
    if (header !== undefined && query !== undefined && header !== query) {
      throw new BadRequestError([
        { path: 'query.lastEventId', message: 'disagrees with the Last-Event-ID header' },
      ]);
    }
    const seat = hub.open(hub.client(c).ip);
    if ('status' in seat) {
      throw new RequestRefusedError({
        status: seat.status,
        title: seat.status === 429 ? 'Too Many Requests' : 'Service Unavailable',
        detail: seat.detail,
        headers: { 'retry-after': String(RETRY_AFTER_S) },
      });
    }
    const resumeFrom = header ?? query;
    // Subscribe before replaying so nothing published during the replay is missed; the id check
    // below drops what the replay already sent. `pending` holds what the reader has not taken
    // yet; past the byte budget the reader is dropped instead of buffering without bound.
    const pending: StoredEvent[] = [];
    let wake: (() => void) | null = null;
    let dropped = false;
    let drop = () => {
      dropped = true;
    };
    const unsubscribe = deps.eventLog.subscribe((ev) => {
      if (dropped) return;
      if (!seat.queue(eventData(ev).length)) {
        drop();
        return;
      }
      pending.push(ev);
      wake?.();
    });
    let lastId =
      resumeFrom !== undefined
        ? Number(resumeFrom)
        : ((await deps.store.queries.events.latestEvents({ limit: 1 }))[0]?.id ?? 0);
    // @hono/node-server's bindings: the socket is closed outright, or a reader that does not read
    // would keep the bytes already handed to it in memory.
    const incoming = (c.env as { incoming?: { socket?: { destroy(): void } } } | undefined)
      ?.incoming;
    return streamSSE(c, async (stream) => {
      const end = () => {
        unsubscribe();
        wake?.();
      };
      stream.onAbort(end);
      drop = () => {
        dropped = true;
        pending.length = 0;
        seat.release({ dropped: true });
        deps.logger.warn(
          { bufferBytes: hub.limits.bufferBytes },
          'dropped an event stream whose reader fell behind (server.eventStreamBufferBytes)',
        );
        end();
        stream.abort();
        incoming?.socket?.destroy();
      };
      if (dropped) drop();
      const send = (e: StoredEvent) =>
        stream.writeSSE({ id: String(e.id), event: e.kind, data: eventData(e) });
      try {
        for (;;) {
          const batch = await deps.store.queries.events.eventsAfter({
            afterId: lastId,
            limit: REPLAY_BATCH,
          });
          for (const e of batch) {
            if (dropped || stream.aborted) return;
            await send(e);
          }
          if (batch.length > 0) lastId = batch.at(-1)!.id;
          if (batch.length < REPLAY_BATCH) break;
        }
        while (!stream.aborted && !dropped) {
          while (pending.length > 0 && !dropped) {
            const e = pending.shift()!;
            seat.sent(eventData(e).length);
            if (e.id <= lastId) continue;
            await send(e);
            lastId = e.id;
          }
          if (dropped) break;
          const timedOut = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), heartbeatMs);
            wake = () => {
              clearTimeout(timer);
              resolve(false);
            };
          });
          wake = null;
          if (timedOut && !stream.aborted && !dropped) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
        seat.release();
      }
    });
  });
}
