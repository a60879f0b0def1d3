import { createWeightAccountant, type WeightAccountant } from '@perpscope/hyperliquid';
import { clusterOfContext, redundantModeIssues } from '../../cluster/subjectCluster.js';
import { ConfigError } from '../../errors.js';
import type { Subject, SubjectContext, SubjectFactory } from '../../runtime/subject.js';
import { createPayloadCounters } from '../hip3/payloadCounters.js';
import { type AccountStateStream, createAccountStateStream } from './createAccountStateStream.js';
import { createHlPositionsSource, type PositionsSource } from './hlPositionsSource.js';
import { createPositionsLoop, type PositionsLoop } from './positionsLoop.js';

/** Options of {@link positionsSubjectFactory} (tests, benchmarks). */
export type PositionsSubjectOptions = {
  /** Replaces the Hyperliquid adapter. */
  source?: (accountant: WeightAccountant) => PositionsSource;
  /** Called with the loop (and the account stream with `transport: ws`) once started. */
  onStarted?: (loop: PositionsLoop, stream: AccountStateStream | null) => void;
  /** Stream timings (tests); defaults suit the real API. */
  streamTiming?: { checkIntervalMs: number; keepAliveMs: number; backoffBaseMs: number };
};

/** Builds the position guard subject factory. */
export function positionsSubjectFactory(options: PositionsSubjectOptions = {}): SubjectFactory {
  return (ctx: SubjectContext): Subject | null => {
    const cfg = ctx.config.positions;
    if (cfg.accounts.length === 0) return null;
    // Redundant mode watches sequencers only (ARCHITECTURE.md "Several watchers"): refused, naming the field.
    const redundant = redundantModeIssues(clusterOfContext(ctx), ctx.config);
    if (redundant.length > 0) throw new ConfigError(redundant, 'cluster.mode redundant');
    const logger = ctx.logger.child({ subject: 'positions' });
    const accountant =
      ctx.hlWeight ??
      createWeightAccountant({ budget: ctx.config.hip3.weightBudgetPerMinute, now: Date.now });
    const counters = createPayloadCounters(logger);
    const source =
      options.source?.(accountant) ??
      createHlPositionsSource({ apiUrl: ctx.config.hip3.apiUrl, accountant, counters });
    let stream: AccountStateStream | null = null;
    const timing = options.streamTiming ?? {
      checkIntervalMs: 5_000,
      keepAliveMs: 30_000,
      backoffBaseMs: 1_000,
    };
    const loop = createPositionsLoop({
      config: cfg,
      source,
      accountant,
      store: ctx.store,
      eventLog: ctx.eventLog,
      now: ctx.clock.now,
      logger,
      owner: clusterOfContext(ctx).owner,
      // Subscriptions cost no REST weight; the loop reads the stream only while it is current.
      stream: { latest: (user) => stream?.latest(user) ?? null },
      // The HIP-3 watch's ctx marks, when it runs (composed in runtime/: no import of its internals).
      ...(ctx.marks && { marks: ctx.marks }),
    });
    return {
      name: 'positions',
      async start() {
        if (cfg.transport === 'ws')
          stream = createAccountStateStream({
            wsUrl: ctx.config.hip3.wsUrl,
            users: cfg.accounts.map((a) => a.address),
            now: ctx.clock.now,
            counters,
            logger,
            silentAfterMs: 2 * cfg.pollIntervalSeconds * 1000,
            checkIntervalMs: timing.checkIntervalMs,
            keepAliveMs: timing.keepAliveMs,
            backoff: { baseMs: timing.backoffBaseMs, maxMs: 60_000 },
          });
        await loop.start();
        options.onStarted?.(loop, stream);
      },
      async stop() {
        await loop.stop();
        await stream?.stop();
      },
      ready: () => loop.cycles > 0,
    };
  };
}

/** The position guard subject (SPEC §3.4) against the configured Hyperliquid API. */
export const createPositionsSubject: SubjectFactory = positionsSubjectFactory();
