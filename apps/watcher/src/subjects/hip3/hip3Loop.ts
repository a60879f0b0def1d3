import { HlBudgetError, type InfoClient, type WeightAccountant } from '@perpscope/hyperliquid';
import type { Clock } from '../../clock.js';
import type { Hip3Config } from '../../config/hip3Config.js';
import type { EventLog } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
import { type CtxStream, createCtxStream } from './createCtxStream.js';
import type { Hip3Markets } from './hip3Markets.js';
import type { Hip3Ticker } from './hip3Ticker.js';
import type { PayloadCounters } from './payloadCounters.js';
import { recordHip3StreamChange } from './recordHip3Changes.js';

/** Parameters of {@link createHip3Loop}. */
export type CreateHip3LoopParameters = {
  config: Hip3Config;
  clock: Clock;
  eventLog: EventLog;
  logger: Logger;
  counters: PayloadCounters;
  accountant: WeightAccountant;
  /** The REST and explorer source adapter. */
  client: InfoClient;
  markets: Hip3Markets;
  ticker: Hip3Ticker;
  /** Real milliseconds of a loop period given in protocol seconds (tests scale time). */
  realMs: (protocolSeconds: number) => number;
  /** Called once started with the live ctx stream accessor (tests). */
  onStarted?: (stream: () => CtxStream | null) => void;
};

/** The running HIP-3 loop (see {@link createHip3Loop}). */
export type Hip3Loop = ReturnType<typeof createHip3Loop>;

/**
 * The HIP-3 subject's loop: discovery, limits, REST fallback, books and explorer polls on their
 * periods (each at most once in flight), the ctx stream, and the ticker every
 * `evaluateIntervalSeconds`. `stop()` ends the timers and the stream, awaits every step and tick in
 * flight (an answer that arrives while stopping is folded in and flushed, never written after the
 * database closes), then flushes once more.
 */
