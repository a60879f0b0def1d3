import { InvalidPayloadError, UnknownMarginTableError } from '../errors.js';
import type { DecimalString } from '../internal/args.js';
import {
  div,
  divRound,
  type Fixed,
  format18,
  formatOrNull,
  isDecimalString,
  lastMantissa,
  lastScale,
  parseDecimal,
  pointAt,
  pow10,
  WAD,
} from '../internal/decimal.js';
import type { MarginMode } from '../margin/estimatePostTradeLiquidationPrice.js';
import type { liquidationDistance } from '../margin/liquidationDistance.js';
import { type Side, solveFromBase } from '../margin/liquidationPrice.js';
import {
  type HyperliquidMarginTables,
  hyperliquidMarginTable,
  type MarginTable,
  type MarginTier,
  maintenanceMarginFixed,
  marginTableFromHyperliquid,
  tierIndexForNotional,
} from '../margin/marginTable.js';
import {
  arr,
  child,
  dec,
  decAt,
  fail,
  isObject,
  type Node,
  num,
  obj,
  read,
  str,
} from './payload.js';

/** Risk figures of one position, computed from a `clearinghouseState` and the dex's `meta`. */
export type HyperliquidPositionRisk = {
  coin: string;
  /** `leverage.type`. */
  marginMode: MarginMode;
  /** From the sign of `szi`. */
  side: Side;
  /** Size magnitude `|szi|` (base units). */
  size: DecimalString;
  /** `positionValue / |szi|` (the exchange's mark at the snapshot), half-even at 18 dp. */
  markPrice: DecimalString;
  /** Maintenance margin at mark (quote currency): `positionValue·mmr_k − deduction_k` of the tier of `positionValue`. */
  maintenanceMargin: DecimalString;
  /** Computed liquidation price, `null` when none exists (≤ 0, or size 0). */
  liquidationPrice: DecimalString | null;
  /** `liquidationPx` as reported by the exchange (for comparison), `null` when absent. */
  exchangeLiquidationPrice: DecimalString | null;
  /**
   * {@link liquidationDistance} of `markPrice` and `liquidationPrice`: `|mark − liq| / mark` as `fraction` and
   * `percent` (half-even, 18 dp); its `sigmas` and `isSafeDuringHalt` are `null` here (call
   * `liquidationDistance` with a volatility for σ). `null` without a liquidation price.
   */
  distance: ReturnType<typeof liquidationDistance>;
};

/** Every position's {@link HyperliquidPositionRisk} plus the account's cross maintenance margin. */
export type HyperliquidAccountRisk = {
  /**
   * Σ maintenance margin of cross positions (quote currency), computed from the margin tables; compare it
   * with the exchange's `crossMaintenanceMarginUsed` (which is truncated to 6 dp).
   */
  crossMaintenanceMargin: DecimalString;
  /** In `assetPositions` order. */
  positions: HyperliquidPositionRisk[];
};

/**
 * Computes every position's liquidation price, maintenance margin and distance straight from exchange JSON:
 * a Hyperliquid `clearinghouseState` response and the same dex's `meta` response (or the whole
 * `metaAndAssetCtxs` response; its first element is used).
 *
 * Margin table of a coin, from its `meta.universe` entry: `marginTableId` looked up in `meta.marginTables`;
 * an id missing there means one tier at that leverage when it is an integer < 50 and is a payload error
 * otherwise. An entry without `marginTableId` (older `meta`, with or without `marginTables`) means one tier
 * at its `maxLeverage`. A coin missing from `meta` — or every coin when `meta` is `null`/omitted (not
 * fetched yet) — uses one tier at the position's own `maxLeverage`.
 *
 * Cross positions share `crossMarginSummary.accountValue`; the other cross positions' maintenance is
 * held at their marks. Isolated positions use their own `marginUsed`. Follows
 * hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations (research hyperliquid.md §3.3).
 * For the cross margin ratio and the backstop threshold pass `crossMaintenanceMargin` and
 * `crossMarginSummary.accountValue` to `crossMarginRatio` / `hyperliquidBackstop`.
 *
 * Standard accounts only (`userAbstraction` `default`/`disabled`): under `unifiedAccount` and
 * `portfolioMargin` the collateral lives in `spotClearinghouseState` and this dex's `accountValue` is not
 * it — use {@link analyzeHyperliquidAccount}, which takes the mode, every dex and the spot state.
 *
 * @throws {InvalidPayloadError} at `abstraction` for a unified/portfolio-margin account (use
 * {@link analyzeHyperliquidAccount}), or naming the JSON path from the parameter (e.g.
 * `clearinghouseState.assetPositions[0].position.szi`, `meta.universe[3].marginTableId`, `meta[0]…` for a
 * `metaAndAssetCtxs` pair) when a field the computation needs is missing or malformed, when a
 * `marginTableId` ≥ 50 (or not an integer) is missing from `marginTables`, or when the listed margin table
 * it names cannot be built (malformed, empty, tiers out of order). These margin-table errors carry the
 * path of the `marginTableId` and the table builder's message, e.g.
 * `meta.universe[0].marginTableId id must be in marginTables or an integer < 50, got 56` or
 * `meta.universe[0].marginTableId marginTiers[1].lowerBound must be a decimal string, got "1e8"`.
 * @example
 * const risk = analyzeClearinghouseState({ clearinghouseState: stateJson, meta: metaJson });
 * risk.positions[0]?.liquidationPrice // e.g. '2866.269380…' (docs isolated ETH example)
 */
