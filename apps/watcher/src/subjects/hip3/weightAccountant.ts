/**
 * Hyperliquid REST weight of one info request (research/hyperliquid.md §2.3, from
 * https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits):
 * 2 for `l2Book`, `allMids`, `clearinghouseState`, `orderStatus`, `spotClearinghouseState`,
 * `exchangeStatus`; 60 for `userRole`; 20 for every other documented info request.
 * The explorer's `userDetails` is not in the docs: it is charged 20, conservatively.
 */
export function infoRequestWeight(type: string): number {
  switch (type) {
    case 'l2Book':
    case 'allMids':
    case 'clearinghouseState':
    case 'orderStatus':
    case 'spotClearinghouseState':
    case 'exchangeStatus':
      return 2;
    case 'userRole':
      return 60;
    default:
      return 20;
  }
}

/** Parameters of {@link createWeightAccountant}. */
export type CreateWeightAccountantParameters = {
  /** Weight allowed per rolling window. HL's limit is 1200/min per IP; default 1200. */
  budget?: number;
  /** Rolling window, ms. Default 60 000. */
  windowMs?: number;
  /** Wall clock (ms). Rate limits are enforced on real time, so pass the real clock in production. */
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
 * Creates a rolling-window weight accountant: every REST call asks it first, so staying under
 * HL's 1200 weight/min is a property of the design, not of luck. It never allows more than
 * `budget` within any `windowMs` span.
 *
 * @example
 * ```ts
 * const acct = createWeightAccountant({ now: Date.now });
 * if (acct.tryAcquire(infoRequestWeight('metaAndAssetCtxs'))) await info.metaAndAssetCtxs({ dex });
 * ```
 */
export function createWeightAccountant(params: CreateWeightAccountantParameters): WeightAccountant {
  const budget = params.budget ?? 1200;
  const windowMs = params.windowMs ?? 60_000;
  if (!(budget > 0)) throw new RangeError(`weight budget must be > 0, got ${budget}`);
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
