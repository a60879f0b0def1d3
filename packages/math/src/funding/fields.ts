import { parsePositive } from '../internal/args.js';
import type { Fixed } from '../internal/decimal.js';

/**
 * Parses `params[key]` for each key with `parse` (default: a price > 0), naming the key in errors.
 * Package-internal (funding and prices).
 *
 * @example fields({ bid: '1', ask: '2' }, ['bid', 'ask'] as const) // [10n ** 18n, 2n * 10n ** 18n]
 */
export function fields<K extends readonly string[]>(
  params: { readonly [k in K[number]]?: string },
  keys: K,
  parse: (value: string, parameter: string) => Fixed = parsePositive,
): { [I in keyof K]: Fixed } {
  return keys.map((k: K[number]) => parse(params[k] as string, k)) as { [I in keyof K]: Fixed };
}
