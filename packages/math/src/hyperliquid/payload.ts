import { InvalidPayloadError } from '../errors.js';
import { type Fixed, formatDecimal, isDecimalString, parseDecimal } from '../internal/decimal.js';

/**
 * Field readers for exchange JSON. A {@link Node} is a checked value with its JSON path; each reader
 * reads `node.v[key]`, names its path itself (`${path}.${key}`, `${path}[${index}]`, or just `key` below
 * the root, whose path is `''`) and throws {@link InvalidPayloadError}
 * (`<path> must be <kind>, got <value>`) when the value is not of the kind.
 */

/** A checked JSON value `v` and its path `p` (`''` for the root). */
export type Node<T = Readonly<Record<string, unknown>>> = { readonly v: T; readonly p: string };

/** Throws `<path> must be <requirement>, got <value as JSON, ≤ 40 chars>`. */
export function fail(path: string, requirement: string, value: unknown): never {
  throw new InvalidPayloadError(
    path,
    `must be ${requirement}, got ${JSON.stringify(value)?.slice(0, 40)}`,
  );
}

/** The child `key` of `node` with its path, when `ok(child)`; else throws naming the path and `kind`. */
export function read<T>(
  node: Node<unknown>,
  key: string | number,
  ok: (value: unknown) => boolean,
  kind: string,
): Node<T> {
  const v = (node.v as Record<string | number, unknown>)[key];
  const p = typeof key === 'number' ? `${node.p}[${key}]` : node.p ? `${node.p}.${key}` : key;
  if (!ok(v)) fail(p, kind, v);
  return { v: v as T, p };
}

/** `node.v[key]` as a (non-array) object. */
export const obj = (node: Node<unknown>, key: string | number): Node =>
  read(node, key, (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');

/** `node.v[key]` as an array. */
export const arr = (node: Node<unknown>, key: string | number): Node<readonly unknown[]> =>
  read(node, key, Array.isArray, 'an array');

/** `node.v[key]` as a string. */
export const str = (node: Node<unknown>, key: string | number): string =>
  read<string>(node, key, (v) => typeof v === 'string', 'a string').v;

/** `node.v[key]` as a finite number ≥ 1 (leverages, margin table ids). */
export const num = (node: Node<unknown>, key: string | number): number =>
  read<number>(node, key, (v) => Number.isFinite(v) && (v as number) >= 1, 'a number ≥ 1').v;

/** `node.v[key]`, a decimal string (Hyperliquid sends numbers as strings), parsed. */
export const dec = (node: Node<unknown>, key: string | number): Fixed =>
  parseDecimal(read<string>(node, key, isDecimalString, 'a decimal string').v);

/** An optional decimal string field (`null` or absent → `null`), re-formatted canonically. */
export const optionalDec = (node: Node, key: string): string | null =>
  node.v[key] == null ? null : formatDecimal(dec(node, key));
