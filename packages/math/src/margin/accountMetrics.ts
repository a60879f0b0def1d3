import { type DecimalString, parsePositive, parseSide, parseSize } from '../internal/args.js';
import { divRound, formatDecimal, parseDecimal, WAD } from '../internal/decimal.js';
import type { Side } from './liquidationPrice.js';

/**
 * Unrealized PnL `side × (mark − entry) × size` (quote currency). Exact.
 *
 * @throws `Math.NegativeSizeError` when `size` < 0; `Math.InvalidParameterError` when `side` is not
 * `'long'`/`'short'`.
 * @example unrealizedPnl({ side: 'short', size: '2', entryPrice: '100', markPrice: '90' }) // '20'
 */
export function unrealizedPnl(params: {
  side: Side;
  size: DecimalString;
  entryPrice: DecimalString;
  markPrice: DecimalString;
}): DecimalString {
  const size = parseSize(params.size);
  const diff =
    parseDecimal(params.markPrice, 'markPrice') - parseDecimal(params.entryPrice, 'entryPrice');
  const pnl = divRound(size * diff, WAD, 'halfEven');
  return formatDecimal(BigInt(parseSide(params.side)) * pnl);
}

/**
 * Account value: cash balance plus every position's value at mark, `balance + Σ signedSize × mark`
 * (Hyperliquid: `accountValue = totalRawUsd + Σ szi·markPx`). Exact.
 *
 * @example accountValue({ balance: '-95.059824', positions: [{ signedSize: '0.0335', markPrice: '2985.9' }] }) // '4.967826'
 */
export function accountValue(params: {
  balance: DecimalString;
  positions: readonly { signedSize: DecimalString; markPrice: DecimalString }[];
}): DecimalString {
  let total = parseDecimal(params.balance, 'balance') * WAD;
  for (const [i, p] of params.positions.entries()) {
    total +=
      parseDecimal(p.signedSize, `positions[${i}].signedSize`) *
      parseDecimal(p.markPrice, `positions[${i}].markPrice`);
  }
  return formatDecimal(divRound(total, WAD, 'halfEven'));
}

/**
 * Hyperliquid cross margin ratio `crossMaintenanceMarginUsed / crossAccountValue`: ≥ 1 means market
 * liquidation, > 1.5 backstop territory. Half-even at 18 decimals.
 *
 * @returns the ratio, or `null` when the account value is ≤ 0 (no meaningful ratio; already liquidatable).
 * @example crossMarginRatio({ maintenanceMargin: '0.595779', accountValue: '179.007426' }) // '0.003328…'
 */
export function crossMarginRatio(params: {
  maintenanceMargin: DecimalString;
  accountValue: DecimalString;
}): DecimalString | null {
  const mm = parseDecimal(params.maintenanceMargin, 'maintenanceMargin');
  const av = parseDecimal(params.accountValue, 'accountValue');
  if (av <= 0n) return null;
  return formatDecimal(divRound(mm * WAD, av, 'halfEven'));
}

/**
 * Hyperliquid backstop threshold: the liquidator vault takes over once account value falls below 2/3 of
 * maintenance margin. Returns the threshold (rounded up, conservative) and whether the account is below it.
 *
 * @example hyperliquidBackstop({ maintenanceMargin: '300', accountValue: '199' }) // { threshold: '200', isBelowThreshold: true }
 */
export function hyperliquidBackstop(params: {
  maintenanceMargin: DecimalString;
  accountValue: DecimalString;
}): { threshold: DecimalString; isBelowThreshold: boolean } {
  const mm = parseDecimal(params.maintenanceMargin, 'maintenanceMargin');
  const av = parseDecimal(params.accountValue, 'accountValue');
  return {
    threshold: formatDecimal(divRound(mm * 2n, 3n, 'ceil')),
    isBelowThreshold: av * 3n < mm * 2n,
  };
}

/**
 * Hyperliquid ADL ranking key `(mark / entry) × (notional / accountValue)` — higher is deleveraged first.
 *
 * @returns the key, or `null` when account value ≤ 0.
 * @example adlRank({ markPrice: '110', entryPrice: '100', notional: '11000', accountValue: '1000' }) // '12.1'
 */
export function adlRank(params: {
  markPrice: DecimalString;
  entryPrice: DecimalString;
  notional: DecimalString;
  accountValue: DecimalString;
}): DecimalString | null {
  const mark = parseDecimal(params.markPrice, 'markPrice');
  const entry = parsePositive(params.entryPrice, 'entryPrice');
  const notional = parseDecimal(params.notional, 'notional');
  const av = parseDecimal(params.accountValue, 'accountValue');
  if (av <= 0n) return null;
  return formatDecimal(divRound(mark * notional * WAD, entry * av, 'halfEven'));
}
