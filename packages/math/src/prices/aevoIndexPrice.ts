import { type DecimalString, nonEmpty, parseOptional, parsePositive } from '../internal/args.js';
import { abs, add, divRound, formatDecimal, mul } from '../internal/decimal.js';
import { medianFixed } from '../internal/median.js';

/** One constituent price of an index. `quote` `'USDT'` prices are converted with `usdtToUsdc`. */
export type IndexSource = {
  readonly price: DecimalString;
  /** Quote currency of `price`; default `'USDC'` (USD is treated as USDC). */
  readonly quote?: 'USDC' | 'USD' | 'USDT';
};

/**
 * Index price from CEX sources (founding note 2; Aevo's page body was not retrievable, research
 * perp-math.md §1.3): convert USDT quotes to USDC, take the median, drop sources more than ±0.5 % from
 * it (exactly: kept when `|price − median| ≤ 0.005 × median`), and average the rest. Exact, half-even at
 * 18 decimals.
 *
 * @returns the index and how many sources were used.
 * @throws {InvalidParameterError} when `sources` is empty or a price ≤ 0. `Math.InvalidDecimalError` on a
 * malformed price or when a USDT source is given without `usdtToUsdc`.
 * @example aevoIndexPrice({ sources: [{ price: '2000' }, { price: '2001' }, { price: '2100' }] }) // { price: '2000.5', sourcesUsed: 2 }
 */
export function aevoIndexPrice(params: {
  sources: readonly IndexSource[];
  /** USDC per 1 USDT, e.g. `'0.9998'`. Required when a source is quoted in USDT. */
  usdtToUsdc?: DecimalString;
}): { price: DecimalString; sourcesUsed: number } {
  nonEmpty('sources', params.sources);
  const usdt = params.usdtToUsdc;
  const rate = parseOptional(usdt, 'usdtToUsdc', null, parsePositive);
  const prices = params.sources.map((s, i) => {
    const p = parsePositive(s.price, `sources[${i}].price`);
    return s.quote === 'USDT' ? mul(p, rate ?? parsePositive(usdt as string, 'usdtToUsdc')) : p;
  });
  const median = medianFixed(prices);
  const kept = prices.filter((p) => 200n * abs(p - median) <= median);
  return {
    price: formatDecimal(divRound(kept.reduce(add), BigInt(kept.length), 'halfEven')),
    sourcesUsed: kept.length,
  };
}