export function analyzeClearinghouseState(params: {
  /** The `clearinghouseState` response body (parsed JSON). */
  clearinghouseState: unknown;
  /** The same dex's `meta` or `metaAndAssetCtxs` response body; `null`/omitted → `maxLeverage` fallback. */
  meta?: unknown;
  /**
   * The `userAbstraction` answer, when known: `unifiedAccount` / `portfolioMargin` throw (their collateral
   * is in spot — use {@link analyzeHyperliquidAccount}).
   */
  abstraction?: unknown;
}): HyperliquidAccountRisk {
  const root = { v: params, p: '' };
  if (params.abstraction === 'unifiedAccount' || params.abstraction === 'portfolioMargin')
    fail('abstraction', 'standard (use analyzeHyperliquidAccount)', params.abstraction);
  const state = obj(root, 'clearinghouseState');
  const positions = readPositions(state, metaTables(root));
  let crossMm = 0n; // WAD²
  for (const p of positions) if (p.cross) crossMm += p.mmW;
  // Cross collateral beside the other positions' maintenance, V − (M − m), as (V − M) + m (WAD²).
  const free = dec(obj(state, 'crossMarginSummary'), 'accountValue') * WAD - crossMm;
  return {
    crossMaintenanceMargin: format18(crossMm / WAD),
    positions: positions.map((p) => {
      const out = blankRisk();
      positionRisk(p, p.cross ? free + p.mmW : p.marginUsed * WAD, out);
      return out;
    }),
  };
}

/** One position of a `clearinghouseState`, parsed once (WAD). */
export type ParsedPosition = {
  coin: string;
  cross: boolean;
  /** Signed size, and as sent. */
  szi: Fixed;
  sziRaw: string;
  /** `positionValue` (|szi|·mark). */
  value: Fixed;
  table: MarginTable;
  /** Maintenance at mark from the table, ·WAD (WAD², as the solver adds it to collateral), and formatted. */
  mmW: bigint;
  mmText: string;
  /** `marginUsed` (isolated: the position's own collateral incl. its uPnL). */
  marginUsed: Fixed;
  /** `liquidationPx` as sent (a checked decimal string), `null` when absent. */
  exchangeRaw: string | null;
};

