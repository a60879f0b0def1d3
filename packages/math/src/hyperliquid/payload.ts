import { InvalidPayloadError } from '../errors.js';
import { type Fixed, format18, parseDecimal } from '../internal/decimal.js';

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

/** The path of `node.v[key]`. */
const path = (node: Node<unknown>, key: string | number) =>
  typeof key === 'number' ? `${node.p}[${key}]` : node.p ? `${node.p}.${key}` : key;

/** `node.v[key]` when `ok(child)`; else throws naming its path and `kind`. */
function field(
  node: Node<unknown>,
  key: string | number,
  ok: (value: unknown) => boolean,
  kind: string,
): unknown {
  const v = (node.v as Record<string | number, unknown>)[key];
  if (!ok(v)) fail(path(node, key), kind, v);
  return v;
}

/** A child node; its path is built only when asked for (errors), not on every read of the hot path. */
class Child<T> {
  constructor(
    readonly v: T,
    private readonly u: Node<unknown>,
    private readonly k: string | number,
  ) {}
  get p(): string {
    return path(this.u, this.k);
  }
}

/** The child `key` of `node` with its path, when `ok(child)`; else throws naming the path and `kind`. */
export const read = <T>(
  node: Node<unknown>,
  key: string | number,
  ok: (value: unknown) => boolean,
  kind: string,
): Node<T> => new Child(field(node, key, ok, kind) as T, node, key);

/** Whether `v` is a (non-array) object. */
export const isObject = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The node of `v`, which the caller loaded and checked as `node.v[key]` (its path stays lazy). */
export const child = <T>(v: T, node: Node<unknown>, key: string | number): Node<T> =>
  new Child(v, node, key);
const isString = (v: unknown) => typeof v === 'string';
const isNumber = (v: unknown) => Number.isFinite(v) && (v as number) >= 1;

/** `node.v[key]` as a (non-array) object. */
export const obj = (node: Node<unknown>, key: string | number): Node =>
  read(node, key, isObject, 'an object');

/** `node.v[key]` as an array. */
export const arr = (node: Node<unknown>, key: string | number): Node<readonly unknown[]> =>
  read(node, key, Array.isArray, 'an array');

/** `node.v[key]` as a string. */
export const str = (node: Node<unknown>, key: string | number): string =>
  field(node, key, isString, 'a string') as string;

/** `node.v[key]` as a finite number ≥ 1 (leverages, margin table ids). */
export const num = (node: Node<unknown>, key: string | number): number =>
  field(node, key, isNumber, 'a number ≥ 1') as number;

/** `node.v[key]`, a decimal string (Hyperliquid sends numbers as strings), parsed. */
export const dec = (node: Node<unknown>, key: string | number): Fixed =>
  decAt((node.v as Record<string | number, unknown>)[key], node, key);

/**
 * {@link dec} of `v`, which the caller loaded as `node.v[key]`: a named load at the call site stays
 * monomorphic, where this module's keyed loads (`node.v[key]`) are megamorphic on a hot path.
 */
export function decAt(v: unknown, node: Node<unknown>, key: string | number): Fixed {
  try {
    return parseDecimal(v as string);
  } catch {
    return fail(path(node, key), 'a decimal string', v);
  }
}

/** An optional decimal string field (`null` or absent → `null`), re-formatted canonically. */
export const optionalDec = (node: Node, key: string): string | null =>
  node.v[key] == null ? null : format18(dec(node, key));
