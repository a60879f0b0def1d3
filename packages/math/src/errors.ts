/**
 * Base class of every error thrown by `@perpscope/math`. Each subclass has a stable `name`
 * (`'Math.InvalidDecimalError'`, …) so callers can branch on it without `instanceof` across bundles.
 * Every error the package throws is an {@link InvalidParameterError} (or a subclass of it): the
 * input named by `parameter` was outside its documented domain.
 */
export class BaseError extends Error {
  override name = 'Math.BaseError';
  /** Name of the offending parameter, when the error is about one. */
  readonly parameter: string | undefined;

  constructor(message: string, options: { parameter?: string; cause?: unknown } = {}) {
    super(message, options);
    this.parameter = options.parameter;
  }
}

/** A parameter outside its documented domain (negative size, zero leverage, empty table, …). */
export class InvalidParameterError extends BaseError {
  override name = 'Math.InvalidParameterError';

  constructor(parameter: string, reason: string) {
    super(`${parameter} ${reason}`, { parameter });
  }
}

/** A decimal string (or number) that is not a finite decimal, e.g. `'1e5'`, `'abc'`, `''`, `NaN`. */
export class InvalidDecimalError extends InvalidParameterError {
  override name = 'Math.InvalidDecimalError';
  declare readonly value: unknown;

  constructor(parameter: string, value: unknown) {
    super(parameter, `must be a decimal string, got ${JSON.stringify(value)}`);
    this.value = value;
  }
}

/** Leverage that is zero, negative or not a finite number. */
export class InvalidLeverageError extends InvalidParameterError {
  override name = 'Math.InvalidLeverageError';
  declare readonly value: unknown;

  constructor(parameter: string, value: unknown) {
    super(parameter, `must be > 0, got "${value}"`);
    this.value = value;
  }
}

/** A size (position or order quantity) that is negative where only magnitudes are allowed. */
export class NegativeSizeError extends InvalidParameterError {
  override name = 'Math.NegativeSizeError';
  declare readonly value: string;

  constructor(parameter: string, value: string) {
    super(parameter, `must be ≥ 0 (side is separate), got "${value}"`);
    this.value = value;
  }
}

/** A margin/leverage tier table with no tiers. */
export class EmptyTierTableError extends InvalidParameterError {
  override name = 'Math.EmptyTierTableError';

  constructor(parameter = 'tiers') {
    super(parameter, 'must not be empty');
  }
}

/** A tier table whose lower bounds are not strictly increasing from 0 or whose rates decrease. */
export class UnsortedTiersError extends InvalidParameterError {
  override name = 'Math.UnsortedTiersError';
  /** Index of the first offending tier. */
  declare readonly index: number;

  constructor(parameter: string, index: number, reason: string) {
    super(`${parameter}[${index}]`, reason);
    this.index = index;
  }
}

/** An exchange payload (e.g. a Hyperliquid `clearinghouseState`) that lacks a field or has a bad value. */
export class InvalidPayloadError extends InvalidParameterError {
  override name = 'Math.InvalidPayloadError';
  /** JSON path of the offending value, e.g. `'clearinghouseState.assetPositions[0].position.szi'`. */
  declare readonly path: string;

  constructor(path: string, reason: string) {
    super(path, reason);
    this.path = path;
  }
}

/** A margin table id (e.g. Hyperliquid `marginTableId` ≥ 50) that the given tables do not define. */
export class UnknownMarginTableError extends InvalidParameterError {
  override name = 'Math.UnknownMarginTableError';
  declare readonly id: number;

  constructor(parameter: string, id: number) {
    super(parameter, `must be in marginTables or an integer < 50, got ${id}`);
    this.id = id;
  }
}

/**
 * A series (returns, equity curve, funding samples, depth snapshots, book side…) that has fewer
 * points than the computation needs.
 *
 * @example
 * try { maxDrawdown([]) } catch (e) { (e as EmptySeriesError).name } // 'Math.EmptySeriesError'
 */
export class EmptySeriesError extends InvalidParameterError {
  override name = 'Math.EmptySeriesError';
  /** Minimum number of points required. */
  declare readonly minLength: number;
  /** Number of points given. */
  declare readonly length: number;

  constructor(parameter: string, minLength: number, length: number) {
    super(parameter, `must have ≥ ${minLength} points, got ${length}`);
    this.minLength = minLength;
    this.length = length;
  }
}

/**
 * A time series whose timestamps are not in non-decreasing order.
 *
 * @example
 * new UnsortedSeriesError('snapshots', 3).name // 'Math.UnsortedSeriesError'
 */
export class UnsortedSeriesError extends InvalidParameterError {
  override name = 'Math.UnsortedSeriesError';
  /** Index of the first point that goes back in time. */
  declare readonly index: number;

  constructor(parameter: string, index: number) {
    super(`${parameter}[${index}]`, 'goes back in time');
    this.index = index;
  }
}

/**
 * An order book that is not usable: a side not sorted best-first, or a crossed book
 * (best bid ≥ best ask).
 *
 * @example
 * new InvalidBookError('book.levels[0]', 'is not sorted best-first').name // 'Math.InvalidBookError'
 */
export class InvalidBookError extends InvalidParameterError {
  override name = 'Math.InvalidBookError';
}
