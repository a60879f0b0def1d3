/**
 * Base class of every error thrown by `@perpscope/math`. Each subclass has a stable `name`
 * (`'Math.InvalidDecimalError'`, …) so callers can branch on it without `instanceof` across bundles.
 */
export class BaseError extends Error {
  override name = 'Math.BaseError';
  /** Name of the offending parameter, when the error is about one. */
  readonly parameter: string | undefined;

  constructor(message: string, options: { parameter?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.parameter = options.parameter;
  }
}

/** A decimal string (or number) that is not a finite decimal, e.g. `'1e5'`, `'abc'`, `''`, `NaN`. */
export class InvalidDecimalError extends BaseError {
  override name = 'Math.InvalidDecimalError';
  readonly value: unknown;

  constructor(parameter: string, value: unknown) {
    super(`${parameter} must be a decimal string like "123.45", got ${JSON.stringify(value)}`, {
      parameter,
    });
    this.value = value;
  }
}

/** A parameter outside its documented domain (negative size, zero leverage, empty table, …). */
export class InvalidParameterError extends BaseError {
  override name = 'Math.InvalidParameterError';

  constructor(parameter: string, reason: string) {
    super(`${parameter} ${reason}`, { parameter });
  }
}
