import { EmptyTierTableError, UnknownMarginTableError, UnsortedTiersError } from '../errors.js';
import { type DecimalString, fail, parseLeverage } from '../internal/args.js';
import {
  divRound,
  type Fixed,
  format18,
  fromNumber,
  parseDecimal,
  WAD,
} from '../internal/decimal.js';

/** One pre-parsed tier of a {@link MarginTable}. All values are WAD fixed-point (see README). */
export type MarginTier = {
  /** Notional (quote currency, e.g. USDC) from which this tier applies, inclusive. */
  readonly lowerBound: Fixed;
  /** Maintenance margin rate as a fraction (`0.0125` = 1.25 %). */
  readonly maintenanceMarginRate: Fixed;
  /** Maintenance deduction (Binance "cum", HL "maintenance_deduction") in quote currency. */
  readonly deduction: Fixed;
  /** Maximum (initial) leverage of the tier, when known. */
  readonly maxLeverage: Fixed | null;
  /**
   * Precomputed for the liquidation solver: `lowerBound·mmr − deduction·WAD`, i.e. the maintenance margin
   * at the tier's lower bound at WAD² scale (exact).
   */
  readonly maintenanceAtLowerBoundWad2: bigint;
};

/**
 * A validated, pre-parsed tiered margin table. Build it once per market with
 * {@link createMarginTable}, {@link marginTableFromHyperliquid}, {@link hyperliquidMarginTable} or
 * {@link marginTableFromBinanceBrackets}, then reuse it: the liquidation solver never re-parses it.
 */
export type MarginTable = {
  /** Tiers sorted by strictly increasing `lowerBound`, the first at 0. */
  readonly tiers: readonly MarginTier[];
};

/** A tier as decimal strings, for {@link createMarginTable}. */
export type MarginTierInput = {
  /** Notional at which the tier starts (first tier: `'0'`). */
  readonly lowerBound: DecimalString;
  /** Maintenance margin rate as a fraction, `0 < rate < 1`. */
  readonly maintenanceMarginRate: DecimalString;
  /** Maximum leverage of the tier (optional, informational). */
  readonly maxLeverage?: number | DecimalString;
};

/**
 * Builds a {@link MarginTable} from tiers given as decimal strings and derives the deductions with the
 * continuous-maintenance ladder `deduction_k = deduction_{k−1} + lowerBound_k·(mmr_k − mmr_{k−1})`
 * (Hyperliquid margin tiers; Binance's "cum" is the same recurrence).
 *
 * @throws {EmptyTierTableError} when `tiers` is empty.
 * @throws {UnsortedTiersError} when the first lower bound is not 0, lower bounds do not strictly
 * increase, or a maintenance rate decreases.
 * @throws {InvalidParameterError} when a rate is not in (0, 1).
 * @example
 * const btc = createMarginTable({ tiers: [
 *   { lowerBound: '0', maintenanceMarginRate: '0.004' },
 *   { lowerBound: '50000', maintenanceMarginRate: '0.005' },
 * ] });
 * maintenanceMargin({ notional: '100000', marginTable: btc }) // '450' (= 500 − 50)
 */
export function createMarginTable(params: { tiers: readonly MarginTierInput[] }): MarginTable {
  return buildTable(params.tiers, 'tiers', 'lowerBound', 'maintenanceMarginRate', 'maxLeverage');
}

/** A Hyperliquid margin tier exactly as `meta.marginTables[][1].marginTiers[]` sends it. */
export type HyperliquidMarginTier = {
  readonly lowerBound: DecimalString;
  readonly maxLeverage: number;
};

/**
 * Builds a {@link MarginTable} from Hyperliquid `marginTiers` (`{ lowerBound: '0.0', maxLeverage: 40 }`):
 * `mmr = 1/(2·maxLeverage)` per tier (rounded half-even to 18 decimals when not exact, e.g. 3x → 1/6).
 *
 * @throws {EmptyTierTableError} / {@link UnsortedTiersError} / `Math.InvalidLeverageError`.
 * @example
 * marginTableFromHyperliquid({ marginTiers: [
 *   { lowerBound: '0.0', maxLeverage: 40 }, { lowerBound: '150000000.0', maxLeverage: 20 },
 * ] }) // BTC "tiered 40x": mmr 1.25 % then 2.5 %, deduction 1,875,000
 */
export function marginTableFromHyperliquid(params: {
  marginTiers: readonly HyperliquidMarginTier[];
}): MarginTable {
  return buildTable(params.marginTiers, 'marginTiers', 'lowerBound', null, 'maxLeverage');
}

