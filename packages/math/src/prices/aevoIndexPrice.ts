import {
  type DecimalString,
  fail,
  nonEmpty,
  parseNonNegative,
  parseOptional,
  parsePositive,
} from '../internal/args.js';
import { clamp, divRound, formatDecimal, WAD } from '../internal/decimal.js';
import { medianFixed } from '../internal/median.js';

/** One constituent price of an index. `quote` `'USDT'` prices are converted with `usdtToUsdc`. */
export type IndexSource = {
  readonly price: DecimalString;
  /** Quote currency of `price`; default `'USDC'` (USD is treated as USDC). */
  readonly quote?: 'USDC' | 'USD' | 'USDT';
};

/**
 * How sources far from the median are treated: `'drop'` removes them (Aevo, per the founding note),
 * `'cap'` clamps them to the band edge (Thalex-style variant).
 */
export type OutlierPolicy = 'drop' | 'cap';

/**
 * Index price from CEX sources (founding note 2; Aevo's page body was not retrievable, research
 * perp-math.md §1.3): convert USDT quotes to USDC, take the median, drop (or cap) sources more than
 * `band` (default ±0.5 %) from it, and average the rest. Exact, half-even at 18 decimals.
 *
 * @returns the index and how many sources were used.
 * @throws {InvalidParameterError} when `sources` is empty or a USDT source is given without `usdtToUsdc`.
 * @example aevoIndexPrice({ sources: [{ price: '2000' }, { price: '2001' }, { price: '2100' }] }).price // '2000.5'
 */
export function aevoIndexPrice(params: {
  sources: readonly IndexSource[];
  /** USDC per 1 USDT, e.g. `'0.9998'`. Required when a source is quoted in USDT. */
  usdtToUsdc?: DecimalString;
  /** Maximum relative distance from the median, default `'0.005'`. */
  band?: DecimalString;
  /** Default `'drop'`. */
  policy?: OutlierPolicy;
}): { price: DecimalString; sourcesUsed: number } {
  nonEmpty('sources', params.sources);
  const usdt = params.usdtToUsdc;
  const rate = parseOptional(usdt, 'usdtToUsdc', null, parsePositive);
  const band = parseOptional(params.band, 'band', 5_000_000_000_000_000n, parseNonNegative);
  const prices = params.sources.map((s, i) => {
    const p = parsePositive(s.price, `sources[${i}].price`);
    if (s.quote !== 'USDT') return p;
    return divRound(
      p * (rate ?? fail('usdtToUsdc', `set: sources[${i}] is in USDT`, usdt)),
      WAD,
      'halfEven',
    );
  });
  const median = medianFixed(prices);
  const lo = median - divRound(median * band, WAD, 'ceil');
  const hi = median + divRound(median * band, WAD, 'floor');
  let sum = 0n;
  let n = 0n;
  for (const p of prices) {
    const capped = clamp(p, lo, hi);
    if (capped === p || params.policy === 'cap') {
      sum += capped;
      n++;
    }
  }
  return { price: formatDecimal(divRound(sum, n, 'halfEven')), sourcesUsed: Number(n) };
}
