import { InvalidPayloadError } from '../errors.js';
import type { DecimalString } from '../internal/args.js';
import { divRound, type Fixed, formatDecimal, formatOrNull, WAD } from '../internal/decimal.js';
import type { MarginMode } from '../margin/estimatePostTradeLiquidationPrice.js';
import { type Side, solveLiquidationPrice } from '../margin/liquidationPrice.js';
import {
  type MarginTable,
  maintenanceMarginFixed,
  marginTableFromHyperliquid,
  tierIndexForNotional,
} from '../margin/marginTable.js';
import { arr, dec, num, obj, optionalDec, str } from './payload.js';

/** Risk figures of one position, computed from a `clearinghouseState` and the dex's `meta`. */
export type HyperliquidPositionRisk = {
  coin: string;
  marginMode: MarginMode;
  side: Side;
  /** Size magnitude (base units). */
  size: DecimalString;
  /** `szi` as sent (negative for shorts). */
  signedSize: DecimalString;
  entryPrice: DecimalString;
  /** `positionValue / |szi|` (the exchange's mark at the snapshot), half-even at 18 dp. */
  markPrice: DecimalString;
  positionValue: DecimalString;
  /** Leverage setting (`leverage.value`). */
  leverage: number;
  /** Margin table used; `null` when the coin is missing from `meta` and `maxLeverage` was used instead. */
  marginTableId: number | null;
  /** Maintenance margin at mark (tier of `positionValue`). */
  maintenanceMargin: DecimalString;
  /** Maintenance margin rate of the tier at mark. */
  maintenanceMarginRate: DecimalString;
  /** Collateral backing the position: cross account value, or the isolated `marginUsed`. */
  collateral: DecimalString;
  /** Computed liquidation price, `null` when none exists (≤ 0). */
  liquidationPrice: DecimalString | null;
  /** `liquidationPx` as reported by the exchange (for comparison), `null` when absent. */
  exchangeLiquidationPrice: DecimalString | null;
  /** `|mark − liq| / mark`, `null` without a liquidation price. */
  distance: { fraction: DecimalString; percent: DecimalString } | null;
};

/** Account-level figures plus every position's {@link HyperliquidPositionRisk}. */
export type HyperliquidAccountRisk = {
  /** `marginSummary.accountValue` (cross + isolated). */
  accountValue: DecimalString;
  /** `crossMarginSummary.accountValue`: the collateral of cross positions. */
  crossAccountValue: DecimalString;
  /** Σ maintenance margin of cross positions, computed from the margin tables. */
  crossMaintenanceMargin: DecimalString;
  /** `crossMaintenanceMarginUsed` as reported, `null` when absent. */
  exchangeCrossMaintenanceMargin: DecimalString | null;
  /** `crossMaintenanceMargin / crossAccountValue`; ≥ 1 liquidatable; `null` when account value ≤ 0. */
  crossMarginRatio: DecimalString | null;
  /** Below 2/3 of cross maintenance margin: backstop liquidation by the liquidator vault. */
  isBelowBackstopThreshold: boolean;
  /** Snapshot time (ms) from the payload, `null` when absent. */
  timeMs: number | null;
  positions: HyperliquidPositionRisk[];
};

/**
 * Computes every position's liquidation price, maintenance margin and distance straight from exchange JSON:
 * a Hyperliquid `clearinghouseState` response and the same dex's `meta` response (or the whole
 * `metaAndAssetCtxs` response; its first element is used). Margin tables come from
 * `meta.universe[].marginTableId` and `meta.marginTables` (ids < 50: one tier at that leverage); a coin
 * missing from `meta` — or every coin when `meta` is `null`/omitted (not fetched yet) — falls back to a
 * single tier at the position's `maxLeverage` (`marginTableId: null` in the result).
 *
 * Cross positions share `crossMarginSummary.accountValue`; the other cross positions' maintenance is
 * held at their marks. Isolated positions use their own `marginUsed`. Follows
 * hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations (research hyperliquid.md §3.3).
 *
 * Not for unified/portfolio-margin accounts: their liquidation depends on spot balances.
 *
 * @throws {InvalidPayloadError} naming the JSON path when a required field is missing or malformed.
 * @example
 * const risk = analyzeClearinghouseState({ clearinghouseState: stateJson, meta: metaJson });
 * risk.positions[0]?.liquidationPrice // e.g. '2866.269380…'
 */
