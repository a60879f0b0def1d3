/** Parameters of {@link createWeightAccountant}. */
export type CreateWeightAccountantParameters = {
  /** Weight allowed per rolling window. HL's limit is 1200/min per IP; default 1200. */
  budget?: number;
  /** Rolling window, ms. Default 60 000. */
  windowMs?: number;
  /** Clock (ms). Rate limits are enforced on real time, so pass the real clock in production. */
  now: () => number;
};

/** Counts request weight in a rolling window and refuses what would exceed the budget. */
export type WeightAccountant = {
  /**
   * Spends `weight` now if the rolling window has room and returns true; otherwise spends nothing
   * and returns false.
   */
  tryAcquire(weight: number): boolean;
  /** Milliseconds until `weight` fits (0 = now; Infinity when it never fits the budget). */
  waitMs(weight: number): number;
  /** Weight spent in the current window. */
  used(): number;
  /** Highest `used()` ever reached — tests assert it never exceeds the budget. */
  readonly peak: number;
  /** Requests refused for lack of budget. */
  readonly refused: number;
  readonly budget: number;
};

/**
 * Creates a rolling-window weight accountant (the one request budget of the watcher and the
 * extension): every REST call asks it first, so staying under HL's 1200 weight/min per IP is a
 * property of the design, not of luck. It never allows more than `budget` within any `windowMs`
 * span; a spend at `t` is free again at `t + windowMs`.
 *
 * @throws {RangeError} when `budget` or `windowMs` is not > 0.
 * @example
 * ```ts
 * const acct = createWeightAccountant({ now: Date.now });
 * if (acct.tryAcquire(infoRequestWeight('metaAndAssetCtxs'))) await info.metaAndAssetCtxs({ dex });
 * ```
 */
export function createWeightAccountant(params: CreateWeightAccountantParameters): WeightAccountant {
  const budget = params.budget ?? 1200;
  const windowMs = params.windowMs ?? 60_000;
  if (!(budget > 0) || !(windowMs > 0)) {
    throw new RangeError(
      `weight budget needs budget > 0 and windowMs > 0, got ${budget}/${windowMs}`,
    );
  }
  // Ring of (time, weight), oldest first.
  const times: number[] = [];
  const weights: number[] = [];
  let head = 0;
  let sum = 0;
  let peak = 0;
  let refused = 0;

  const expire = (now: number) => {
    while (head < times.length && (times[head] as number) <= now - windowMs) {
      sum -= weights[head] as number;
      head += 1;
    }
    if (head > 1024 && head * 2 > times.length) {
      times.splice(0, head);
      weights.splice(0, head);
      head = 0;
    }
  };

  return {
    budget,
    tryAcquire(weight) {
      const now = params.now();
      expire(now);
      if (sum + weight > budget) {
        refused += 1;
        return false;
      }
      times.push(now);
      weights.push(weight);
      sum += weight;
      if (sum > peak) peak = sum;
      return true;
    },
    waitMs(weight) {
      if (weight > budget) return Number.POSITIVE_INFINITY;
      const now = params.now();
      expire(now);
      let need = sum + weight - budget;
      if (need <= 0) return 0;
      for (let i = head; i < times.length; i++) {
        need -= weights[i] as number;
        if (need <= 0) return Math.max(0, (times[i] as number) + windowMs - now + 1);
      }
      return windowMs;
    },
    used() {
      expire(params.now());
      return sum;
    },
    get peak() {
      return peak;
    },
    get refused() {
      return refused;
    },
  };
}