/** Parses `state.assetPositions` with each coin's margin table (`tableOf`, else the position's `maxLeverage`). */
export function readPositions(
  state: Node,
  tableOf: (coin: string) => MarginTable | undefined,
): ParsedPosition[] {
  const list = arr(state, 'assetPositions');
  return list.v.map((_, i) => {
    // Named loads (monomorphic) with the generic readers only as the failure path, which names the field.
    const e = list.v[i];
    const position =
      isObject(e) && isObject(e.position)
        ? child(e.position, child(e, list, i), 'position')
        : obj(obj(list, i), 'position');
    const v = position.v;
    const coin = typeof v.coin === 'string' ? v.coin : str(position, 'coin');
    const type = (v.leverage as Node['v'] | null)?.type;
    const cross =
      (type === 'cross' || type === 'isolated') && !Array.isArray(v.leverage)
        ? type === 'cross'
        : read<MarginMode>(
            obj(position, 'leverage'),
            'type',
            (t) => t === 'cross' || t === 'isolated',
            '"cross" or "isolated"',
          ).v === 'cross';
    const value = decAt(v.positionValue, position, 'positionValue');
    const digits = lastMantissa;
    const decimals = lastScale;
    if (value < 0n) fail(`${position.p}.positionValue`, '≥ 0', v.positionValue);
    const table = tableOf(coin) ?? oneTier(num(position, 'maxLeverage'));
    const tier = table.tiers[tierIndexForNotional(table, value)]!;
    // A tier without deduction whose rate is m·10^e with few digits (1/(2·maxLeverage) of most assets):
    // maintenance = positionValue·rate is the exact float64 product digits·m, printed from its digits.
    const rate = tier.deduction || digits < 0 ? null : rateDigits(tier);
    const product = rate === null || rate[1] < decimals ? -1 : digits * rate[0];
    const exact = product >= 0 && product <= Number.MAX_SAFE_INTEGER;
    const mm = exact ? 0n : maintenanceMarginFixed(value, table);
    return {
      coin,
      cross,
      szi: decAt(v.szi, position, 'szi'),
      sziRaw: v.szi as string,
      value,
      table,
      mmW: exact ? BigInt(product) * pow10(18 + rate![1] - decimals) : mm * WAD,
      mmText: exact ? pointAt(`${product}`, 18 - rate![1] + decimals) : format18(mm),
      marginUsed: cross ? 0n : decAt(v.marginUsed, position, 'marginUsed'),
      // Checked now, parsed only where needed (a solved position's agreement, a non-canonical echo).
      exchangeRaw:
        v.liquidationPx == null
          ? null
          : isDecimalString(v.liquidationPx)
            ? v.liquidationPx
            : fail(`${position.p}.liquidationPx`, 'a decimal string', v.liquidationPx),
    };
  });
}

/**
 * Fills `out` with the {@link HyperliquidPositionRisk} of a parsed position whose equity at mark, less the
 * maintenance of the other positions sharing it (held at their marks), is `collateral`·WAD (the standard
 * solver, tiers included), and returns the liquidation price unformatted. The distance is {@link liquidationDistance}'s,
 * computed on the values. `out` comes from {@link blankRisk} (every key already in output order): filling it
 * changes no object shape, one allocation per position on the hot path. `solve = false` leaves the price
 * and distance `null` without solving (a portfolio-margin cross position).
 */
export function positionRisk(
  p: ParsedPosition,
  collateral: bigint,
  out: HyperliquidPositionRisk,
  solve = true,
): Fixed | null {
  const short = p.szi < 0n;
  const size = short ? -p.szi : p.szi;
  // positionValue is |szi|·mark as the exchange computed it; the mark is recovered from it.
  const mark = size && div(p.value, size);
  const liq = solve
    ? short
      ? solveFromBase(-1, size, collateral + size * mark, p.table)
      : solveFromBase(1, size, collateral - size * mark, p.table)
    : null;
  // Only a solved price has a distance (no division or format for the others).
  let distance: HyperliquidPositionRisk['distance'] = null;
  if (liq !== null && mark) {
    const gap = mark > liq ? mark - liq : liq - mark;
    // One toString for both: the percent is the fraction's digits with the point two places right.
    const digits = divRound(gap * WAD, mark, 'halfEven').toString();
    distance = {
      fraction: pointAt(digits, 18),
      percent: pointAt(digits, 16),
      sigmas: null,
      isSafeDuringHalt: null,
    };
  }
  out.coin = p.coin;
  out.marginMode = p.cross ? 'cross' : 'isolated';
  out.side = short ? 'short' : 'long';
  out.size = canonical(short ? p.sziRaw.slice(1) : p.sziRaw);
  out.markPrice = format18(mark);
  out.maintenanceMargin = p.mmText;
  out.liquidationPrice = formatOrNull(liq);
  out.exchangeLiquidationPrice = p.exchangeRaw === null ? null : canonical(p.exchangeRaw);
  out.distance = distance;
  return liq;
}

/** A {@link HyperliquidPositionRisk} with every key in output order, for {@link positionRisk} to fill. */
export const blankRisk = (): HyperliquidPositionRisk => ({
  coin: '',
  marginMode: 'cross',
  side: 'long',
  size: '',
  markPrice: '',
  maintenanceMargin: '',
  liquidationPrice: null,
  exchangeLiquidationPrice: null,
  distance: null,
});