/** Hyperliquid `meta.marginTables`: `[id, { description, marginTiers }]` pairs. */
export type HyperliquidMarginTables = readonly (readonly [
  number,
  { readonly description?: string; readonly marginTiers: readonly HyperliquidMarginTier[] },
])[];

/**
 * The tiers of a Hyperliquid `marginTableId` as the venue lists them (decimal-string lower bounds):
 * the table of `marginTables` with that id; per the docs, ids below 50 are not listed and mean a
 * single tier whose max leverage equals the id.
 *
 * @throws {UnknownMarginTableError} when `id` is not in `marginTables` and not an integer in 1–49.
 * @example hyperliquidMarginTiers({ id: 20, marginTables: [] }) // [{ lowerBound: '0', maxLeverage: 20 }]
 */
export function hyperliquidMarginTiers(params: {
  id: number;
  marginTables: HyperliquidMarginTables;
}): readonly HyperliquidMarginTier[] {
  const { id, marginTables } = params;
  for (const [tableId, table] of marginTables) {
    if (tableId === id) return table.marginTiers;
  }
  if (Number.isInteger(id) && id > 0 && id < 50) return [{ lowerBound: '0', maxLeverage: id }];
  throw new UnknownMarginTableError('id', id);
}

/**
 * The {@link MarginTable} of a Hyperliquid `marginTableId` ({@link hyperliquidMarginTiers}).
 *
 * @throws {UnknownMarginTableError} when `id` is not in `marginTables` and not an integer in 1–49.
 * @example hyperliquidMarginTable({ id: 20, marginTables: [] }) // one tier, mmr 2.5 %
 */
export function hyperliquidMarginTable(params: {
  id: number;
  marginTables: HyperliquidMarginTables;
}): MarginTable {
  return marginTableFromHyperliquid({ marginTiers: hyperliquidMarginTiers(params) });
}

/** A Binance `GET /fapi/v1/leverageBracket` bracket (numbers or decimal strings). */
export type BinanceBracket = {
  readonly notionalFloor: number | DecimalString;
  readonly maintMarginRatio: number | DecimalString;
  readonly initialLeverage?: number;
  /**
   * The bracket's published maintenance amount ("cum", quote currency). When given it is used as the
   * tier's deduction as published instead of being rebuilt from the brackets below it, so one published
   * bracket alone reproduces the venue; the first bracket may then start above 0 (notionals below it
   * use it too).
   */
  readonly cum?: number | DecimalString;
};

/**
 * Builds a {@link MarginTable} from Binance USDⓈ-M leverage brackets. Without `cum` the deduction is
 * recomputed from the ladder (exact; compare it with the API's `cum` to detect a stale table); a bracket
 * that carries its published `cum` uses it as is (one bracket alone is then a valid table).
 *
 * @throws {EmptyTierTableError} / {@link UnsortedTiersError} / `Math.InvalidDecimalError`.
 * @example marginTableFromBinanceBrackets([
 *   { notionalFloor: 0, maintMarginRatio: 0.004, initialLeverage: 125 },
 *   { notionalFloor: 50000, maintMarginRatio: 0.005, initialLeverage: 100 },
 * ]) // deductions ("cum") 0 and 50
 * marginTableFromBinanceBrackets([{ notionalFloor: 250000, maintMarginRatio: 0.025, cum: 1300 }])
 */
export function marginTableFromBinanceBrackets(brackets: readonly BinanceBracket[]): MarginTable {
  return buildTable(
    brackets,
    'brackets',
    'notionalFloor',
    'maintMarginRatio',
    'initialLeverage',
    'cum',
  );
}

/**
 * Parses and validates tier rows (`rows[i][bound]`, `rows[i][rate]`, `rows[i][leverage]`, numbers or
 * decimal strings, errors named `${name}[i].key`) and derives the deduction ladder. Without a `rate`
 * key the rate is Hyperliquid's `1/(2·maxLeverage)`, rounded half-even.
 */