export function analyzeClearinghouseState(params: {
  /** The `clearinghouseState` response body (parsed JSON). */
  clearinghouseState: unknown;
  /** The same dex's `meta` or `metaAndAssetCtxs` response body; `null`/omitted → `maxLeverage` fallback. */
  meta?: unknown;
}): HyperliquidAccountRisk {
  const state = obj(params.clearinghouseState, 'clearinghouseState');
  const tables = readMeta(params.meta);
  const cross = obj(state.crossMarginSummary, 'crossMarginSummary');
  const summary = obj(state.marginSummary, 'marginSummary');
  const crossAccountValue = dec(cross.accountValue, 'crossMarginSummary.accountValue');
  const accountValue = dec(summary.accountValue, 'marginSummary.accountValue');

  const parsed = arr(state.assetPositions, 'assetPositions').map((entry, i) =>
    readPosition(entry, `assetPositions[${i}].position`, tables),
  );
  let crossMm = 0n;
  for (const p of parsed) if (p.mode === 'cross') crossMm += p.mm;

  const positions = parsed.map((p): HyperliquidPositionRisk => {
    const isCross = p.mode === 'cross';
    const collateral = isCross ? crossAccountValue : p.marginUsed;
    const liq =
      p.size === 0n
        ? null
        : solveLiquidationPrice({
            side: p.side === 'long' ? 1 : -1,
            size: p.size,
            price: p.mark,
            collateral,
            otherMaintenanceMargin: isCross ? crossMm - p.mm : 0n,
            marginTable: p.table,
          });
    return {
      coin: p.coin,
      marginMode: p.mode,
      side: p.side,
      size: formatDecimal(p.size),
      signedSize: p.szi,
      entryPrice: p.entryPx,
      markPrice: formatDecimal(p.mark),
      positionValue: formatDecimal(p.positionValue),
      leverage: p.leverage,
      marginTableId: p.tableId,
      maintenanceMargin: formatDecimal(p.mm),
      maintenanceMarginRate: formatDecimal(
        p.table.tiers[tierIndexForNotional(p.table, p.positionValue)]!.maintenanceMarginRate,
      ),
      collateral: formatDecimal(collateral),
      liquidationPrice: formatOrNull(liq),
      exchangeLiquidationPrice: p.exchangeLiq,
      distance: liq === null || p.mark === 0n ? null : distance(p.mark, liq),
    };
  });
  const reported = state.crossMaintenanceMarginUsed;
  return {
    accountValue: formatDecimal(accountValue),
    crossAccountValue: formatDecimal(crossAccountValue),
    crossMaintenanceMargin: formatDecimal(crossMm),
    exchangeCrossMaintenanceMargin:
      reported === undefined ? null : formatDecimal(dec(reported, 'crossMaintenanceMarginUsed')),
    crossMarginRatio:
      crossAccountValue <= 0n
        ? null
        : formatDecimal(divRound(crossMm * WAD, crossAccountValue, 'halfEven')),
    isBelowBackstopThreshold: crossAccountValue * 3n < crossMm * 2n,
    timeMs: typeof state.time === 'number' ? state.time : null,
    positions,
  };
}

function distance(mark: Fixed, liq: Fixed) {
  const diff = mark > liq ? mark - liq : liq - mark;
  const fraction = divRound(diff * WAD, mark, 'halfEven');
  return { fraction: formatDecimal(fraction), percent: formatDecimal(fraction * 100n) };
}

type MetaTables = {
  /** coin → marginTableId */
  byCoin: Map<string, number>;
  /** marginTableId → parsed table (lazily filled) */
  tables: Map<number, MarginTable>;
  raw: Map<number, unknown>;
};

