import { InvalidDecimalError, InvalidParameterError } from '../../errors.js';
import { type Fixed, isDecimalString, parseDecimal, WAD } from '../../internal/decimal.js';
import { EmptySeriesError } from '../errors.js';

/** Throws unless `x` is a finite number; returns it. */
export function finiteNumber(parameter: string, x: number): number {
  if (typeof x !== 'number' || !Number.isFinite(x)) {
    throw new InvalidParameterError(parameter, `must be a finite number, got ${String(x)}`);
  }
  return x;
}

/** Throws unless `x` is a finite number > 0; returns it. */
export function positiveNumber(parameter: string, x: number): number {
  if (finiteNumber(parameter, x) <= 0) {
    throw new InvalidParameterError(parameter, `must be > 0, got ${x}`);
  }
  return x;
}

/** Throws unless `x` is a finite number ≥ 0; returns it. */
export function nonNegativeNumber(parameter: string, x: number): number {
  if (finiteNumber(parameter, x) < 0) {
    throw new InvalidParameterError(parameter, `must be ≥ 0, got ${x}`);
  }
  return x;
}

/** Throws unless `x` is an integer ≥ 1; returns it. */
export function positiveInteger(parameter: string, x: number): number {
  if (!Number.isSafeInteger(x) || x < 1) {
    throw new InvalidParameterError(parameter, `must be an integer ≥ 1, got ${String(x)}`);
  }
  return x;
}

/** Throws unless `x` is a number in the open interval (0, 1); returns it. */
export function openUnitNumber(parameter: string, x: number): number {
  if (finiteNumber(parameter, x) <= 0 || x >= 1) {
    throw new InvalidParameterError(parameter, `must be in (0, 1), got ${x}`);
  }
  return x;
}

/** Throws {@link EmptySeriesError} unless `series` has at least `min` items. */
export function minLength<T>(parameter: string, series: readonly T[], min: number): readonly T[] {
  if (series.length < min) throw new EmptySeriesError(parameter, min, series.length);
  return series;
}

/** Parses a decimal string that must be ≥ 0. */
export function nonNegativeDecimal(parameter: string, value: string): Fixed {
  const x = parseDecimal(value, parameter);
  if (x < 0n) throw new InvalidParameterError(parameter, `must be ≥ 0, got "${value}"`);
  return x;
}

/** Parses a decimal string that must be > 0. */
export function positiveDecimal(parameter: string, value: string): Fixed {
  const x = parseDecimal(value, parameter);
  if (x <= 0n) throw new InvalidParameterError(parameter, `must be > 0, got "${value}"`);
  return x;
}

/** Validates a series of simple returns: finite and ≥ −1 (a period cannot lose more than 100 %). */
export function returnsSeries(parameter: string, returns: readonly number[], min: number): void {
  minLength(parameter, returns, min);
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i] as number;
    if (!Number.isFinite(r) || r < -1) {
      throw new InvalidParameterError(
        `${parameter}[${i}]`,
        `must be a finite simple return ≥ -1, got ${String(r)}`,
      );
    }
  }
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
  if (x < 0) throw new InvalidParameterError(parameter, `must be ≥ 0, got "${value}"`);
  return x;
}

/** {@link decimalToNumber} for values that must be > 0 (and not so small they round to 0). */
export function positiveDecimalNumber(parameter: string, value: string): number {
  const x = decimalToNumber(parameter, value);
  if (!(x > 0)) throw new InvalidParameterError(parameter, `must be > 0, got "${value}"`);
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
  const low = interval === '(0, 1]' ? x <= 0n : x < 0n;
  const high = interval === '[0, 1)' ? x >= WAD : x > WAD;
  if (low || high)
    throw new InvalidParameterError(parameter, `must be in ${interval}, got "${value}"`);
  return x;
}
