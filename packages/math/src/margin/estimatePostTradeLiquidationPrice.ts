import {
  type DecimalString,
  oneOf,
  parseLeverage,
  parseNonNegative,
  parseOptional,
  parsePositive,
  parseSide,
  parseSize,
} from '../internal/args.js';
import {
  divRound,
  type Fixed,
  formatDecimal,
  formatOrNull,
  parseDecimal,
  WAD,
} from '../internal/decimal.js';
import { type Side, solveLiquidationPrice } from './liquidationPrice.js';
import type { MarginTable } from './marginTable.js';

/** A position or order: side, size magnitude and price (decimal strings). */
export type PositionInput = { side: Side; size: DecimalString; entryPrice: DecimalString };

/** How the position is margined. */
export type MarginMode = 'cross' | 'isolated';

/** Inputs of {@link estimatePostTradeLiquidationPrice}. */
export type PostTradeParameters = {
  /** Current position in the market, or `null` when flat. */
  position: PositionInput | null;
  /** The order to preview: side, size and expected fill price (the limit price for limit orders). */
  order: { side: Side; size: DecimalString; price: DecimalString };
  /** Current mark price. */
  markPrice: DecimalString;
  marginMode: MarginMode;
  /**
   * Cross: the cross account value now. Isolated: the position's isolated margin now (incl. its uPnL at
   * mark; `'0'` when flat).
   */
  collateral: DecimalString;
  /** Leverage used to size the isolated margin added by an increase (ignored in cross). */
  leverage: number | DecimalString;
  /** Cross: maintenance margin of the other cross positions. Default `'0'`. */
  otherMaintenanceMargin?: DecimalString;
  /** Fee paid for the fill (quote currency), deducted from collateral. Default `'0'`. */
  fee?: DecimalString;
  marginTable: MarginTable;
};

/**
 * Estimated liquidation price **after** a trade (order preview), computed from the resulting position —
 * not from the order alone (a common bug, research perp-math.md §6).
 *
 * Resulting entry: weighted average when increasing, unchanged when reducing, the fill price after a flip.
 * Collateral after the fill, valued at mark: cross `accountValue + Δsize·(mark − fillPrice) − fee`;
 * isolated increase adds `|Δsize|·fillPrice / leverage`; a reduction keeps margin pro rata to the remaining
 * size (approximation of the venue's release rule); a flip starts from `|newSize|·fillPrice / leverage`.
 *
 * @returns the resulting position (`null` if flat) and its liquidation price (`null` if none).
 * @throws `Math.NegativeSizeError`, `Math.InvalidLeverageError`, `Math.InvalidDecimalError`.
 * @example estimatePostTradeLiquidationPrice({ position: { side: 'long', size: '1', entryPrice: '100' },
 *   order: { side: 'long', size: '1', price: '110' }, markPrice: '112', marginMode: 'cross',
 *   collateral: '50', leverage: 10, marginTable })
 * // { position: { side: 'long', size: '2', entryPrice: '105' }, liquidationPrice: '…' }
 */
export function estimatePostTradeLiquidationPrice(params: PostTradeParameters): {
  position: PositionInput | null;
  liquidationPrice: DecimalString | null;
} {
  const cross = oneOf('marginMode', params.marginMode, ['cross', 'isolated']) === 'cross';
  const mark = parsePositive(params.markPrice, 'markPrice');
  const fill = parsePositive(params.order.price, 'order.price');
  const dq = signed(params.order.side, parseSize(params.order.size, 'order.size'));
  const q0 =
    params.position === null
      ? 0n
      : signed(params.position.side, parseSize(params.position.size, 'position.size'));
  const e0 =
    params.position === null
      ? 0n
      : parsePositive(params.position.entryPrice, 'position.entryPrice');
  const leverage = parseLeverage(params.leverage);
  const fee = parseOptional(params.fee, 'fee', 0n, parseNonNegative);
  let collateral = parseDecimal(params.collateral, 'collateral');
  const q1 = q0 + dq;
  const abs = (x: Fixed) => (x < 0n ? -x : x);

  let entry: Fixed;
  if (q1 === 0n) entry = 0n;
  else if (q0 === 0n || q0 > 0n !== q1 > 0n)
    entry = fill; // open or flip
  else if (abs(q1) > abs(q0))
    entry = divRound(q0 * e0 + dq * fill, q1, 'halfEven'); // increase
  else entry = e0; // reduce

  const fillPnl = divRound(dq * (mark - fill), WAD, 'halfEven');
  if (cross) {
    collateral += fillPnl - fee;
  } else if (q0 === 0n || q0 > 0n !== q1 > 0n) {
    collateral = divRound(abs(q1) * fill, leverage, 'halfEven') + fillPnl - fee;
  } else if (abs(q1) > abs(q0)) {
    collateral += divRound(abs(dq) * fill, leverage, 'halfEven') + fillPnl - fee;
  } else {
    collateral = divRound(collateral * abs(q1), abs(q0), 'halfEven') - fee;
  }
  if (q1 === 0n) return { position: null, liquidationPrice: null };
  const side: Side = q1 > 0n ? 'long' : 'short';
  const x = solveLiquidationPrice({
    side: q1 > 0n ? 1 : -1,
    size: abs(q1),
    price: mark,
    collateral,
    otherMaintenanceMargin: cross
      ? parseOptional(params.otherMaintenanceMargin, 'otherMaintenanceMargin', 0n)
      : 0n,
    marginTable: params.marginTable,
  });
  return {
    position: { side, size: formatDecimal(abs(q1)), entryPrice: formatDecimal(entry) },
    liquidationPrice: formatOrNull(x),
  };
}

function signed(side: Side, size: Fixed): Fixed {
  return BigInt(parseSide(side)) * size;
}
