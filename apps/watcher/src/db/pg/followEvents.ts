import pg from 'pg';
import type { StoredEvent } from '../queries/events.js';
import type { PgDb } from './openPgDb.js';
import { EVENTS_CHANNEL, eventsAfter } from './queries/events.js';

// Events across processes on PostgreSQL: writers append through `appendEvents` / `insertEvent`
// (`./queries/events.ts`: events lock + NOTIFY at commit); each process follows with this.

export type FollowEventsParameters = {
  /** Connection URL: the follower holds one dedicated connection for LISTEN. */
  readonly url: string;
  /** Reads go through this handle (drizzle over a pool, `openPgDb`'s `db`). */
  readonly db: PgDb;
  /** Deliver events after this id (the SSE `Last-Event-ID`, or the current max at start). */
  readonly afterId: number;
  /** Called with each batch, oldest first, never twice for an id; awaited before the next read. */
  readonly onEvents: (events: readonly StoredEvent[]) => void | Promise<void>;
  /** Read anyway this often (covers a LISTEN connection that dropped unnoticed); default 1,000 ms. */
  readonly pollMs?: number;
  readonly onError?: (error: unknown) => void;
  /** `application_name` of the LISTEN connection (`pg_stat_activity`); default `perpscope-events`. */
  readonly applicationName?: string;
};

export type EventFollower = {
  /** The last id delivered. */
  lastId(): number;
  stop(): Promise<void>;
};

/**
 * Follows the `events` table across processes: LISTENs on {@link EVENTS_CHANNEL} (a nudge per
 * committed write) and reads `id > last` on every nudge and every `pollMs`. When the LISTEN
 * connection drops it reconnects (1 s later) and catches up with a read, so nothing committed
 * meanwhile is lost. Each watcher runs one and publishes what it reads to its SSE clients.
 */
export function followEvents(params: FollowEventsParameters): EventFollower {
  const pollMs = params.pollMs ?? 1_000;
  let last = params.afterId;
  let stopped = false;
  let listener: pg.Client | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let reading: Promise<void> = Promise.resolve();
  let again = false;

  // One read at a time; a nudge during a read schedules exactly one more.
  const drain = (): Promise<void> => {
    if (stopped) return reading;
    again = true;
    reading = reading.then(async () => {
      while (again && !stopped) {
        again = false;
        try {
          for (;;) {
            const batch = await eventsAfter(params.db, { afterId: last, limit: 500 });
            if (batch.length === 0 || stopped) break;
            await params.onEvents(batch);
            last = batch[batch.length - 1]!.id;
          }
        } catch (error) {
          params.onError?.(error);
        }
      }
    });
    return reading;
  };

  // The LISTEN connection is down (server error, terminated, closed): reconnect in 1 s. Once per
  // connection, whichever of 'error' / 'end' / a failed connect comes first.
  const down = (client: pg.Client, error?: unknown) => {
    if (listener !== client) return;
    listener = null;
    if (error !== undefined) params.onError?.(error);
    client.end().catch(() => {});
    if (!stopped) reconnectTimer = setTimeout(() => void listen(), 1_000);
  };
  const listen = async () => {
    if (stopped) return;
    const client = new pg.Client({
      connectionString: params.url,
      application_name: params.applicationName ?? 'perpscope-events',
    });
    listener = client;
    client.on('notification', () => void drain());
    client.on('error', (error) => down(client, error));
    client.on('end', () => down(client));
    try {
      await client.connect();
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (error) {
      down(client, error);
      return;
    }
    await drain(); // catch up on what was committed while not listening
  };
  void listen();
  const poll = setInterval(() => void drain(), pollMs);

  return {
    lastId: () => last,
    stop: async () => {
      stopped = true;
      clearInterval(poll);
      clearTimeout(reconnectTimer);
      await reading;
      await listener?.end().catch(() => {});
      listener = null;
    },
  };
}
