import { InvalidDecimalError, InvalidPayloadError } from '../errors.js';
import { type Fixed, formatDecimal, isDecimalString, parseDecimal } from '../internal/decimal.js';

/** Throws `${path} must be ${kind}, got …` unless `ok`; returns `value`. */
function expectKind<T>(value: unknown, path: string, ok: boolean, kind: string): T {
  if (!ok) throw new InvalidPayloadError(path, `must be ${kind}, got ${describe(value)}`);
  return value as T;
}

/** Reads an object field, throwing {@link InvalidPayloadError} naming the path when it is not an object. */
export function obj(value: unknown, path: string): Record<string, unknown> {
  return expectKind(
    value,
    path,
    typeof value === 'object' && value !== null && !Array.isArray(value),
    'an object',
  );
}

export function arr(value: unknown, path: string): readonly unknown[] {
  return expectKind(value, path, Array.isArray(value), 'an array');
}

export function str(value: unknown, path: string): string {
  return expectKind(value, path, typeof value === 'string', 'a string');
}

export function num(value: unknown, path: string): number {
  return expectKind(value, path, Number.isFinite(value), 'a finite number');
}

/** A decimal string field (Hyperliquid sends numbers as strings). */
export function dec(value: unknown, path: string): Fixed {
  try {
    return parseDecimal(expectKind(value, path, isDecimalString(value), 'a decimal string'), path);
  } catch (error) {
    if (error instanceof InvalidDecimalError) throw new InvalidPayloadError(path, error.message);
    throw error;
  }
}

/** An optional decimal string field (`null` or absent → `null`), re-formatted canonically. */
export function optionalDec(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : formatDecimal(dec(value, path));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? typeof value : json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
