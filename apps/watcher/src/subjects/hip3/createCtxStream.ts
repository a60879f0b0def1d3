import { SubscriptionClient, WebSocketTransport } from '@nktkas/hyperliquid';
import {
  HlAllDexsAssetCtxsEvent as EventSchema,
  firstIssue,
  type HlAllDexsAssetCtxsEvent,
  parseAllDexsAssetCtxsEventFast,
} from '@perpscope/hyperliquid';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import type { PayloadCounters } from './payloadCounters.js';

/** Parameters of {@link createCtxStream}. */
export type CreateCtxStreamParameters = {
  wsUrl: string;
  clock: Clock;
  counters: PayloadCounters;
  logger: Logger;
  /** A validated frame with its receive time (ctx carries no timestamp; we stamp it). */
  onFrame: (event: HlAllDexsAssetCtxsEvent, receivedMs: number) => void;
  /** The stream went silent/down (`up: false`, at the last frame) or delivers again (`up: true`). */
  onState: (up: boolean, atMs: number) => void;
  /** Frames resumed after a gap longer than `staleAfterMs`: `[fromMs, toMs]` had no data. */
  onGap: (gap: { fromMs: number; toMs: number }) => void;
  /** No frame for this long (clock ms) → the socket is considered dead and reconnected. */
  staleAfterMs: number;
  /** How often the watchdog looks (real ms). */
  checkIntervalMs: number;
  /** Heartbeat ping period (real ms); HL closes idle sockets after 60 s. */
  keepAliveMs: number;
  /** Reconnect backoff: `min(maxMs, baseMs·2^attempt)` with equal jitter. */
  backoff: { baseMs: number; maxMs: number };
  /** Randomness for the jitter (tests pass a fixed one). */
  random?: () => number;
};

/** A running ctx stream. */
export type CtxStream = {
  readonly framesReceived: number;
  readonly reconnects: number;
  /**
   * `allDexsAssetCtxs` frames this stream had to parse itself because the SDK's own parse of the
   * same message did not reach it (no subscription listener registered yet, or one being
   * re-subscribed). Normally 0: each frame is parsed once.
   */
  readonly framesParsedHere: number;
  /** True while frames arrive within `staleAfterMs`. */
  readonly up: boolean;
  stop(): Promise<void>;
};

/** Equal-jitter exponential backoff: half fixed, half random, so reconnecting clients spread out. */
export function backoffDelayMs(
  attempt: number,
  backoff: { baseMs: number; maxMs: number },
  random: () => number,
): number {
  const cap = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
  return cap / 2 + random() * (cap / 2);
}

/**
 * The live ctx stream: one WebSocket (`@nktkas/hyperliquid` transport) subscribed to
 * `allDexsAssetCtxs`, heartbeat pings, reconnect with backoff and jitter, automatic resubscribe
 * (the server then sends a fresh snapshot, which the engine reconciles: unchanged samples are not
 * stored again). A watchdog reconnects a socket that stays open but goes silent. Every frame is
 * parsed once, validated and stamped with the receive time; malformed ones are counted and dropped.
 */
