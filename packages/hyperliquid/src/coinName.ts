/**
 * Hyperliquid coin names: a main-dex perp is named by its symbol (`BTC`), a HIP-3 perp by its
 * builder dex and symbol joined by a colon (`xyz:TSLA`). The one place that parses or builds them.
 *
 * @module
 */

/** Parts of a perp coin name; `dex` is `''` for the main (validator) dex. */
export type CoinName = { readonly dex: string; readonly symbol: string };

/**
 * Splits a perp coin name into its dex and symbol: `xyz:TSLA` → `{ dex: 'xyz', symbol: 'TSLA' }`,
 * `BTC` → `{ dex: '', symbol: 'BTC' }`. Only the first colon separates (a leading colon names no dex).
 *
 * @example parseCoin('xyz:TSLA') // { dex: 'xyz', symbol: 'TSLA' }
 */
export function parseCoin(coin: string): CoinName {
  const i = coin.indexOf(':');
  return i > 0 ? { dex: coin.slice(0, i), symbol: coin.slice(i + 1) } : { dex: '', symbol: coin };
}

/**
 * The dex a perp coin trades on: the HIP-3 prefix of `dex:COIN`, `''` for a main-dex coin.
 *
 * @example dexOf('xyz:TSLA') // 'xyz'
 * @example dexOf('BTC') // ''
 */
export function dexOf(coin: string): string {
  return parseCoin(coin).dex;
}

/**
 * The symbol of a perp coin without its dex prefix (`xyz:TSLA` → `TSLA`, `BTC` → `BTC`).
 *
 * @example symbolOf('xyz:TSLA') // 'TSLA'
 */
export function symbolOf(coin: string): string {
  return parseCoin(coin).symbol;
}

/**
 * Whether a coin is a HIP-3 perp (named `dex:COIN`).
 *
 * @example isHip3Coin('xyz:TSLA') // true
 */
export function isHip3Coin(coin: string): boolean {
  return parseCoin(coin).dex !== '';
}

/**
 * The coin name of `symbol` on `dex` (the inverse of {@link parseCoin}): `dex:SYMBOL`, or the bare
 * symbol on the main dex (`''`).
 *
 * @example coinName({ dex: 'xyz', symbol: 'TSLA' }) // 'xyz:TSLA'
 */
export function coinName(name: CoinName): string {
  return name.dex === '' ? name.symbol : `${name.dex}:${name.symbol}`;
}
