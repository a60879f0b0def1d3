import { SubscriptionClient, WebSocketTransport } from '@nktkas/hyperliquid';
import {
  firstIssue,
  HlAllDexsClearinghouseStateEvent,
  type HlClearinghouseState,
} from '@perpscope/hyperliquid';
import type { Logger } from '../../logger.js';
import { backoffDelayMs } from '../hip3/createCtxStream.js';
import type { PayloadCounters } from '../hip3/payloadCounters.js';

/** The last states pushed for one user, stamped with the watcher clock at receipt. */
export type PushedAccountStates = {
  states: readonly { dex: string; state: HlClearinghouseState }[];
  receivedMs: number;
};

/** What the guard loop asks of a live stream (see {@link createAccountStateStream}). */
export type AccountStatesFeed = {
  /** The last push for `user` on the socket that is open now; `null` before a snapshot or after a drop. */
  latest(user: `0x${string}`): PushedAccountStates | null;
};

/**
 * HL serves user subscriptions for at most 10 unique users per IP (research/hyperliquid.md §2.3,
 * rate-limits-and-user-limits): the first 10 accounts are streamed, the others read over REST.
 */
export const MAX_STREAMED_USERS = 10;

/** Parameters of {@link createAccountStateStream}. */
export type CreateAccountStateStreamParameters = {
  wsUrl: string;
  /** Guarded addresses (lowercase); one subscription each on one socket, the first {@link MAX_STREAMED_USERS} only. */
  users: readonly `0x${string}`[];
  /** Watcher clock (ms): receipts are stamped with it, so the loop judges freshness on one clock. */
  now: () => number;
  counters: PayloadCounters;
  logger: Logger;
  /** No push on the socket for this long (watcher ms) → it is considered mute and reconnected. */
  silentAfterMs: number;
  /** How often the watchdog looks (real ms). */
  checkIntervalMs: number;
  /** Heartbeat ping period (real ms); HL closes idle sockets after 60 s. */
  keepAliveMs: number;
  /** Reconnect backoff: `min(maxMs, baseMs·2^attempt)` with equal jitter. */
  backoff: { baseMs: number; maxMs: number };
  random?: () => number;
};

/** A running account-state stream. */
export type AccountStateStream = AccountStatesFeed & {
  readonly framesReceived: number;
  /** Socket openings after the first. */
  readonly reconnects: number;
  stop(): Promise<void>;
};

/**
 * The guard's WebSocket: one `@nktkas/hyperliquid` transport with one `allDexsClearinghouseState`
 * subscription per guarded account (one stream covers every dex), heartbeat pings, reconnect with
 * backoff and jitter, resubscribe (the server answers with a fresh snapshot). Pushes are validated
 * and kept per user with their receipt time; a closed socket forgets them at once, so the loop
 * falls back to REST within one poll instead of reading what the socket said before it died. The SDK
 * drops a subscription for good when a resubscribe fails: `onError` subscribes again (as
 * `createCtxStream` does). A socket that stays open but mute is reconnected by a watchdog.
 */
export function createAccountStateStream(
  params: CreateAccountStateStreamParameters,
): AccountStateStream {
  const random = params.random ?? Math.random;
  const users = params.users.slice(0, MAX_STREAMED_USERS);
  if (params.users.length > users.length)
    params.logger.warn(
      { streamed: users.length, guarded: params.users.length },
      'position guard: HL streams at most 10 users per IP; the other accounts are read over REST',
    );
  const transport = new WebSocketTransport({
    url: params.wsUrl,
    keepAlive: { interval: params.keepAliveMs, timeout: Math.max(1000, params.keepAliveMs) },
    reconnect: {
      maxRetries: Number.POSITIVE_INFINITY,
      reconnectionDelay: (attempt) => backoffDelayMs(attempt, params.backoff, random),
    },
    resubscribe: true,
  });
  const latest = new Map<string, PushedAccountStates>();
  let framesReceived = 0;
  let opens = 0;
  let lastFrameMs: number | null = null;
  let lastKickMs = Number.NEGATIVE_INFINITY;
  let stopped = false;
  const subscribed = new Set<string>();
  const pending = new Set<string>();

  transport.socket.addEventListener('open', () => {
    opens += 1;
  });
  // What a dead socket said is no longer current: the loop reads REST until the next snapshot.
  transport.socket.addEventListener('close', () => latest.clear());

  const sub = new SubscriptionClient({ transport });
  const onEvent = (data: unknown) => {
    const receivedMs = params.now();
    const parsed = HlAllDexsClearinghouseStateEvent.safeParse(data);
    if (!parsed.success) {
      params.counters.reject('ws.allDexsClearinghouseState', firstIssue(parsed.error));
      return;
    }
    framesReceived += 1;
    lastFrameMs = receivedMs;
    latest.set(parsed.data.user.toLowerCase(), {
      states: parsed.data.clearinghouseStates.map(([dex, state]) => ({ dex, state })),
      receivedMs,
    });
  };
  const subscribe = async (user: `0x${string}`): Promise<void> => {
    if (pending.has(user)) return;
    pending.add(user);
    await sub
      .allDexsClearinghouseState({ user }, onEvent, {
        onError: (error) => {
          subscribed.delete(user);
          latest.delete(user);
          if (stopped) return;
          params.logger.warn(
            { err: error },
            'position guard: account stream lost; subscribing again',
          );
          void subscribe(user).catch(() => {});
        },
      })
      .finally(() => pending.delete(user));
    subscribed.add(user);
  };
  for (const user of users)
    void subscribe(user).catch((error: unknown) => {
      // Refused or timed out: the watchdog tries again; meanwhile the loop reads REST.
      params.logger.warn({ err: error }, 'position guard: account stream subscribe failed');
    });

  const watchdog = setInterval(() => {
    const now = params.now();
    for (const user of users)
      if (!subscribed.has(user) && !pending.has(user) && !stopped)
        void subscribe(user).catch(() => {});
    if (lastFrameMs === null || now - lastFrameMs <= params.silentAfterMs) return;
    // Mute but open: forget what it said and kick it (the SDK's backoff handles refusals).
    latest.clear();
    if (now - lastKickMs > params.silentAfterMs) {
      lastKickMs = now;
      params.logger.warn({ silentMs: now - lastFrameMs }, 'position guard: account stream silent');
      transport.socket.reconnect();
    }
  }, params.checkIntervalMs);
  watchdog.unref?.();

  return {
    latest: (user) => latest.get(user.toLowerCase()) ?? null,
    get framesReceived() {
      return framesReceived;
    },
    get reconnects() {
      return Math.max(0, opens - 1);
    },
    async stop() {
      stopped = true;
      clearInterval(watchdog);
      await transport.close();
    },
  };
}
