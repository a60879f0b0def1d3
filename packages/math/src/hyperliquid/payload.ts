import { InvalidDecimalError, InvalidPayloadError } from '../errors.js';
import { type Fixed, isDecimalString, parseDecimal } from '../internal/decimal.js';

/** Reads an object field, throwing {@link InvalidPayloadError} naming the path when it is not an object. */
export function obj(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPayloadError(path, `must be an object, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

export function arr(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value))
    throw new InvalidPayloadError(path, `must be an array, got ${describe(value)}`);
  return value;
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string')
    throw new InvalidPayloadError(path, `must be a string, got ${describe(value)}`);
  return value;
}

export function num(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidPayloadError(path, `must be a finite number, got ${describe(value)}`);
  }
  return value;
}

/** A decimal string field (Hyperliquid sends numbers as strings). */
export function dec(value: unknown, path: string): Fixed {
  if (!isDecimalString(value)) {
    throw new InvalidPayloadError(path, `must be a decimal string, got ${describe(value)}`);
  }
  try {
    return parseDecimal(value, path);
  } catch (error) {
    if (error instanceof InvalidDecimalError) throw new InvalidPayloadError(path, error.message);
    throw error;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value);
  return json === undefined ? typeof value : json.length > 40 ? `${json.slice(0, 40)}…` : json;
}