function buildTable(
  rows: readonly object[],
  name: string,
  bound: string,
  rate: string | null,
  leverage: string,
  cum?: string,
): MarginTable {
  if (rows.length === 0) throw new EmptyTierTableError(name);
  const tiers: MarginTier[] = [];
  let deduction = 0n;
  let prev: MarginTier | undefined;
  for (const [i, item] of rows.entries()) {
    const at = `${name}[${i}]`;
    const row = (item ?? {}) as Record<string, unknown>; // a null row fails on its first field
    const field = (key: string) => {
      const v = row[key];
      return typeof v === 'number'
        ? fromNumber(v, `${at}.${key}`)
        : parseDecimal(v as string, `${at}.${key}`);
    };
    const lev = row[leverage] as number | string | undefined;
    const maxLeverage =
      lev === undefined && rate ? null : parseLeverage(lev as number, `${at}.${leverage}`);
    const lowerBound = field(bound);
    const mmr = rate ? field(rate) : divRound(WAD * WAD, 2n * (maxLeverage as Fixed), 'halfEven');
    // HL: mmr = 1/(2·maxLeverage) < 1 needs a leverage above 0.5.
    if (mmr <= 0n || mmr >= WAD)
      rate
        ? fail(`${at}.${rate}`, 'a rate in (0, 1)', format18(mmr))
        : fail(`${at}.${leverage}`, '> 0.5', lev);
    const published = cum && row[cum] !== undefined ? field(cum) : undefined;
    if (published !== undefined && published < 0n) fail(`${at}.${cum}`, '≥ 0', format18(published));
    if (
      prev === undefined
        ? lowerBound !== 0n && published === undefined
        : lowerBound <= prev.lowerBound
    )
      throw new UnsortedTiersError(
        name,
        i,
        `${bound} must be ${prev ? 'greater than the previous tier' : '0'}`,
      );
    if (prev) {
      if (mmr < prev.maintenanceMarginRate)
        throw new UnsortedTiersError(name, i, 'maintenance rate must not decrease');
      deduction += divRound(lowerBound * (mmr - prev.maintenanceMarginRate), WAD, 'halfEven');
    }
    if (published !== undefined) deduction = published;
    prev = {
      lowerBound,
      maintenanceMarginRate: mmr,
      deduction,
      maxLeverage,
      maintenanceAtLowerBoundWad2: lowerBound * mmr - deduction * WAD,
    };
    tiers.push(prev);
  }
  return { tiers };
}

/**
 * Index of the tier whose range contains `notional` (WAD). Notionals below 0 use tier 0.
 * @example tierIndexForNotional(btcTiered40x, parseDecimal('200000000')) // 1 (the 20x tier from 150M)
 */
export function tierIndexForNotional(table: MarginTable, notional: Fixed): number {
  const tiers = table.tiers;
  let k = tiers.length - 1;
  while (k > 0 && notional < tiers[k]!.lowerBound) k--;
  return k;
}

/**
 * Maintenance margin of a notional, `notional·mmr_k − deduction_k` with `k` the tier containing the
 * notional; WAD in, WAD out (rounded half-even). Pre-parsed form of {@link maintenanceMargin}.
 * @example maintenanceMarginFixed(parseDecimal('200000000'), btcTiered40x) // 3_125_000n × WAD
 */
export function maintenanceMarginFixed(notional: Fixed, table: MarginTable): Fixed {
  const abs = notional < 0n ? -notional : notional;
  const tier = table.tiers[tierIndexForNotional(table, abs)]!;
  const mm = divRound(abs * tier.maintenanceMarginRate, WAD, 'halfEven');
  return tier.deduction ? mm - tier.deduction : mm; // no BigInt subtraction of a zero (first tier)
}

/**
 * Maintenance margin for a position notional (`|size| × markPrice`, quote currency), from a tiered table:
 * `MM = notional·mmr_k − deduction_k`, continuous across tiers. Rounded half-even to 18 decimals.
 *
 * @throws {InvalidDecimalError} when `notional` is malformed.
 * @example
 * // HL docs: $10,000 notional on a 20x-max asset → MM $250
 * maintenanceMargin({ notional: '10000', marginTable: hyperliquidMarginTable({ id: 20, marginTables: [] }) }) // '250'
 */
export function maintenanceMargin(params: {
  notional: DecimalString;
  marginTable: MarginTable;
}): DecimalString {
  return format18(
    maintenanceMarginFixed(parseDecimal(params.notional, 'notional'), params.marginTable),
  );
}

/**
 * Initial margin `notional / leverage` (quote currency), rounded half-even to 18 decimals.
 *
 * @throws {InvalidLeverageError} when `leverage` ≤ 0. {@link InvalidDecimalError} on malformed input.
 * @example initialMargin({ notional: '10000', leverage: 20 }) // '500'
 */
export function initialMargin(params: {
  notional: DecimalString;
  leverage: number | DecimalString;
}): DecimalString {
  const notional = parseDecimal(params.notional, 'notional');
  const leverage = parseLeverage(params.leverage);
  return format18(divRound(notional * WAD, leverage, 'halfEven'));
}
