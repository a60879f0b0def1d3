import type { Hip3Config } from '../../config/hip3Config.js';
import type { Subject, SubjectContext, SubjectFactory } from '../../runtime/subject.js';
import { type CtxStream, createCtxStream } from './createCtxStream.js';
import { createHlClient, Hip3BudgetError, type HlClient } from './createHlClient.js';
import { createHip3Markets, type Hip3Markets } from './hip3Markets.js';
import { createHip3Ticker, type Hip3Ticker } from './hip3Ticker.js';
import type { Hip3Thresholds } from './marketState.js';
import { createPayloadCounters, type PayloadCounters } from './payloadCounters.js';
import { recordHip3StreamChange } from './recordHip3Changes.js';
import { createWeightAccountant, type WeightAccountant } from './weightAccountant.js';

/** Converts the config's thresholds (seconds) into the engine's (ms). */
export function thresholdsFromConfig(t: Hip3Config['thresholds']): Hip3Thresholds {
  return {
    fallbackAfterMs: t.fallbackAfterSeconds * 1000,
    deadAfterMs: t.deadAfterSeconds * 1000,
    jumpFraction: t.jumpFraction,
    jumpHoldMs: t.jumpHoldSeconds * 1000,
    l1Fraction: t.l1Fraction,
    l2Fraction: t.l2Fraction,
    l2HoldMs: t.l2HoldSeconds * 1000,
    l3HoldMs: t.l3HoldSeconds * 1000,
    sampleStaleMs: t.sampleStaleSeconds * 1000,
    oiNearCapFraction: t.oiNearCapFraction,
    wideSpreadFraction: t.wideSpreadFraction,
    depthCollapseFraction: t.depthCollapseFraction,
    spoofWindowMs: t.spoofWindowSeconds * 1000,
    spoofSwingFraction: t.spoofSwingFraction,
    spoofMinSwings: t.spoofMinSwings,
  };
}

/** Options of {@link hip3SubjectFactory} (tests). */
export type Hip3SubjectOptions = {
  /**
   * Protocol seconds per real second, matching a scaled test clock: loop periods are divided by it.
   * Default 1.
   */
  timeScale?: number;
  /** Real-time accountant clock; default `Date.now` (HL's budget is per real minute). */
  realNow?: () => number;
  /** Called with the live internals once started (tests, benchmarks, the API's in-memory view). */
  onStarted?: (internals: Hip3Internals) => void;
};

/** What a running HIP-3 subject exposes to tests. */
export type Hip3Internals = {
  markets: Hip3Markets;
  ticker: Hip3Ticker;
  client: HlClient;
  accountant: WeightAccountant;
  counters: PayloadCounters;
  stream: () => CtxStream | null;
};

/** Builds the HIP-3 subject factory. */
export function hip3SubjectFactory(options: Hip3SubjectOptions = {}): SubjectFactory {
  return (ctx: SubjectContext): Subject | null => {
    const cfg = ctx.config.hip3;
    if (!cfg.enabled) return null;
    const scale = options.timeScale ?? 1;
    const realMs = (protocolSeconds: number) => Math.max(5, (protocolSeconds * 1000) / scale);
    const logger = ctx.logger.child({ subject: 'hip3' });
    const counters = createPayloadCounters(logger);
    const accountant =
      options.realNow === undefined && ctx.hlWeight
        ? ctx.hlWeight
        : createWeightAccountant({
            budget: cfg.weightBudgetPerMinute,
            windowMs: 60_000,
            now: options.realNow ?? Date.now,
          });
    const client = createHlClient({
      apiUrl: cfg.apiUrl,
      explorerUrl: cfg.explorerUrl,
      accountant,
      counters,
    });
    const thresholds = thresholdsFromConfig(cfg.thresholds);
    const markets = createHip3Markets({
      clock: ctx.clock,
      logger,
      counters,
      thresholds,
      dexFilter: cfg.dexes,
      includeMainDex: cfg.includeMainDex,
    });
    const ticker = createHip3Ticker({
      db: ctx.db,
      eventLog: ctx.eventLog,
      clock: ctx.clock,
      markets,
      thresholds,
    });
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
        if (error instanceof Hip3BudgetError) {
          logger.debug(
            { what, retryAfterMs: error.retryAfterMs },
            'HIP-3 request deferred: budget',
          );
        } else {
          logger.warn({ err: error, what }, 'HIP-3 loop step failed; retrying next period');
        }
      }
    };

    async function refreshMeta(dex: string) {
      const [meta, rows] = await client.metaAndAssetCtxs(dex);
      markets.applyMeta(dex, meta, rows, ctx.clock.now());
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
      for (const coin of cfg.bookCoins) {
        if (stopped || !lowPriorityRoom()) return;
        const book = await client.l2Book(coin);
        if (book) markets.applyBook(book, ctx.clock.now());
      }
    }

    async function explorer() {
      for (const user of markets.oracleWriters()) {
        if (stopped || !lowPriorityRoom()) return;
        markets.applySetOracleTxs(await client.userDetails(user as `0x${string}`));
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
        wsUrl: cfg.wsUrl,
        clock: ctx.clock,
        counters,
        logger,
        staleAfterMs: cfg.wsStaleSeconds * 1000,
        checkIntervalMs: realMs(Math.min(1, cfg.wsStaleSeconds / 4)),
        keepAliveMs: realMs(cfg.wsKeepAliveSeconds),
        backoff: { baseMs: 250, maxMs: 30_000 },
        onFrame: (event, receivedMs) => {
          if (stopped) return;
          const r = markets.ingestFrame(event, receivedMs);
          for (const d of [...r.unknownDexes, ...r.resizedDexes]) metaRefresh.add(d);
        },
        onState: (up, atMs) => {
          if (!stopped) recordHip3StreamChange(ctx.eventLog, up, atMs);
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
      name: 'hip3',
      async start() {
        await track(guard('discovery', discover));
        every(cfg.discoveryIntervalSeconds, 'discovery', discover);
        every(cfg.limitsIntervalSeconds, 'limits', limits);
        every(cfg.restFallbackIntervalSeconds, 'rest fallback', restFallback);
        every(1, 'meta refresh', pendingMeta);
        if (cfg.bookCoins.length > 0) every(cfg.bookIntervalSeconds, 'books', books);
        if (cfg.explorer.enabled) every(cfg.explorer.intervalSeconds, 'explorer', explorer);
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
        }, realMs(cfg.evaluateIntervalSeconds));
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
        options.onStarted?.({
          markets,
          ticker,
          client,
          accountant,
          counters,
          stream: () => stream,
        });
      },
      async stop() {
        stopped = true;
        for (const t of timers) clearInterval(t);
        await stream?.stop();
        // A step in flight may still fold an answer in (its write is the flush below), never after.
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        try {
          ticker.tick();
        } catch (error) {
          logger.error({ err: error }, 'HIP-3 final flush failed');
        }
      },
      ready: () => discovered && (stream?.framesReceived ?? 0) > 0,
    };
  };
}

/** The HIP-3 oracle watch subject (SPEC §3.2) against the configured Hyperliquid endpoints. */
export const createHip3Subject: SubjectFactory = hip3SubjectFactory();
