import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { RetentionConfig } from './retentionConfig.js';
import { type RetentionReport, type RetentionTarget, runRetention } from './runRetention.js';

/**
 * Runs {@link runRetention} every `config.intervalMinutes` (first run shortly after start). A failing
 * run (e.g. disk full) is logged and retried at the next interval; it never stops the process.
 */
export class RetentionJob {
  readonly #deps: RetentionJobDeps;
  #timer: NodeJS.Timeout | undefined;

  constructor(deps: RetentionJobDeps) {
    this.#deps = deps;
  }

  /** One pass now; returns its report, or `null` when it failed (already logged). */
  runOnce(): RetentionReport | null {
    const started = Date.now();
    try {
      const report = runRetention({
        sqlite: this.#deps.sqlite,
        targets: this.#deps.targets,
        config: this.#deps.config,
        now: this.#deps.now(),
      });
      this.#deps.logger.info({ report, ms: Date.now() - started }, 'retention pass done');
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

  /** Schedules passes (first after `firstDelayMs`); timers do not keep the process alive. */
  start(firstDelayMs = 60_000): void {
    if (this.#timer) return;
    const every = this.#deps.config.intervalMinutes * 60_000;
    const tick = (delay: number) => {
      this.#timer = setTimeout(() => {
        this.runOnce();
        tick(every);
      }, delay);
      this.#timer.unref();
    };
    tick(firstDelayMs);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

/** Dependencies of {@link RetentionJob}. */
export type RetentionJobDeps = {
  sqlite: Database.Database;
  targets: readonly RetentionTarget[];
  config: RetentionConfig;
  /** Ms since the epoch. */
  now: () => number;
  logger: Pick<Logger, 'info' | 'error'>;
  /** Told each pass's outcome: `null` when it committed, else the error (storage health, metrics). */
  onOutcome?: (error: unknown) => void;
};
