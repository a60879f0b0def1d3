import { BaseError, InvalidParameterError } from '../errors.js';

/**
 * A series (returns, equity curve, funding samples, depth snapshots, book side…) that has fewer
 * points than the computation needs.
 *
 * @example
 * try { maxDrawdown([]) } catch (e) { (e as EmptySeriesError).name } // 'Math.EmptySeriesError'
 */
export class EmptySeriesError extends BaseError {
  override name = 'Math.EmptySeriesError';
  /** Minimum number of points required. */
  readonly minLength: number;
  /** Number of points given. */
  readonly length: number;

  constructor(parameter: string, minLength: number, length: number) {
    super(`${parameter} must have at least ${minLength} point(s), got ${length}`, { parameter });
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
  readonly index: number;

  constructor(parameter: string, index: number) {
    super(`${parameter}[${index}]`, 'goes back in time: timestamps must be non-decreasing');
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
