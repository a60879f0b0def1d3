import { HttpTransport } from '@nktkas/hyperliquid';
import {
  createFetchTransport,
  createInfoClient,
  createWeightAccountant,
  type InfoClient,
  type WeightAccountant,
} from '@perpscope/hyperliquid';
import { clusterOfContext, redundantModeIssues } from '../../cluster/subjectCluster.js';
import { paceYoungGarbage } from '../../collectYoungGarbage.js';
import type { Hip3Config } from '../../config/hip3Config.js';
import { ConfigError } from '../../errors.js';
import type { Subject, SubjectContext, SubjectFactory } from '../../runtime/subject.js';
import type { CtxStream } from './createCtxStream.js';
import { createHip3Loop } from './hip3Loop.js';
import { createHip3Markets, type Hip3Markets } from './hip3Markets.js';
import { hip3MarkSource } from './hip3MarkSource.js';
import { createHip3Ticker, type Hip3Ticker } from './hip3Ticker.js';
import type { Hip3Thresholds } from './marketState.js';
import { createPayloadCounters, type PayloadCounters } from './payloadCounters.js';

/**
 * Explorer bytes read between two young-generation collections: ~2 MiB of an answer's chunks held
 * at most, against all of it (6.4 MB read, ~13 MB with fetch's copies) without them.
 */
const EXPLORER_SCAVENGE_EVERY_BYTES = 1 << 20;

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
  client: InfoClient;
  accountant: WeightAccountant;
  counters: PayloadCounters;
  stream: () => CtxStream | null;
};

/** Builds the HIP-3 subject factory. */
export function hip3SubjectFactory(options: Hip3SubjectOptions = {}): SubjectFactory {
  return (ctx: SubjectContext): Subject | null => {
    const cfg = ctx.config.hip3;
    if (!cfg.enabled) return null;
    // Redundant mode watches sequencers only (ARCHITECTURE.md "Several watchers"): refused, naming the field.
    const redundant = redundantModeIssues(clusterOfContext(ctx), ctx.config);
    if (redundant.length > 0) throw new ConfigError(redundant, 'cluster.mode redundant');
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
    // REST + explorer through the SDK's transport; every request charged to the budget and
    // validated by @perpscope/hyperliquid (a bad answer is counted per request type). The
    // explorer's answers are also read as they arrive (`requestChunks`, plain fetch to the same
    // URL): each repeats a writer's recent history, and the txs already applied are cut out of the
    // bytes, never held or parsed.
    const sdk = new HttpTransport({ apiUrl: cfg.apiUrl, rpcUrl: cfg.explorerUrl, timeout: 10_000 });
    const streamed = createFetchTransport({
      apiUrl: cfg.apiUrl,
      rpcUrl: cfg.explorerUrl,
      fetch: globalThis.fetch,
      timeoutMs: 10_000,
      // One scavenge per MiB read, so an answer's chunks are freed as it streams, not all at once
      // after it (`collectYoungGarbage.ts`).
      onChunkRead: paceYoungGarbage(EXPLORER_SCAVENGE_EVERY_BYTES),
    });
    const client = createInfoClient({
      transport: {
        request: (endpoint, payload, signal) => sdk.request(endpoint, payload, signal),
        ...(streamed.requestChunks && { requestChunks: streamed.requestChunks }),
      },
      budget: accountant,
      onReject: (type, issue) => counters.reject(`rest.${type}`, issue),
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
    // Read-only: the position guard values positions at these marks (runtime/markBoard.ts).
    ctx.marks?.provide(hip3MarkSource(markets));
    const ticker = createHip3Ticker({
      store: ctx.store,
      eventLog: ctx.eventLog,
      clock: ctx.clock,
      markets,
      thresholds,
      owner: clusterOfContext(ctx).owner,
    });
    const loop = createHip3Loop({
      config: cfg,
      clock: ctx.clock,
      eventLog: ctx.eventLog,
      logger,
      counters,
      accountant,
      client,
      markets,
      ticker,
      realMs,
      onStarted: (stream) =>
        options.onStarted?.({ markets, ticker, client, accountant, counters, stream }),
    });
    return { name: 'hip3', start: loop.start, stop: loop.stop, ready: loop.ready };
  };
}

/** The HIP-3 oracle watch subject (SPEC §3.2) against the configured Hyperliquid endpoints. */
export const createHip3Subject: SubjectFactory = hip3SubjectFactory();
