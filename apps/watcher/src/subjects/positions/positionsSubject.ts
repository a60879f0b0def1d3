import type { Subject, SubjectContext, SubjectFactory } from '../../runtime/subject.js';
import { createPayloadCounters } from '../hip3/payloadCounters.js';
import { createWeightAccountant, type WeightAccountant } from '../hip3/weightAccountant.js';
import { createHlPositionsSource, type PositionsSource } from './hlPositionsSource.js';
import { createPositionsLoop, type PositionsLoop } from './positionsLoop.js';

/** Options of {@link positionsSubjectFactory} (tests, benchmarks). */
export type PositionsSubjectOptions = {
  /** Replaces the Hyperliquid adapter. */
  source?: (accountant: WeightAccountant) => PositionsSource;
  /** Called with the loop once started. */
  onStarted?: (loop: PositionsLoop) => void;
};

/** Builds the position guard subject factory. */
export function positionsSubjectFactory(options: PositionsSubjectOptions = {}): SubjectFactory {
  return (ctx: SubjectContext): Subject | null => {
    const cfg = ctx.config.positions;
    if (cfg.accounts.length === 0) return null;
    const logger = ctx.logger.child({ subject: 'positions' });
    const accountant =
      ctx.hlWeight ??
      createWeightAccountant({ budget: ctx.config.hip3.weightBudgetPerMinute, now: Date.now });
    const source =
      options.source?.(accountant) ??
      createHlPositionsSource({
        apiUrl: ctx.config.hip3.apiUrl,
        accountant,
        counters: createPayloadCounters(logger),
      });
    const loop = createPositionsLoop({
      config: cfg,
      source,
      accountant,
      db: ctx.db,
      eventLog: ctx.eventLog,
      now: ctx.clock.now,
      logger,
    });
    return {
      name: 'positions',
      async start() {
        loop.start();
        options.onStarted?.(loop);
      },
      stop: () => loop.stop(),
      ready: () => loop.cycles > 0,
    };
  };
}

/** The position guard subject (SPEC §3.4) against the configured Hyperliquid API. */
export const createPositionsSubject: SubjectFactory = positionsSubjectFactory();