export function createHip3Loop(p: CreateHip3LoopParameters) {
  const { logger, counters, accountant, client, markets, ticker, realMs } = p;
  const timers: NodeJS.Timeout[] = [];
  /** Loop steps and ticks in flight: `stop()` awaits them before the final flush. */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };
  let stream: CtxStream | null = null;
  let stopped = false;
  let discovered = false;
  const metaRefresh = new Set<string>();
  let fallbackCursor = 0;

  /** Low-priority loops only spend while at least 40 % of the budget is left for the rest. */
  const lowPriorityRoom = () => accountant.used() <= accountant.budget * 0.6;

  const guard = async (what: string, body: () => Promise<void>) => {
    try {
      await body();
    } catch (error) {
      if (error instanceof HlBudgetError) {
        logger.debug({ what, retryAfterMs: error.retryAfterMs }, 'HIP-3 request deferred: budget');
      } else {
        logger.warn({ err: error, what }, 'HIP-3 loop step failed; retrying next period');
      }
    }
  };

  async function refreshMeta(dex: string) {
    const [meta, rows] = await client.metaAndAssetCtxs(dex);
    markets.applyMeta(dex, meta, rows, p.clock.now());
  }

  async function discover() {
    const dexs = await client.perpDexs();
    markets.applyPerpDexs(dexs);
    for (const dex of markets.watchedDexes()) {
      if (stopped) return;
      await guard(`meta ${dex}`, () => refreshMeta(dex));
    }
    discovered = true;
  }

  async function limits() {
    for (const dex of markets.watchedDexes()) {
      if (dex === '' || stopped) continue;
      markets.applyLimits(dex, await client.perpDexLimits(dex));
      markets.applyAtCap(dex, await client.perpsAtOpenInterestCap(dex));
    }
  }

  async function restFallback() {
    if (stream?.up) return;
    const dexes = markets.watchedDexes();
    if (dexes.length === 0) return;
    const dex = dexes[fallbackCursor % dexes.length] as string;
    fallbackCursor += 1;
    await refreshMeta(dex);
  }

  async function books() {
    for (const coin of p.config.bookCoins) {
      if (stopped || !lowPriorityRoom()) return;
      const book = await client.l2Book(coin);
      if (book) markets.applyBook(book, p.clock.now());
    }
  }

  /** Explorer txs older than this (ms) are not read: before the backfill window of the start. */
  const backfillFromMs = p.clock.now() - p.config.explorer.backfillSeconds * 1000;
  /** Explorer polls owed: writers × elapsed / interval, spent a writer at a time in rotation. */
  const explorerPolls = { credit: 0, cursor: 0, lastMs: null as number | null };
  const explorerStepSeconds = () => Math.min(1, p.config.explorer.intervalSeconds);

  /**
   * One explorer step (every second): polls the writers that fell due, so each writer is polled
   * once per `explorer.intervalSeconds` and the writers are spread evenly over it. Back to back,
   * every writer's answer landed in the same second: a once-a-minute burst of parsing, rows and a
   * fold at 3,000 markets, and the heap sized for it (ARCHITECTURE.md, run I).
   */
  async function explorer() {
    const writers = markets.oracleWriters();
    if (writers.length === 0) return;
    const now = p.clock.now();
    const intervalMs = p.config.explorer.intervalSeconds * 1000;
    const elapsed = explorerPolls.lastMs === null ? 0 : Math.max(0, now - explorerPolls.lastMs);
    explorerPolls.lastMs = now;
    // Never more than one round owed (after a stall), nor a burst above the even rate.
    explorerPolls.credit = Math.min(
      writers.length,
      explorerPolls.credit + (writers.length * elapsed) / intervalMs,
    );
    const perStep = Math.ceil((writers.length * explorerStepSeconds() * 1000) / intervalMs);
    let polls = Math.min(Math.floor(explorerPolls.credit + 1e-9), perStep);
    explorerPolls.credit = Math.max(0, explorerPolls.credit - polls);
    for (; polls > 0; polls--) {
      if (stopped || !lowPriorityRoom()) return;
      const user = writers[explorerPolls.cursor % writers.length] as string;
      explorerPolls.cursor += 1;
      // The answer repeats the writer's recent history: the txs already applied, and those older
      // than the backfill window, are cut out of its bytes unread (by far the bulk of it).
      const details = await client.userDetails(
        user as `0x${string}`,
        (hash, time) => (time !== null && time < backfillFromMs) || markets.knowsTx(user, hash),
      );
      markets.applySetOracleTxs(details);
    }
  }

  async function pendingMeta() {
    for (const dex of [...metaRefresh]) {
      metaRefresh.delete(dex);
      await refreshMeta(dex);
    }
  }

  const every = (protocolSeconds: number, what: string, body: () => Promise<void>) => {
    let running = false;
    const t = setInterval(() => {
      if (running || stopped) return;
      running = true;
      void track(guard(what, body)).finally(() => {
        running = false;
      });
    }, realMs(protocolSeconds));
    timers.push(t);
  };

  async function openStream() {
    const opened = await createCtxStream({
      wsUrl: p.config.wsUrl,
      clock: p.clock,
      counters,
      logger,
      staleAfterMs: p.config.wsStaleSeconds * 1000,
      checkIntervalMs: realMs(Math.min(1, p.config.wsStaleSeconds / 4)),
      keepAliveMs: realMs(p.config.wsKeepAliveSeconds),
      backoff: { baseMs: 250, maxMs: 30_000 },
      onFrame: (event, receivedMs) => {
        if (stopped) return;
        const r = markets.ingestFrame(event, receivedMs);
        for (const d of [...r.unknownDexes, ...r.resizedDexes]) metaRefresh.add(d);
      },
      onState: (up, atMs) => {
        if (stopped) return;
        // Called from the stream's socket and timer callbacks: a failed write (disk full, read-only)
        // must not escape as an uncaught exception, which exits the process. The event log has
        // already counted it for storage health (`/readyz`, the failed-write metric).
        void track(
          recordHip3StreamChange(p.eventLog, up, atMs).catch((error: unknown) =>
            logger.error(
              { err: error, up },
              'HIP-3 ctx stream state not recorded: database write failed',
            ),
          ),
        );
      },
      onGap: (gap) => {
        if (!stopped) markets.markGap(gap.fromMs, gap.toMs, 'ws-silent');
      },
    });
    // stop() ran while the subscription was being set up (a failed start closes the database
    // right after): this stream would otherwise write into the closed database forever.
    if (stopped) {
      await opened.stop();
      return;
    }
    stream = opened;
  }

  return {
    async start() {
      await track(guard('discovery', discover));
      every(p.config.discoveryIntervalSeconds, 'discovery', discover);
      every(p.config.limitsIntervalSeconds, 'limits', limits);
      every(p.config.restFallbackIntervalSeconds, 'rest fallback', restFallback);
      every(1, 'meta refresh', pendingMeta);
      if (p.config.bookCoins.length > 0) every(p.config.bookIntervalSeconds, 'books', books);
      if (p.config.explorer.enabled) every(explorerStepSeconds(), 'explorer', explorer);
      let ticking = false;
      const tick = setInterval(() => {
        if (stopped || ticking) return;
        ticking = true;
        void track(
          ticker
            .tickInSlices()
            .catch((error: unknown) => logger.error({ err: error }, 'HIP-3 evaluation failed'))
            .finally(() => {
              ticking = false;
            }),
        );
      }, realMs(p.config.evaluateIntervalSeconds));
      timers.push(tick);
      void track(guard('limits', limits));
      // The stream connects in the background; the REST fallback covers until it delivers.
      const connect = async (attempt: number): Promise<void> => {
        if (stopped) return;
        try {
          await openStream();
        } catch (error) {
          logger.warn({ err: error, attempt }, 'HIP-3 ctx stream subscribe failed; retrying');
          const t = setTimeout(
            () => void connect(attempt + 1),
            Math.min(30_000, 500 * 2 ** attempt),
          );
          timers.push(t);
        }
      };
      void track(connect(0));
      p.onStarted?.(() => stream);
    },
    async stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
      await stream?.stop();
      // A step in flight may still fold an answer in (its write is the flush below), never after.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      try {
        await ticker.tick();
      } catch (error) {
        logger.error({ err: error }, 'HIP-3 final flush failed');
      }
    },
    ready: () => discovered && (stream?.framesReceived ?? 0) > 0,
  };
}
