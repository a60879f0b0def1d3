/**
 * Hyperliquid info-request weights (hyperliquid.md §2.3, from
 * https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/rate-limits-and-user-limits):
 * 2 for `clearinghouseState`/`spotClearinghouseState`/`allMids`/`l2Book`, 20 for most other info
 * requests.
 */
export const INFO_WEIGHT = {
  clearinghouseState: 2,
  spotClearinghouseState: 2,
  metaAndAssetCtxs: 20,
  perpDexs: 20,
  userAbstraction: 20,
  /** 20 plus 1 per 60 candles returned; a day of hourly candles stays at 20. */
  candleSnapshot: 20,
} as const;

/** Parameters of a {@link RequestBudget}. */
export interface RequestBudgetParams {
  /** Weight allowed per window (HL allows 1200/min per IP; the extension keeps to a share). */
  readonly maxWeight: number;
  /** Window length in ms. */
  readonly windowMs: number;
}

/**
 * Sliding-window request-weight budget. The caller passes the clock, so tests and the
 * background use the same code. Requests that do not fit are skipped (served from cache).
 *
 * @example
 * const budget = new RequestBudget({ maxWeight: 600, windowMs: 60_000 });
 * if (budget.tryTake(2, Date.now())) await fetchClearinghouseState();
 */
export class RequestBudget {
  readonly #params: RequestBudgetParams;
  #spent: { at: number; weight: number }[] = [];

  constructor(params: RequestBudgetParams) {
    if (!(params.maxWeight > 0) || !(params.windowMs > 0)) {
      throw new RangeError(
        `RequestBudget needs maxWeight > 0 and windowMs > 0, got ${JSON.stringify(params)}`,
      );
    }
    this.#params = params;
  }

  /** Weight still available at `nowMs`. */
  remaining(nowMs: number): number {
    this.#expire(nowMs);
    return this.#params.maxWeight - this.#spent.reduce((sum, s) => sum + s.weight, 0);
  }

  /** Takes `weight` if it fits in the window at `nowMs`; returns whether it did. */
  tryTake(weight: number, nowMs: number): boolean {
    if (this.remaining(nowMs) < weight) return false;
    this.#spent.push({ at: nowMs, weight });
    return true;
  }

  #expire(nowMs: number): void {
    const from = nowMs - this.#params.windowMs;
    while (this.#spent.length > 0 && (this.#spent[0]?.at ?? 0) <= from) this.#spent.shift();
  }
}
