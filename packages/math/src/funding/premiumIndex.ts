import { type DecimalString, nonEmpty, parsePositive } from '../internal/args.js';
import {
  div,
  divRound,
  type Fixed,
  formatDecimal,
  type Rounding,
  WAD,
} from '../internal/decimal.js';
import { fields } from './fields.js';

/** Inputs of {@link premiumIndex} and {@link hip3PremiumIndex} (prices as decimal strings). */
export type PremiumIndexParameters = {
  /** Average fill price of a market sell of the impact notional. */
  impactBid: DecimalString;
  /** Average fill price of a market buy of the impact notional. */
  impactAsk: DecimalString;
  /** Index price (CEX venues, Aevo) or oracle price (Hyperliquid). */
  indexPrice: DecimalString;
  /** Decimal places of the result (default 18). Hyperliquid publishes 10. */
  decimals?: number;
  /** Rounding of the result (default `halfEven`). */
  rounding?: Rounding;
};

/**
 * Premium index, CEX/validator style (Binance, Aevo, dYdX, Hyperliquid validator perps):
 * `(max(impactBid − index, 0) − max(index − impactAsk, 0)) / index`, a fraction (`0.0001` = 1 bp).
 * Exact, one rounding (default half-even at 18 decimals).
 *
 * @throws {InvalidParameterError} when a price ≤ 0. `Math.InvalidDecimalError` on malformed strings.
 * @example premiumIndex({ impactBid: '66371.0', impactAsk: '66372.0', indexPrice: '66383.0', decimals: 10 }) // '-0.0001657051'
 */
export function premiumIndex(params: PremiumIndexParameters): DecimalString {
  return premium(params, premiumIndexFixed);
}

/**
 * Hyperliquid HIP-3 premium: `0.5·(impactBid + impactAsk) / oracle − 1` (pass the oracle as `indexPrice`).
 *
 * @throws {InvalidParameterError} when a price ≤ 0.
 * @example hip3PremiumIndex({ impactBid: '24655.0', impactAsk: '24657.0', indexPrice: '24657.0', decimals: 10 }) // '-0.0000405564'
 */
export function hip3PremiumIndex(params: PremiumIndexParameters): DecimalString {
  return premium(params, hip3PremiumIndexFixed);
}

function premium(params: PremiumIndexParameters, formula: typeof premiumIndexFixed): DecimalString {
  // `params` carries the optional `decimals`/`rounding` of `formatDecimal`'s options.
  return formatDecimal(
    formula(...fields(params, ['impactBid', 'impactAsk', 'indexPrice'] as const)),
    params,
  );
}

/**
 * Pre-parsed form of {@link premiumIndex}: WAD `bigint`s in, WAD out (half-even). `index` must be > 0.
 * @example premiumIndexFixed(parseDecimal('10100'), parseDecimal('10200'), parseDecimal('10000')) // 10_000_000_000_000_000n (0.01)
 */
export function premiumIndexFixed(impactBid: Fixed, impactAsk: Fixed, index: Fixed): Fixed {
  // Hot path (benchmarked): plain branches, an early exit and a direct divRound.
  let diff = 0n;
  if (impactBid > index) diff = impactBid - index;
  if (index > impactAsk) diff -= index - impactAsk;
  if (diff === 0n) return 0n;
  return divRound(diff * WAD, index, 'halfEven');
}

/**
 * Pre-parsed form of {@link hip3PremiumIndex}: WAD in, WAD out (half-even). `oracle` must be > 0.
 * @example hip3PremiumIndexFixed(parseDecimal('99'), parseDecimal('103'), parseDecimal('100')) // 10_000_000_000_000_000n (0.01)
 */
export function hip3PremiumIndexFixed(impactBid: Fixed, impactAsk: Fixed, oracle: Fixed): Fixed {
  // 0.5·(b + a)/o − 1 = (b + a − 2o) / (2o): one exact division.
  return divRound((impactBid + impactAsk - 2n * oracle) * WAD, 2n * oracle, 'halfEven');
}

/** One order-book level: price and size (base units) as decimal strings. */
export type BookLevel = { readonly price: DecimalString; readonly size: DecimalString };

/**
 * Impact price: the average fill price of a market order of `notional` (quote currency) walking the
 * book. Pass **bids** (best first) for the impact bid (a sell) and **asks** for the impact ask (a buy).
 * Venue notionals: Aevo 10,000 USD; Hyperliquid 20,000 USDC for BTC/ETH, 6,000 otherwise; Binance
 * 200 USDT / initial margin rate; dYdX 500 USDC / IMF.
 *
 * Exact: `avg = notional / Σ filled size`, rounded half-even once.
 *
 * @returns the average price, or `null` when the book is too thin to fill `notional`.
 * @throws {InvalidParameterError} when `notional` ≤ 0 or a level has a price ≤ 0 / size < 0.
 * @example impactPrice({ levels: [{ price: '100', size: '1' }, { price: '99', size: '10' }], notional: '199' }) // '99.5'
 */
export function impactPrice(params: {
  levels: readonly BookLevel[];
  notional: DecimalString;
}): DecimalString | null {
  nonEmpty('levels', params.levels);
  const notional = parsePositive(params.notional, 'notional');
  let remaining = notional * WAD; // WAD² scale
  let filledSize = 0n; // WAD
  for (const [i, level] of params.levels.entries()) {
    const px = parsePositive(level.price, `levels[${i}].price`);
    const size = parsePositive(level.size, `levels[${i}].size`);
    const levelNotional = px * size; // WAD²
    if (remaining <= levelNotional) {
      // avg = notional / (filledSize + remaining/px) = notional·px / (filledSize·px + remaining)
      return formatDecimal(div(notional * px, filledSize * px + remaining));
    }
    remaining -= levelNotional;
    filledSize += size;
  }
  return null;
}
