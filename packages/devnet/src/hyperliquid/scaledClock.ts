/** A source of "now" in epoch milliseconds. Both the replay server and the code under test read it. */
export type ReplayClock = {
  /** Current (virtual) time in epoch ms. */
  now(): number;
  /** Virtual milliseconds per real millisecond (1 = real time). */
  readonly scale: number;
};

/** Parameters of {@link createScaledClock}. */
export type CreateScaledClockParameters = {
  /** Virtual ms per real ms; 20 makes a 60 s stall take 3 s of wall time. Default 1. */
  scale?: number;
  /** Virtual time at creation (epoch ms). Default `Date.now()`. */
  startMs?: number;
};

/**
 * A clock that runs `scale` times faster than the wall clock, so scenario timelines expressed in
 * protocol seconds (10 s fallback, 60 s dead, 30 s L2 hold) run in a fraction of the time in tests.
 * Share one instance between the replay server and the watcher under test.
 *
 * @example
 * ```ts
 * const clock = createScaledClock({ scale: 20 });
 * await new Promise((r) => setTimeout(r, 100)); // ≈ 2 s later on `clock.now()`
 * ```
 */
export function createScaledClock(params: CreateScaledClockParameters = {}): ReplayClock {
  const scale = params.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`createScaledClock: scale must be a positive finite number, got ${scale}`);
  }
  const startMs = params.startMs ?? Date.now();
  const realStart = performance.now();
  return {
    scale,
    now: () => Math.floor(startMs + (performance.now() - realStart) * scale),
  };
}

/** A clock that only moves when told to; for fully deterministic tests. */
export type ManualClock = ReplayClock & {
  /** Moves time forward by `ms` (must be ≥ 0). */
  advance(ms: number): void;
  /** Sets the time; must not go backwards. */
  set(ms: number): void;
};

/**
 * Creates a {@link ManualClock} starting at `startMs`.
 *
 * @example
 * ```ts
 * const clock = createManualClock(1_700_000_000_000);
 * clock.advance(10_000);
 * ```
 */
export function createManualClock(startMs: number): ManualClock {
  let t = startMs;
  return {
    scale: 1,
    now: () => t,
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`ManualClock.advance: ms must be ≥ 0, got ${ms}`);
      t += ms;
    },
    set(ms) {
      if (ms < t) throw new RangeError(`ManualClock.set: cannot go back from ${t} to ${ms}`);
      t = ms;
    },
  };
}
