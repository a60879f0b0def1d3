import { InvalidLeverageError, InvalidParameterError, NegativeSizeError } from '../errors.js';
import { type Fixed, fromNumber, parseDecimal } from './decimal.js';

/** A decimal string as exchanges send it: `'-0.5'`, `'12'`, `'0.000001'` (no exponent, no spaces). */
export type DecimalString = string;

/** Parses a decimal string that must be > 0. */
export function parsePositive(value: string, parameter: string): Fixed {
  const x = parseDecimal(value, parameter);
  if (x <= 0n) throw new InvalidParameterError(parameter, `must be > 0, got "${value}"`);
  return x;
}

/** Parses a decimal string that must be ≥ 0. */
export function parseNonNegative(value: string, parameter: string): Fixed {
  const x = parseDecimal(value, parameter);
  if (x < 0n) throw new InvalidParameterError(parameter, `must be ≥ 0, got "${value}"`);
  return x;
}

/** Parses a size magnitude (≥ 0; the side is passed separately). */
export function parseSize(value: string, parameter = 'size'): Fixed {
  const x = parseDecimal(value, parameter);
  if (x < 0n) throw new NegativeSizeError(parameter, value);
  return x;
}

/** Checks a leverage given as a number or decimal string; returns it as a {@link Fixed}. */
export function parseLeverage(value: number | string, parameter = 'leverage'): Fixed {
  let x: Fixed;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value <= 0) throw new InvalidLeverageError(parameter, value);
    x = fromNumber(value, parameter);
  } else {
    x = parseDecimal(value, parameter);
  }
  if (x <= 0n) throw new InvalidLeverageError(parameter, value);
  return x;
}

/** Checks a positive finite number (intervals in hours, horizons, …). */
export function checkPositiveNumber(value: number, parameter: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidParameterError(parameter, `must be a finite number > 0, got ${String(value)}`);
  }
  return value;
}