export async function createCtxStream(params: CreateCtxStreamParameters): Promise<CtxStream> {
  const random = params.random ?? Math.random;
  const transport = new WebSocketTransport({
    url: params.wsUrl,
    keepAlive: { interval: params.keepAliveMs, timeout: Math.max(1000, params.keepAliveMs) },
    reconnect: {
      maxRetries: Number.POSITIVE_INFINITY,
      reconnectionDelay: (attempt) => backoffDelayMs(attempt, params.backoff, random),
    },
    resubscribe: true,
  });
  let framesReceived = 0;
  let framesParsedHere = 0;
  let reconnects = 0;
  let lastFrameMs: number | null = null;
  let up = false;
  let downSinceMs: number | null = null;
  let lastKickMs = 0;
  let ensureSubscribed = () => {};

  /**
   * The SDK's transport parses every message itself (its listener runs before ours: listeners of
   * one EventTarget run in registration order) and hands an `allDexsAssetCtxs` frame's `data` to
   * the subscription's listener, which leaves it here for `onMessage` — a frame of thousands of
   * markets is then parsed once, not twice. `undefined`: nothing left for the current message.
   */
  let parsedBySdk: { data: unknown } | undefined;
  const onSdkFrame = (data: unknown) => {
    parsedBySdk = { data };
  };
  const onMessage = (ev: MessageEvent) => {
    const receivedMs = params.clock.now();
    const fromSdk = parsedBySdk;
    parsedBySdk = undefined;
    if (typeof ev.data !== 'string') return;
    let data: unknown;
    if (fromSdk !== undefined) data = fromSdk.data;
    else {
      let msg: unknown;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        params.counters.reject('ws.notJson', ev.data.slice(0, 80));
        return;
      }
      if (typeof msg !== 'object' || msg === null) return;
      const { channel } = msg as { channel?: unknown };
      if (channel !== 'allDexsAssetCtxs') return;
      framesParsedHere += 1;
      data = (msg as { data?: unknown }).data;
    }
    // The envelope by hand (zod copies every dex's row list); zod only to name what is wrong.
    const frame = parseAllDexsAssetCtxsEventFast(data);
    if (frame === null) {
      const parsed = EventSchema.safeParse(data);
      params.counters.reject(
        'ws.frame',
        parsed.success ? 'invalid frame' : firstIssue(parsed.error),
      );
      return;
    }
    framesReceived += 1;
    if (downSinceMs !== null && lastFrameMs !== null) {
      params.onGap({ fromMs: lastFrameMs, toMs: receivedMs });
    }
    if (!up) {
      up = true;
      downSinceMs = null;
      params.onState(true, receivedMs);
    }
    lastFrameMs = receivedMs;
    try {
      params.onFrame(frame, receivedMs);
    } catch (error) {
      // The loop must survive anything a frame can trigger downstream.
      params.logger.error({ err: error }, 'HIP-3 frame handling failed');
    }
  };
  transport.socket.addEventListener('message', onMessage as never);
  transport.socket.addEventListener('open', () => {
    if (framesReceived > 0) reconnects += 1;
  });

  const watchdog = setInterval(() => {
    const now = params.clock.now();
    if (lastFrameMs === null || now - lastFrameMs <= params.staleAfterMs) return;
    if (up) {
      up = false;
      downSinceMs = lastFrameMs;
      params.onState(false, lastFrameMs);
      params.logger.warn({ silentMs: now - lastFrameMs }, 'HIP-3 ctx stream silent: reconnecting');
    }
    // Kick a socket that is open but mute; the SDK's own backoff handles refused connections.
    if (now - lastKickMs > params.staleAfterMs) {
      lastKickMs = now;
      transport.socket.reconnect();
      ensureSubscribed();
    }
  }, params.checkIntervalMs);
  watchdog.unref?.();

  const sub = new SubscriptionClient({ transport });
  // Data is handled from the raw socket above (validated, stamped, counted when malformed) with
  // the SDK's parse of it (`onSdkFrame`); the SDK subscription drives subscribe/resubscribe. The
  // SDK drops a subscription for good when a resubscribe after a reconnect fails (e.g. times out
  // on a loaded box): then we subscribe again. Two listeners registered at once (a re-subscribe
  // racing the old one) only leave the same parse twice: `onMessage` still handles the frame once.
  let subscribed = false;
  let stopped = false;
  const subscribe = async (): Promise<void> => {
    await sub.allDexsAssetCtxs(onSdkFrame, {
      onError: (error) => {
        subscribed = false;
        if (stopped) return;
        params.logger.warn({ err: error }, 'HIP-3 ctx subscription lost; subscribing again');
        void subscribe().catch(() => {});
      },
    });
    subscribed = true;
  };
  ensureSubscribed = () => {
    if (!subscribed && !stopped) void subscribe().catch(() => {});
  };
  await subscribe();

  return {
    get framesReceived() {
      return framesReceived;
    },
    get reconnects() {
      return reconnects;
    },
    get framesParsedHere() {
      return framesParsedHere;
    },
    get up() {
      return up;
    },
    async stop() {
      stopped = true;
      clearInterval(watchdog);
      transport.close();
    },
  };
}