/** Reads `meta` (or a `metaAndAssetCtxs` tuple) into coin → table lookups. */
export function readMeta(meta: unknown): MetaTables {
  if (meta === null || meta === undefined)
    return { byCoin: new Map(), tables: new Map(), raw: new Map() };
  const m = obj(Array.isArray(meta) ? meta[0] : meta, 'meta');
  const byCoin = new Map<string, number>();
  for (const [i, u] of arr(m.universe, 'meta.universe').entries()) {
    const asset = obj(u, `meta.universe[${i}]`);
    const name = str(asset.name, `meta.universe[${i}].name`);
    const id =
      asset.marginTableId === undefined
        ? num(asset.maxLeverage, `meta.universe[${i}].maxLeverage`)
        : num(asset.marginTableId, `meta.universe[${i}].marginTableId`);
    byCoin.set(name, id);
  }
  const raw = new Map<number, unknown>();
  if (m.marginTables !== undefined) {
    for (const [i, pair] of arr(m.marginTables, 'meta.marginTables').entries()) {
      const [id, table] = arr(pair, `meta.marginTables[${i}]`);
      raw.set(num(id, `meta.marginTables[${i}][0]`), table);
    }
  }
  return { byCoin, tables: new Map(), raw };
}

/** The parsed margin table of `id` (cached per `readMeta` result). */
export function tableForId(tables: MetaTables, id: number, path: string): MarginTable {
  const cached = tables.tables.get(id);
  if (cached !== undefined) return cached;
  let table: MarginTable;
  const raw = tables.raw.get(id);
  if (raw !== undefined) {
    const at = `meta.marginTables[id=${id}][1]`;
    const tiers = arr(obj(raw, at).marginTiers, `${at}.marginTiers`).map((tier, j) => {
      const o = obj(tier, `${at}.marginTiers[${j}]`);
      return {
        lowerBound: str(o.lowerBound, `${at}.marginTiers[${j}].lowerBound`),
        maxLeverage: num(o.maxLeverage, `${at}.marginTiers[${j}].maxLeverage`),
      };
    });
    table = marginTableFromHyperliquid({ marginTiers: tiers });
  } else if (Number.isInteger(id) && id > 0 && id < 50) {
    table = marginTableFromHyperliquid({ marginTiers: [{ lowerBound: '0', maxLeverage: id }] });
  } else {
    throw new InvalidPayloadError(
      path,
      `refers to margin table ${id}, which meta.marginTables lacks`,
    );
  }
  tables.tables.set(id, table);
  return table;
}

function readPosition(entry: unknown, path: string, tables: MetaTables) {
  const position = obj(obj(entry, path.replace(/\.position$/, '')).position, path);
  const coin = str(position.coin, `${path}.coin`);
  const sziRaw = str(position.szi, `${path}.szi`);
  const szi = dec(sziRaw, `${path}.szi`);
  const leverage = obj(position.leverage, `${path}.leverage`);
  const type = str(leverage.type, `${path}.leverage.type`);
  if (type !== 'cross' && type !== 'isolated')
    throw new InvalidPayloadError(
      `${path}.leverage.type`,
      `must be "cross" or "isolated", got "${type}"`,
    );
  const positionValue = dec(position.positionValue, `${path}.positionValue`);
  const marginUsed = dec(position.marginUsed, `${path}.marginUsed`);
  const size = szi < 0n ? -szi : szi;
  let tableId: number | null = tables.byCoin.get(coin) ?? null;
  let table: MarginTable;
  if (tableId !== null) {
    table = tableForId(tables, tableId, `meta.universe[name=${coin}].marginTableId`);
  } else {
    const maxLeverage = num(position.maxLeverage, `${path}.maxLeverage`);
    table = marginTableFromHyperliquid({ marginTiers: [{ lowerBound: '0', maxLeverage }] });
    tableId = null;
  }
  return {
    coin,
    szi: sziRaw,
    size,
    side: (szi < 0n ? 'short' : 'long') as Side,
    mode: type as MarginMode,
    leverage: num(leverage.value, `${path}.leverage.value`),
    entryPx: formatDecimal(dec(position.entryPx, `${path}.entryPx`)),
    positionValue,
    // positionValue is |szi|·mark as the exchange computed it; the mark is recovered from it.
    mark: size === 0n ? 0n : divRound(positionValue * WAD, size, 'halfEven'),
    marginUsed,
    table,
    tableId,
    mm: maintenanceMarginFixed(positionValue, table),
    exchangeLiq: optionalDec(position.liquidationPx, `${path}.liquidationPx`),
  };
}
