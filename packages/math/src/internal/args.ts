import {
  EmptySeriesError,
  InvalidDecimalError,
  InvalidLeverageError,
  InvalidParameterError,
  NegativeSizeError,
} from '../errors.js';
import { type Fixed, fromNumber, isDecimalString, parseDecimal, WAD } from './decimal.js';

/**
 * The one set of argument checks shared by every module (core and `risk/`). Each throws an
 * {@link InvalidParameterError} (or a subclass) whose `parameter` is the name given and whose message
 * says what was required and what was received; each returns the checked value.
 */

/** A decimal string as exchanges send it: `'-0.5'`, `'12'`, `'0.000001'` (no exponent, no spaces). */
export type DecimalString = string;

/**
 * Throws `${parameter} must be ${requirement}, got ${value}` (strings quoted). One place builds these
 * messages so every check reads the same and the bundle carries the wording once.
 */
export function fail(parameter: string, requirement: string, value: unknown): never {
  throw new InvalidParameterError(
    parameter,
    `must be ${requirement}, got ${typeof value === 'string' ? `"${value}"` : String(value)}`,
  );
}

/** Parses a decimal string that must be > 0. */
export function parsePositive(value: string, parameter: string): Fixed {
  const x = parseDecimal(value, parameter);
  if (x <= 0n) fail(parameter, '> 0', value);
  return x;
}

/** Parses a decimal string that must be ≥ 0. */
export function parseNonNegative(value: string, parameter: string): Fixed {
  const x = parseDecimal(value, parameter);
  if (x < 0n) fail(parameter, '≥ 0', value);
  return x;
}

/** Parses an optional decimal string, `fallback` when it is absent. */
export function parseOptional<T = Fixed>(
  value: string | undefined,
  parameter: string,
  fallback: T,
  parse: (value: string, parameter: string) => Fixed = parseDecimal,
): Fixed | T {
  return value === undefined ? fallback : parse(value, parameter);
}

/** Parses a size magnitude (≥ 0; the side is passed separately). */
export function parseSize(value: string, parameter = 'size'): Fixed {
  const x = parseDecimal(value, parameter);
  if (x < 0n) throw new NegativeSizeError(parameter, value);
  return x;
}

/** Checks a leverage given as a number or decimal string; returns it as a {@link Fixed}. */
export function parseLeverage(value: number | string, parameter = 'leverage'): Fixed {
  // A non-finite or non-positive number (NaN, ±Infinity, 0, −2) maps to 0 and fails below.
  const x =
    typeof value === 'number'
      ? value > 0 && value < Number.POSITIVE_INFINITY
        ? fromNumber(value, parameter)
        : 0n
      : parseDecimal(value, parameter);
  if (x <= 0n) throw new InvalidLeverageError(parameter, value);
  return x;
}

/** Throws unless `value` is one of `allowed` (string options such as a side or a mode); returns it. */
export function oneOf<T extends string>(
  parameter: string,
  value: unknown,
  allowed: readonly T[],
): T {
  if (!allowed.includes(value as T)) fail(parameter, `one of "${allowed.join('", "')}"`, value);
  return value as T;
}

const SIDES = ['long', 'short'] as const;

/** Maps a `'long' | 'short'` side to `1 | -1`. */
export function parseSide(side: unknown, parameter = 'side'): 1 | -1 {
  return oneOf(parameter, side, SIDES) === 'long' ? 1 : -1;
}

/** Throws unless `x` is a finite number; returns it. */
export function finiteNumber(parameter: string, x: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) fail(parameter, 'a finite number', x);
  return x;
}

/** Throws unless `x` is a finite number > 0 (intervals in hours, horizons, …); returns it. */
export function positiveNumber(parameter: string, x: number): number {
  if (finiteNumber(parameter, x) <= 0) fail(parameter, '> 0', x);
  return x;
}

/** Throws unless `x` is a finite number ≥ 0; returns it. */
export function nonNegativeNumber(parameter: string, x: number): number {
  if (finiteNumber(parameter, x) < 0) fail(parameter, '≥ 0', x);
  return x;
}

/** Throws unless `x` is an integer ≥ 1 (and ≤ `max` when given); returns it. */
export function positiveInteger(parameter: string, x: number, max?: number): number {
  if (!Number.isSafeInteger(x) || x < 1 || x > (max ?? x))
    fail(parameter, max ? `an integer in [1, ${max}]` : 'an integer ≥ 1', x);
  return x;
}

/** Throws unless `x` is a number in the open interval (0, 1); returns it. */
export function openUnitNumber(parameter: string, x: number): number {
  if (finiteNumber(parameter, x) <= 0 || x >= 1) fail(parameter, 'in (0, 1)', x);
  return x;
}

/** Throws an {@link InvalidParameterError} when `xs` is empty. */
export function nonEmpty(parameter: string, xs: readonly unknown[]): void {
  if (xs.length === 0) fail(parameter, 'non-empty', '[]');
}

/** Throws {@link EmptySeriesError} unless `series` has at least `min` items. */
export function minLength<T>(parameter: string, series: readonly T[], min: number): readonly T[] {
  if (series.length < min) throw new EmptySeriesError(parameter, min, series.length);
  return series;
}

/** Validates a series of simple returns: finite and ≥ −1 (a period cannot lose more than 100 %). */
export function returnsSeries(parameter: string, returns: readonly number[], min: number): void {
  minLength(parameter, returns, min);
  returns.forEach((r, i) => {
    if (!(r >= -1 && r < Number.POSITIVE_INFINITY))
      fail(`${parameter}[${i}]`, 'a finite simple return ≥ -1', r);
  });
}

/**
 * Validates a decimal string and returns the nearest float64, for inputs that only feed
 * statistics. `Number()` of a validated plain decimal is correctly rounded (better than going
 * through a bigint) and avoids a bigint allocation per sample.
 */
export function decimalToNumber(parameter: string, value: string): number {
  if (!isDecimalString(value)) throw new InvalidDecimalError(parameter, value);
  return Number(value);
}

/** {@link decimalToNumber} for values that must be ≥ 0. */
export function nonNegativeDecimalNumber(parameter: string, value: string): number {
  const x = decimalToNumber(parameter, value);
  if (x < 0) fail(parameter, '≥ 0', value);
  return x;
}

/** {@link decimalToNumber} for values that must be > 0 (and not so small they round to 0). */
export function positiveDecimalNumber(parameter: string, value: string): number {
  const x = decimalToNumber(parameter, value);
  if (!(x > 0)) fail(parameter, '> 0', value);
  return x;
}

/** Intervals a fraction may be restricted to. */
export type UnitInterval = '[0, 1]' | '(0, 1]' | '[0, 1)';

/** Parses a decimal-string fraction and checks it lies in `interval`. */
export function unitFractionDecimal(
  parameter: string,
  value: string,
  interval: UnitInterval,
): Fixed {
  const x = parseDecimal(value, parameter);
  if ((interval[0] === '(' ? x <= 0n : x < 0n) || (interval[5] === ')' ? x >= WAD : x > WAD))
    fail(parameter, `in ${interval}`, value);
  return x;
}
