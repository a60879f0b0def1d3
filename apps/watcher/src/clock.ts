/** The watcher's wall clock, injected everywhere time matters so tests control it. */
export type Clock = {
  /** Milliseconds since the Unix epoch. */
  now(): number;
};

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A {@link Clock} that follows the wall clock but never jumps with it (see {@link createSteadyClock}). */
export type SteadyClock = Clock & {
  /** Wall clock minus this clock (ms): non-zero after a step, shrinking while it is absorbed. */
  offsetMs(): number;
  /**
   * True when it reads the real wall and monotonic clocks (no `wall`/`monotonic` given): another
   * thread (the ingestion worker) can then run an equal clock of its own.
   */
  readonly real: boolean;
};

/** Parameters of {@link createSteadyClock}. */
export type SteadyClockParameters = {
  /** Wall clock, ms since the epoch. Default `Date.now`. */
  wall?: () => number;
  /** Monotonic clock, ms from any origin. Default `performance.now`. */
  monotonic?: () => number;
  /**
   * A disagreement between wall and monotonic time above this between two readings is a step of
   * the wall clock (an NTP correction, an operator's `date -s`). Default 1000 ms.
   */
  stepThresholdMs?: number;
  /** Share of elapsed time by which a step is absorbed (0.01: ages run at most 1 % off). */
  slewRate?: number;
  /** Told each detected step (ms, positive = the wall clock jumped forward). */
  onStep?: (stepMs: number) => void;
};

/**
 * The watcher's clock: wall time for timestamps, monotonic time for how much time passed. A step of
 * the wall clock (+600 s once opened false `halted` incidents; +100 days made one retention pass
 * delete all raw data) does not move it: elapsed time comes from the monotonic clock and the offset
 * to the new wall time is absorbed gradually at `slewRate` (like NTP slewing), so every age computed
 * from it — time since a new head, oracle staleness, retention horizons — stays true within that
 * rate, and it never runs backwards. Across restarts it starts again from the wall clock.
 *
 * Caveat: Linux's monotonic clock stops while the host is suspended, so a suspend looks like a
 * forward step and ages exclude the suspended time until it is absorbed.
 *
 * @example const clock = createSteadyClock({ onStep: (ms) => logger.warn({ ms }, 'wall clock stepped') });
 */
export function createSteadyClock(p: SteadyClockParameters = {}): SteadyClock {
  const wall = p.wall ?? (() => Date.now());
  const monotonic = p.monotonic ?? (() => performance.now());
  const threshold = p.stepThresholdMs ?? 1_000;
  const slewRate = p.slewRate ?? 0.01;
  let lastWall = wall();
  let lastMono = monotonic();
  let offset = 0;
  let last = lastWall;
  return {
    now() {
      const w = wall();
      const m = monotonic();
      const dMono = Math.max(0, m - lastMono);
      const step = w - lastWall - dMono;
      lastWall = w;
      lastMono = m;
      if (Math.abs(step) > threshold) {
        offset += step;
        p.onStep?.(step);
      }
      const slew = Math.min(Math.abs(offset), slewRate * dMono);
      offset -= Math.sign(offset) * slew;
      // Whole milliseconds: timestamps are stored in integer columns.
      last = Math.max(last, Math.round(w - offset));
      return last;
    },
    offsetMs: () => offset,
    real: p.wall === undefined && p.monotonic === undefined,
  };
}
