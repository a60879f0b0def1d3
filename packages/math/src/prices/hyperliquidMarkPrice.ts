import { InvalidParameterError } from '../errors.js';
import {
  type DecimalString,
  nonEmpty,
  parseNonNegative,
  parsePositive,
  positiveNumber,
} from '../internal/args.js';
import { type Fixed, formatDecimal, fromNumber, parseDecimal } from '../internal/decimal.js';
import { ascending, median3, medianFixed } from '../internal/median.js';

/** A CEX perp mid and its weight in Hyperliquid's weighted median (Binance 3, OKX 2, Bybit 2, Gate 1, MEXC 1). */
export type WeightedPrice = { readonly price: DecimalString; readonly weight: number };

/**
 * Hyperliquid validator-perp mark price (docs "Robust price indices"):
 * `median(oracle + EMA150s(mid − oracle), median(bestBid, bestAsk, lastTrade), weightedMedian(cexPerpMids))`.
 * When `cexPerpMids` is empty (CEX feeds unavailable) the result is the median of the two remaining
 * components, i.e. their mean. Exact, half-even at 18 decimals.
 *
 * @throws {InvalidParameterError} on a non-positive price or weight.
 * @example
 * hyperliquidMarkPrice({ oraclePrice: '100', emaMidMinusOracle: '0.2', bestBid: '100.1', bestAsk: '100.3',
 *   lastTrade: '100.2', cexPerpMids: [{ price: '100.25', weight: 3 }, { price: '100.1', weight: 2 }] }) // '100.2'
 */
export function hyperliquidMarkPrice(params: {
  oraclePrice: DecimalString;
  /** 150-second EMA of `mid − oracle` (see {@link ema150s}). */
  emaMidMinusOracle: DecimalString;
  bestBid: DecimalString;
  bestAsk: DecimalString;
  lastTrade: DecimalString;
  cexPerpMids: readonly WeightedPrice[];
}): DecimalString {
  const a =
    parsePositive(params.oraclePrice, 'oraclePrice') +
    parseDecimal(params.emaMidMinusOracle, 'emaMidMinusOracle');
  const b = median3(
    parsePositive(params.bestBid, 'bestBid'),
    parsePositive(params.bestAsk, 'bestAsk'),
    parsePositive(params.lastTrade, 'lastTrade'),
  );
  if (params.cexPerpMids.length === 0) return formatDecimal(medianFixed([a, b]));
  return formatDecimal(median3(a, b, weightedMedian(params.cexPerpMids)));
}

function weightedMedian(prices: readonly WeightedPrice[]): Fixed {
  const items = prices.map((p, i) => {
    const weight = positiveNumber(`cexPerpMids[${i}].weight`, p.weight);
    return { price: parsePositive(p.price, `cexPerpMids[${i}].price`), weight };
  });
  items.sort((x, y) => ascending(x.price, y.price));
  const total = items.reduce((s, x) => s + x.weight, 0);
  let cumulative = 0;
  for (const [i, item] of items.entries()) {
    cumulative += item.weight;
    if (cumulative * 2 > total) return item.price;
    // Exactly half: the median lies between this price and the next one.
    if (cumulative * 2 === total) return medianFixed([item.price, items[i + 1]!.price]);
  }
  return items[items.length - 1]!.price;
}

/**
 * Hyperliquid's 150-second EMA of `mid − oracle` from timestamped samples (oldest first):
 * `num ← num·exp(−Δt/150 s) + sample·Δt`, `den ← den·exp(−Δt/150 s) + Δt`, EMA = num/den, where Δt is
 * the time since the previous sample (ms, the first sample gets weight 1 ms). Float64 (a statistic).
 *
 * @throws {InvalidParameterError} when samples are empty or timestamps decrease.
 * @example ema150s([{ timeMs: 0, value: '0' }, { timeMs: 150_000, value: '1' }]) // ≈ '0.99999…' (recent samples dominate)
 */
export function ema150s(
  samples: readonly { timeMs: number; value: DecimalString }[],
): DecimalString {
  nonEmpty('samples', samples);
  let num = 0;
  let den = 0;
  let prev: number | undefined;
  for (const [i, s] of samples.entries()) {
    if (!Number.isFinite(s.timeMs) || (prev !== undefined && s.timeMs < prev)) {
      throw new InvalidParameterError(`samples[${i}].timeMs`, 'must be finite and non-decreasing');
    }
    const dt = prev === undefined ? 1 : s.timeMs - prev;
    const decay = Math.exp(-dt / 150_000);
    const v = Number(formatDecimal(parseDecimal(s.value, `samples[${i}].value`)));
    num = num * decay + v * dt;
    den = den * decay + dt;
    prev = s.timeMs;
  }
  return formatDecimal(fromNumber(den === 0 ? 0 : num / den, 'ema'));
}

/**
 * HIP-3 mark price (deployer `setOracle` rule): `median(markPxs..., median(bestBid, bestAsk, lastTrade))`
 * where `markPxs` holds 0, 1 or 2 deployer-supplied mark prices. Exact (even count: mean of the middle two).
 *
 * @throws {InvalidParameterError} when more than two deployer marks are given.
 * @example hip3MarkPrice({ deployerMarkPrices: ['101'], bestBid: '99', bestAsk: '100', lastTrade: '102' }) // '100.5'
 */
export function hip3MarkPrice(params: {
  deployerMarkPrices: readonly DecimalString[];
  bestBid: DecimalString;
  bestAsk: DecimalString;
  lastTrade: DecimalString;
}): DecimalString {
  if (params.deployerMarkPrices.length > 2) {
    throw new InvalidParameterError('deployerMarkPrices', 'must hold at most 2 prices');
  }
  const local = median3(
    parsePositive(params.bestBid, 'bestBid'),
    parsePositive(params.bestAsk, 'bestAsk'),
    parsePositive(params.lastTrade, 'lastTrade'),
  );
  const marks = params.deployerMarkPrices.map((p, i) =>
    parseNonNegative(p, `deployerMarkPrices[${i}]`),
  );
  return formatDecimal(medianFixed([...marks, local]));
}
