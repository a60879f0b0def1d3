import { fields } from '../funding/fields.js';
import {
  type DecimalString,
  decimalToNumber,
  nonEmpty,
  parsePositive,
  positiveInteger,
} from '../internal/args.js';
import { type Fixed, formatDecimal, fromNumber, parseDecimal } from '../internal/decimal.js';
import { median3, medianFixed } from '../internal/median.js';
import { parseMarks, timeAt } from './checkSetOracleUpdates.js';

/**
 * A CEX perp mid and its weight in Hyperliquid's weighted median: an integer from 1 to 1000. The docs'
 * current CEX set is Binance, OKX and Bybit; older docs listed five venues weighted Binance 3, OKX 2,
 * Bybit 2, Gate 1, MEXC 1 — pass whichever set and weights the venue uses.
 */
export type WeightedPrice = { readonly price: DecimalString; readonly weight: number };

/**
 * Hyperliquid validator-perp mark price (docs "Robust price indices"):
 * `median(oracle + EMA150s(mid − oracle), median(bestBid, bestAsk, lastTrade), weightedMedian(cexPerpMids))`.
 * When `cexPerpMids` is empty (CEX feeds unavailable), exactly two inputs exist and the docs add the
 * 30-second EMA of the local median `median(bestBid, bestAsk, lastTrade)` as the third: pass it as
 * `localMedianEma30s`. Without it the result is the median of the two remaining components, i.e. their
 * mean. Exact, half-even at 18 decimals.
 *
 * @throws {InvalidParameterError} on a non-positive price or a weight that is not an integer in [1, 1000].
 * @example
 * hyperliquidMarkPrice({ oraclePrice: '100', emaMidMinusOracle: '0.2', bestBid: '100.1', bestAsk: '100.3',
 *   lastTrade: '100.2', cexPerpMids: [{ price: '100.25', weight: 3 }, { price: '100.1', weight: 2 }] }) // '100.2'
 * hyperliquidMarkPrice({ oraclePrice: '100', emaMidMinusOracle: '0.6', bestBid: '100.1', bestAsk: '100.3',
 *   lastTrade: '100.2', cexPerpMids: [], localMedianEma30s: '100.4' }) // '100.4' = median(100.6, 100.2, 100.4)
 */
export function hyperliquidMarkPrice(params: {
  oraclePrice: DecimalString;
  /** 150-second EMA of `mid − oracle` (see {@link ema150s}). */
  emaMidMinusOracle: DecimalString;
  bestBid: DecimalString;
  bestAsk: DecimalString;
  lastTrade: DecimalString;
  cexPerpMids: readonly WeightedPrice[];
  /**
   * 30-second EMA of the local median `median(bestBid, bestAsk, lastTrade)`; used only when
   * `cexPerpMids` is empty (then exactly two of the three inputs exist).
   */
  localMedianEma30s?: DecimalString;
}): DecimalString {
  const marks = [
    parsePositive(params.oraclePrice, 'oraclePrice') +
      parseDecimal(params.emaMidMinusOracle, 'emaMidMinusOracle'),
    localMark(params),
  ];
  // Weighted median of the CEX mids: the median of the list with each mid repeated `weight` times.
  const cex = params.cexPerpMids.flatMap((m, i) =>
    Array(positiveInteger(`cexPerpMids[${i}].weight`, m.weight, 1000)).fill(
      parsePositive(m.price, `cexPerpMids[${i}].price`),
    ),
  );
  if (cex.length) marks.push(medianFixed(cex));
  else if (params.localMedianEma30s !== undefined)
    marks.push(parsePositive(params.localMedianEma30s, 'localMedianEma30s'));
  return formatDecimal(medianFixed(marks));
}

/** `median(bestBid, bestAsk, lastTrade)`: the local mark of both mark formulas. */
function localMark(params: {
  bestBid: DecimalString;
  bestAsk: DecimalString;
  lastTrade: DecimalString;
}): Fixed {
  return median3(...fields(params, ['bestBid', 'bestAsk', 'lastTrade'] as const));
}

/**
 * Hyperliquid's 150-second EMA of `mid − oracle` from timestamped samples (oldest first):
 * `num ← num·exp(−Δt/150 s) + sample·Δt`, `den ← den·exp(−Δt/150 s) + Δt`, EMA = num/den, where Δt is
 * the time since the previous sample (ms, the first sample gets weight 1 ms). Float64 (a statistic).
 *
 * @throws {UnsortedSeriesError} when timestamps decrease.
 * @throws {InvalidParameterError} when samples are empty or a timestamp is not finite.
 * `Math.InvalidDecimalError` on a malformed value.
 * @example ema150s([{ timeMs: 0, value: '0' }, { timeMs: 150_000, value: '1' }]) // ≈ '0.99999…' (recent samples dominate)
 */
export function ema150s(
  samples: readonly { timeMs: number; value: DecimalString }[],
): DecimalString {
  nonEmpty('samples', samples);
  let num = 0;
  let den = 0;
  for (const [i, s] of samples.entries()) {
    // The first sample gets a weight of 1 ms.
    const dt = timeAt('samples', samples, i, 'timeMs') - (samples[i - 1]?.timeMs ?? s.timeMs - 1);
    const decay = Math.exp(-dt / 150_000);
    num = num * decay + decimalToNumber(`samples[${i}].value`, s.value) * dt;
    den = den * decay + dt;
  }
  return formatDecimal(fromNumber(num / den));
}

/**
 * HIP-3 mark price (deployer `setOracle` rule): `median(markPxs..., median(bestBid, bestAsk, lastTrade))`
 * where `markPxs` holds 0, 1 or 2 deployer-supplied mark prices. Exact (even count: mean of the middle two).
 *
 * @throws {InvalidParameterError} when more than two deployer marks are given or a price is ≤ 0.
 * @example hip3MarkPrice({ deployerMarkPrices: ['101'], bestBid: '99', bestAsk: '100', lastTrade: '102' }) // '100.5'
 */
export function hip3MarkPrice(params: {
  deployerMarkPrices: readonly DecimalString[];
  bestBid: DecimalString;
  bestAsk: DecimalString;
  lastTrade: DecimalString;
}): DecimalString {
  return formatDecimal(
    medianFixed([
      ...parseMarks('deployerMarkPrices', params.deployerMarkPrices),
      localMark(params),
    ]),
  );
}
