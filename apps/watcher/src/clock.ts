/** The watcher's wall clock, injected everywhere time matters so tests control it. */
export type Clock = {
  /** Milliseconds since the Unix epoch. */
  now(): number;
};

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };
