import { InvalidParameterError } from '../errors.js';
import {
  type DecimalString,
  oneOf,
  parseOptional,
  parsePositive,
  parseSide,
  parseSize,
} from '../internal/args.js';
import { divRound, type Fixed, formatOrNull, parseDecimal, WAD } from '../internal/decimal.js';
import { type MarginTable, maintenanceMarginFixed } from './marginTable.js';

/** `'long'` or `'short'`. */
export type Side = 'long' | 'short';

/**
 * Inputs of {@link liquidationPrice} (decimal strings, quote currency = the margin currency).
 *
 * The solver finds the price `X` at which the position's equity equals maintenance:
 * `collateral + side·size·(X − price) = size·X·mmr_k − deduction_k + otherMaintenanceMargin`.
 * - **Hyperliquid cross**: `price` = mark, `collateral` = cross `accountValue` (includes every cross
 *   position's uPnL), `otherMaintenanceMargin` = maintenance of the other cross positions at their marks.
 * - **Hyperliquid isolated**: `price` = mark, `collateral` = the position's `marginUsed`
 *   (isolated margin incl. its uPnL), `otherMaintenanceMargin` = 0.
 * - **Binance one-way**: `price` = entry. Cross: `collateral = WB + UPNL1` (wallet balance plus the other
 *   positions' uPnL) and `otherMaintenanceMargin = TMM1`; isolated: `collateral` = isolated wallet balance.
 * - **dYdX**: one-tier table with the MMF; cross adds the other positions' MMR as `otherMaintenanceMargin`.
 */
export type LiquidationPriceParameters = {
  /** Position side. */
  side: Side;
  /** Position size as a magnitude (base units, ≥ 0). `'0'` → `null`. */
  size: DecimalString;
  /** Price at which `collateral` is valued (mark, or entry when collateral carries no uPnL of this position). */
  price: DecimalString;
  /** Equity backing the position at `price` (quote currency). May be negative. */
  collateral: DecimalString;
  /** Maintenance margin of other positions sharing the collateral (cross), held at their marks. Default `'0'`. */
  otherMaintenanceMargin?: DecimalString;
  /** Tiered table of the market; the tier containing the notional **at the liquidation price** is used. */
  marginTable: MarginTable;
  /**
   * Where maintenance margin is valued: `'liquidationPrice'` (default; Hyperliquid, Binance, dYdX) or
   * `'price'` — fixed at the reference price, as Bybit's isolated formula `Entry − (IM − MM)/Size` does.
   */
  maintenanceValuedAt?: 'liquidationPrice' | 'price';
};

/** Pre-parsed inputs of {@link solveLiquidationPrice}: WAD fixed-point `bigint`s (see README "Units"). */
export type LiquidationInputFixed = {
  /** `1` long, `-1` short. */
  side: 1 | -1;
  /** Size magnitude, WAD, > 0. */
  size: Fixed;
  /** Reference price, WAD. */
  price: Fixed;
  /** Collateral at `price`, WAD. */
  collateral: Fixed;
  /** Maintenance of the other cross positions, WAD. */
  otherMaintenanceMargin: Fixed;
  /** Parsed table. */
  marginTable: MarginTable;
};

/**
 * Hot-path liquidation solver on pre-parsed WAD `bigint`s; no string parsing, no allocation besides the
 * bigints. Same semantics as {@link liquidationPrice}. Use it when solving many times per second with
 * the same {@link MarginTable}.
 *
 * Solves `P* = (E − s·p + d_k − MM_other) / (|s|·mmr_k − s)` (research perp-math.md §3.9) in the tier `k`
 * that contains the notional at `P*` (margin is continuous and equity − maintenance is monotone in price,
 * so the root is unique and its tier is found from the sign of the surplus at each tier's lower bound).
 * Rounded towards safety: a long's price up, a short's down.
 *
 * @returns the price (WAD), or `null` when it would be ≤ 0, when `size` is 0, or when no finite root exists.
 * @example solveLiquidationPrice({ side: -1, size: parseDecimal('3'), price: parseDecimal('3000'),
 *   collateral: parseDecimal('1000'), otherMaintenanceMargin: 0n,
 *   marginTable: createMarginTable({ tiers: [{ lowerBound: '0', maintenanceMarginRate: '0.05' }] }) })
 * // 3174_603174603174603174n (dYdX docs example: 3174.60)
 */
export function solveLiquidationPrice(input: LiquidationInputFixed): Fixed | null {
  const { side, size, price, collateral, otherMaintenanceMargin } = input;
  if (size === 0n) return null;
  // Written with few BigInt operations (each allocates): no negations, no adding a zero.
  const equity = (otherMaintenanceMargin ? collateral - otherMaintenanceMargin : collateral) * WAD;
  return solveFromBase(
    side,
    size,
    side === 1 ? equity - size * price : equity + size * price,
    input.marginTable,
  );
}

/**
 * {@link solveLiquidationPrice} from `base` = (collateral − otherMaintenanceMargin)·WAD ∓ size·price (WAD²
 * scale, − for a long), for callers that hold the collateral at WAD² already (the Hyperliquid adapters).
 */
export function solveFromBase(
  side: 1 | -1,
  size: Fixed,
  base: bigint,
  marginTable: MarginTable,
): Fixed | null {
  if (size === 0n) return null;
  const tiers = marginTable.tiers;
  const last = tiers.length - 1;
  // Surplus S(X) = equity(X) − maintenance(X) at WAD² scale is monotone in X (increasing for a long,
  // decreasing for a short) and continuous across tiers, so the tier holding the root is found by the
  // sign of S at each tier's lower bound — multiplications only; then one exact division.
  let k = 0;
  while (k < last) {
    const next = tiers[k + 1]!;
    const atBound = next.lowerBound * WAD; // side·q·X at the bound is side·lowerBound
    const surplus =
      (side === 1 ? base + atBound : base - atBound) - next.maintenanceAtLowerBoundWad2;
    // Root at or above the bound: long while S(bound) ≤ 0, short while S(bound) ≥ 0.
    if (side === 1 ? surplus > 0n : surplus < 0n) break;
    k++;
  }
  const tier = tiers[k]!;
  const mmr = tier.maintenanceMarginRate;
  // x = round(numerator / denominator), numerator = (base + deduction)·WAD, denominator = size·(mmr ∓ 1),
  // long up, short down. Only x > 0 is returned, so a quotient ≤ 0 (a zero term, or signs that differ)
  // is `null` before any BigInt operation; a positive quotient truncates to its floor, so a short is one
  // division and a long adds one when it is inexact: divRound's values, with half its operations.
  const n = tier.deduction ? base + tier.deduction * WAD : base;
  const rate = side === 1 ? mmr - WAD : mmr + WAD;
  if (n === 0n || rate === 0n || (n > 0n !== rate > 0n) !== size < 0n) return null;
  const numerator = n * WAD;
  const denominator = size * rate;
  const x = numerator / denominator;
  return side === 1 && x * denominator !== numerator ? x + 1n : x || null;
}

/**
 * Liquidation price of one position — the one solver for Hyperliquid (incl. HIP-3), Binance, dYdX and
 * Bybit-style linear perps, cross or isolated, long or short (see {@link LiquidationPriceParameters} for
 * how each venue's inputs map). Uses the tier that contains the notional at the liquidation price.
 *
 * Rounding: exact arithmetic, one final rounding to 18 decimals towards safety (long up, short down).
 *
 * @returns the price as a decimal string, or `null` when no liquidation price exists (≤ 0, size 0).
 * @throws {NegativeSizeError} when `size` < 0. {@link InvalidParameterError} when `price` ≤ 0.
 * {@link InvalidDecimalError} on a malformed decimal string.
 * @example
 * // Hyperliquid docs isolated ETH example: 0.0335 ETH long, positionValue 100.02765, marginUsed 4.967826, 50x max
 * liquidationPrice({ side: 'long', size: '0.0335', price: '2985.9', collateral: '4.967826',
 *   marginTable: marginTableFromHyperliquid({ marginTiers: [{ lowerBound: '0', maxLeverage: 50 }] }) })
 * // '2866.269380370872908187' ≈ the exchange's 2866.26936529
 */
export function liquidationPrice(params: LiquidationPriceParameters): DecimalString | null {
  const input = parseLiquidationInput(params);
  const x =
    oneOf('maintenanceValuedAt', params.maintenanceValuedAt ?? 'liquidationPrice', [
      'liquidationPrice',
      'price',
    ]) === 'price'
      ? solveWithMaintenanceAtPrice(input)
      : solveLiquidationPrice(input);
  return formatOrNull(x);
}

/** `X = P − side·(E − MM(P) − MM_other)/q`: maintenance frozen at the reference price (Bybit). */
function solveWithMaintenanceAtPrice(input: LiquidationInputFixed): Fixed | null {
  const { side, size, price, collateral, otherMaintenanceMargin, marginTable } = input;
  if (size === 0n) return null;
  const mm = maintenanceMarginFixed((size * price) / WAD, marginTable);
  const buffer = collateral - mm - otherMaintenanceMargin;
  const x = price - BigInt(side) * divRound(buffer * WAD, size, 'floor');
  return x > 0n ? x : null;
}

/** Parses and validates {@link LiquidationPriceParameters} into the hot-path form. */
function parseLiquidationInput(params: LiquidationPriceParameters): LiquidationInputFixed {
  return {
    side: parseSide(params.side),
    size: parseSize(params.size),
    price: parsePositive(params.price, 'price'),
    collateral: parseDecimal(params.collateral, 'collateral'),
    otherMaintenanceMargin: parseOptional(
      params.otherMaintenanceMargin,
      'otherMaintenanceMargin',
      0n,
    ),
    marginTable: params.marginTable,
  };
}