/**
 * `raw` when it already is in canonical form (no stray zeros, ≤ 18 dp, not `-0`), else parsed and formatted.
 * `raw` parsed as a decimal string already, so only its zeros, point and lengths are checked (same verdicts
 * as `/^(-(?!0$))?(0|[1-9]\d*)(\.\d{0,17}[1-9])?$/`, without a regex call twice per position).
 */
function canonical(raw: string): string {
  const neg = raw.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const dot = raw.indexOf('.');
  const end = dot < 0 ? raw.length : dot; // integer digits are [neg, end)
  const frac = dot < 0 ? 0 : raw.length - dot - 1;
  const ok =
    end > neg &&
    (end - neg === 1
      ? !(neg && dot < 0 && raw.charCodeAt(neg) === 48)
      : raw.charCodeAt(neg) !== 48) &&
    (dot < 0 || (frac > 0 && frac <= 18 && raw.charCodeAt(raw.length - 1) !== 48));
  return ok ? raw : format18(parseDecimal(raw));
}

/** A tier's rate as `[m, e]`, rate·10¹⁸ = m·10^e with m < 10⁶, else `null`; once per tier. */
function rateDigits(tier: MarginTier): readonly [number, number] | null {
  let hit = rates.get(tier);
  if (hit === undefined) {
    let m = tier.maintenanceMarginRate;
    let e = 0;
    while (m > 0n && m % 10n === 0n) {
      m /= 10n;
      e++;
    }
    hit = m > 0n && m < 1_000_000n ? [Number(m), e] : null;
    rates.set(tier, hit);
  }
  return hit;
}

const rates = new WeakMap<MarginTier, readonly [number, number] | null>();

/** One tier at `maxLeverage` (mmr `1/(2·maxLeverage)`). */
const oneTier = (maxLeverage: number) =>
  marginTableFromHyperliquid({ marginTiers: [{ lowerBound: '0', maxLeverage }] });

/** `node.meta` as a `meta` object (the first element of a `metaAndAssetCtxs` pair); `null` when absent. */
export const metaNode = (node: Node): Node | null =>
  node.v.meta == null
    ? null
    : Array.isArray(node.v.meta)
      ? obj(arr(node, 'meta'), 0)
      : obj(node, 'meta');

/**
 * Reads `meta` (a `meta` response or a `metaAndAssetCtxs` pair) into a coin → margin table lookup. A
 * `marginTableId` goes through {@link hyperliquidMarginTable} (listed table, else one tier when < 50).
 */
export function metaTables(
  root: Node,
  meta = metaNode(root),
): (coin: string) => MarginTable | undefined {
  if (meta === null) return () => undefined;
  // Read once per meta object (and path): a poll passes the same, rarely refetched, meta every time.
  const hit = cache.get(meta.v);
  if (hit?.p === meta.p) return hit.f;
  const tables = new Map<string, MarginTable | undefined>();
  const read = tableReader(meta);
  const f = (coin: string) => {
    let t = tables.get(coin);
    // One lookup for a read coin; `has` only tells a coin missing from meta (undefined) from an unread one.
    if (t === undefined && !tables.has(coin)) {
      t = read(coin);
      tables.set(coin, t);
    }
    return t;
  };
  cache.set(meta.v, { p: meta.p, f });
  return f;
}

const cache = new WeakMap<object, { p: string; f: (coin: string) => MarginTable | undefined }>();

function tableReader(meta: Node): (coin: string) => MarginTable | undefined {
  const universe = arr(meta, 'universe');
  const byCoin = new Map(universe.v.map((_, i) => [str(obj(universe, i), 'name'), i]));
  return (coin) => {
    const i = byCoin.get(coin);
    if (i === undefined) return undefined;
    const asset = obj(universe, i);
    if (asset.v.marginTableId === undefined) return oneTier(num(asset, 'maxLeverage'));
    const id = num(asset, 'marginTableId');
    const marginTables = meta.v.marginTables === undefined ? [] : arr(meta, 'marginTables').v;
    const path = `${asset.p}.marginTableId`;
    try {
      // Checks the listed table's tiers (decimal `lowerBound`, leverage, order) as it builds it.
      return hyperliquidMarginTable({ id, marginTables: marginTables as HyperliquidMarginTables });
    } catch (error) {
      if (error instanceof UnknownMarginTableError)
        fail(path, 'in marginTables or an integer < 50', id);
      // A listed table that is malformed, empty or unordered: the builder's reason, under the id.
      throw new InvalidPayloadError(path, `${id} names a bad table: ${(error as Error).message}`);
    }
  };
}
