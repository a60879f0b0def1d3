/** Base of every error this package throws; `name`s are stable (`'Hyperliquid.BudgetError'`). */
export class HyperliquidError extends Error {
  override name = 'Hyperliquid.Error';
}

/** A request was not sent because it would exceed the weight budget. */
export class HlBudgetError extends HyperliquidError {
  override name = 'Hyperliquid.BudgetError';
  constructor(
    /** The info request type (`clearinghouseState`). */
    readonly requestType: string,
    /** Milliseconds until the request's weight fits the budget (Infinity: it never does). */
    readonly retryAfterMs: number,
    label = `Hyperliquid info ${requestType}`,
  ) {
    super(`${label}: weight budget exhausted, retry in ${retryAfterMs} ms`);
  }
}

/** An answer failed its schema: the message names the request and the first bad field's path. */
export class HlPayloadError extends HyperliquidError {
  override name = 'Hyperliquid.PayloadError';
  constructor(
    readonly requestType: string,
    /** The first issue as `path: message` (`assetPositions.0.position.szi: expected a decimal string`). */
    readonly issue: string,
    label = `Hyperliquid info ${requestType}`,
  ) {
    super(`${label}: unexpected payload at ${issue}`);
  }
}

/**
 * A request over {@link createFetchTransport} failed: network error, timeout, non-2xx status
 * (`status`) or a body that is not JSON.
 */
export class HlHttpError extends HyperliquidError {
  override name = 'Hyperliquid.HttpError';
  constructor(
    message: string,
    /** The HTTP status, or null when no response arrived. */
    readonly status: number | null,
  ) {
    super(message);
  }
}
