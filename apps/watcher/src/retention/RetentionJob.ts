import type { Logger } from 'pino';
import { type Duty, DutyLostError } from '../cluster/duty.js';
import { fencedStoreTransaction } from '../cluster/fencedTransaction.js';
import type { RetentionReport, RetentionTarget } from '../db/queries/runRetention.js';
import type { WatcherStore } from '../db/store/watcherStore.js';
import type { RetentionConfig } from './retentionConfig.js';

/**
 * Default age after which a `chain_observations` row (one per observer and chain, rewritten every
 * poll by a live observer) is pruned: its observer is gone or no longer watches the chain.
 */
export const CHAIN_OBSERVATION_MAX_AGE_MS = 24 * 3_600_000;

/** Share of each table a pass may prune when the clock looks like it jumped. */
export const MAX_PRUNE_SHARE_AFTER_CLOCK_JUMP = 0.1;
/** Disagreement between clock and monotonic time between two passes that counts as a jump (ms). */
const JUMP_TOLERANCE_MS = 60_000;

/**
 * Runs {@link runRetention} every `config.intervalMinutes` (first run shortly after start). A failing
 * run (e.g. disk full) is logged and retried at the next interval; it never stops the process.
 */
export class RetentionJob {
  readonly #deps: RetentionJobDeps;
  #timer: NodeJS.Timeout | undefined;
  /** The previous pass of this process: its clock time and monotonic time. */
  #lastPass: { now: number; mono: number } | null = null;
  #running: Promise<unknown> | null = null;

  constructor(deps: RetentionJobDeps) {
    this.#deps = deps;
  }

  /**
   * Why the clock looks like it jumped since the last pass, or null. Within the process: the clock
   * moved more (or less) than the monotonic time that passed. For the first pass after a start: the
   * last recorded pass is in the future or further back than two intervals plus an hour — a long
   * downtime looks the same, and then only that one pass is slowed down.
   */
  async #clockJump(now: number, mono: number): Promise<string | null> {
    if (this.#lastPass) {
      const drift = now - this.#lastPass.now - (mono - this.#lastPass.mono);
      return Math.abs(drift) > JUMP_TOLERANCE_MS
        ? `the clock moved ${Math.round(drift / 1000)} s more than the time that passed since the last pass`
        : null;
    }
    const last = await this.#deps.store.queries.storage.lastRetentionRunAt();
    if (last === null) return null;
    const expected = 2 * this.#deps.config.intervalMinutes * 60_000 + 3_600_000;
    if (now < last - JUMP_TOLERANCE_MS || now - last > expected)
      return `the last recorded pass ran at ${new Date(last).toISOString()}, ${Math.round((now - last) / 1000)} s before this clock's now (downtime or a clock step)`;
    return null;
  }

  /**
   * One pass now; returns its report, or `null` when it failed (already logged) or another watcher
   * holds the `retention` duty (skipped, nothing logged above debug).
   */
  async runOnce(): Promise<RetentionReport | null> {
    const started = Date.now();
    if (this.#deps.duty && !this.#deps.duty.held()) return null;
    try {
      const now = this.#deps.now();
      const mono = (this.#deps.monotonic ?? (() => performance.now()))();
      const jump = await this.#clockJump(now, mono);
      if (jump)
        this.#deps.logger.warn(
          { reason: jump, maxPruneShare: MAX_PRUNE_SHARE_AFTER_CLOCK_JUMP },
          'retention: clock jump suspected; this pass prunes at most 10 % of each table',
        );
      const report = await this.#deps.store.maintenance.runRetention({
        ...(this.#deps.targets && { targets: this.#deps.targets }),
        config: this.#deps.config,
        now,
        ...(jump && { maxPruneShare: MAX_PRUNE_SHARE_AFTER_CLOCK_JUMP }),
      });
      this.#lastPass = { now, mono };
      const prunedObservations = await this.#pruneObservations(now);
      this.#deps.logger.info(
        { report, prunedObservations, ms: Date.now() - started },
        'retention pass done',
      );
      this.#deps.onOutcome?.(null);
      return report;
    } catch (error) {
      this.#deps.onOutcome?.(error);
      this.#deps.logger.error(
        { err: error },
        'retention pass failed; retrying at the next interval',
      );
      return null;
    }
  }

  /**
   * Deletes stale `chain_observations` (older than `observationMaxAgeMs`), fenced by the duty in
   * the same transaction: a holder paused through a takeover deletes nothing. Returns how many
   * (0 when the duty was lost).
   */
  async #pruneObservations(now: number): Promise<number> {
    const { store, duty } = this.#deps;
    const olderThanMs = now - (this.#deps.observationMaxAgeMs ?? CHAIN_OBSERVATION_MAX_AGE_MS);
    if (!duty) return store.queries.chains.pruneChainObservations({ olderThanMs });
    try {
      return await fencedStoreTransaction(store, duty, (q) =>
        q.chains.pruneChainObservations({ olderThanMs }),
      );
    } catch (error) {
      if (!(error instanceof DutyLostError)) throw error;
      this.#deps.logger.warn(
        { duty: error.duty },
        'retention: the duty was lost during the pass; stale observations left to the new holder',
      );
      return 0;
    }
  }

  /** Schedules passes (first after `firstDelayMs`); timers do not keep the process alive. */
  start(firstDelayMs = 60_000): void {
    if (this.#timer) return;
    const every = this.#deps.config.intervalMinutes * 60_000;
    const tick = (delay: number) => {
      this.#timer = setTimeout(() => {
        this.#running = this.runOnce().finally(() => {
          this.#running = null;
          if (this.#timer) tick(every);
        });
      }, delay);
      this.#timer.unref();
    };
    tick(firstDelayMs);
  }

  /** Stops scheduling passes; resolves once the pass in flight (if any) is done. */
  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}

/** Dependencies of {@link RetentionJob}. */
export type RetentionJobDeps = {
  store: WatcherStore;
  /** Default: the store's own (the dialect's retention targets). */
  targets?: readonly RetentionTarget[];
  config: RetentionConfig;
  /** Ms since the epoch. */
  now: () => number;
  /** Monotonic ms (any origin) to tell a clock jump from time passing. Default `performance.now`. */
  monotonic?: () => number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** Told each pass's outcome: `null` when it committed, else the error (storage health, metrics). */
  onOutcome?: (error: unknown) => void;
  /**
   * The `retention` duty (`cluster.duty('retention')`): a scheduled pass runs only on its holder
   * (one pruner per database). Default: none (every pass runs, a single watcher). Rollups and
   * deletes are idempotent (a holder that lost the duty mid-pass prunes nothing twice),
   * so `runRetention`'s batches are unfenced; the stale-observation prune is fenced by it.
   */
  duty?: Duty;
  /** `chain_observations` older than this are pruned each pass (default {@link CHAIN_OBSERVATION_MAX_AGE_MS}). */
  observationMaxAgeMs?: number;
};
