import { type DecimalString, parseNonNegative } from '../internal/args.js';
import { formatDecimal, parseDecimal } from '../internal/decimal.js';

/** Which requirement binds an Aevo cross-margin account. */
export type AevoMarginBinding = 'none' | 'initialMargin' | 'maintenanceMargin';

/**
 * Aevo cross-margin health (Margin Framework page, founding note 2):
 * open allowed iff `AB + UP − OO − IM − MM > 0`; keep (no liquidation) iff `AB + UP − OO − MM > 0`.
 * Exact.
 *
 * @returns both buffers, the two verdicts and which requirement binds: `'maintenanceMargin'` when the
 * account is liquidatable, `'initialMargin'` when it may hold but not open, `'none'` otherwise.
 * @example
 * aevoMarginHealth({ accountBalance: '1000', unrealizedPnl: '-50', openOrders: '100',
 *   initialMargin: '250', maintenanceMargin: '300' })
 * // { openBuffer: '300', maintenanceBuffer: '550', canOpen: true, isHealthy: true, binding: 'none' }
 */
export function aevoMarginHealth(params: {
  /** AB: account balance (collateral value, USDC). */
  accountBalance: DecimalString;
  /** UP: unrealized PnL of open positions. */
  unrealizedPnl: DecimalString;
  /** OO: value of open orders. */
  openOrders: DecimalString;
  /** IM: initial margin of the new order/position being opened (`'0'` for a routine check). */
  initialMargin: DecimalString;
  /** MM: maintenance margin of existing positions. */
  maintenanceMargin: DecimalString;
}): {
  openBuffer: DecimalString;
  maintenanceBuffer: DecimalString;
  canOpen: boolean;
  isHealthy: boolean;
  binding: AevoMarginBinding;
} {
  const ab = parseDecimal(params.accountBalance, 'accountBalance');
  const up = parseDecimal(params.unrealizedPnl, 'unrealizedPnl');
  const oo = parseNonNegative(params.openOrders, 'openOrders');
  const im = parseNonNegative(params.initialMargin, 'initialMargin');
  const mm = parseNonNegative(params.maintenanceMargin, 'maintenanceMargin');
  const maintenanceBuffer = ab + up - oo - mm;
  const openBuffer = maintenanceBuffer - im;
  const isHealthy = maintenanceBuffer > 0n;
  const canOpen = openBuffer > 0n;
  return {
    openBuffer: formatDecimal(openBuffer),
    maintenanceBuffer: formatDecimal(maintenanceBuffer),
    canOpen,
    isHealthy,
    binding: !isHealthy ? 'maintenanceMargin' : !canOpen ? 'initialMargin' : 'none',
  };
}
