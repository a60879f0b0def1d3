import {
  oneOf,
  parseNonNegative,
  positiveInteger,
  positiveNumber,
  unitFractionDecimal,
} from '../internal/args.js';
import {
  divRound,
  type Fixed,
  formatDecimal,
  formatOrNull,
  mul,
  toNumber,
  WAD,
} from '../internal/decimal.js';
import type { RiskLevel } from './riskLevel.js';

/**
 * Trading session of a HIP-3 market's underlying: crypto trades 24/7, equities/commodities do not.
 *
 * @example
 * const session: MarketSession = 'marketHours' // e.g. xyz:TSLA
 */
export type MarketSession = '24/7' | 'marketHours';

/** The market a stress test runs on. Money as decimal strings in USD (the dex's collateral). */
export type Hip3StressMarket = {
  /** Open interest, notional USD (sum of |size| × mark), ≥ 0. */
  readonly openInterestUsd: string;
  /** Maximum leverage of the market's first margin tier (HIP-3: 1–50). */
  readonly maxLeverage: number;
  /** Resting book depth the liquidations can hit, USD (e.g. one side within ±3 %), ≥ 0. */
  readonly depthUsd: string;
  readonly session: MarketSession;
  /**
   * Share of open interest on the side the move goes against, decimal string in [0, 1].
   * Default `'1'` (worst case: every position is on the losing side of one leg of the book; use
   * `'0.5'` for a balanced book).
   */
  readonly exposedShare?: string;
};

/**
 * A stress scenario (note 4). Moves are adverse fractions of price as decimal strings.
 * - `oracleDepeg`: the oracle/mark moves `moveFraction` (default `'0.05'`) against the exposed side.
 * - `liquidityGap`: the same move while book depth falls by `depthDropFraction` (default `'0.8'`).
 * - `adl`: a move of `moveFraction` (default `'0.1'`) to size auto-deleveraging.
 * - `weekendGap`: for `marketHours` markets; while the underlying is closed the mark is pinned within
 *   `pinFraction` (default `'0.1'`, HL's ±10 % of last close) and the outside price moves
 *   `outsideMoveFraction`; the rest arrives as a gap at reopen.
 *
 * @example
 * const scenario: Hip3StressScenario = { kind: 'weekendGap', outsideMoveFraction: '0.15' }
 */
export type Hip3StressScenario =
  | { readonly kind: 'oracleDepeg'; readonly moveFraction?: string }
  | {
      readonly kind: 'liquidityGap';
      readonly moveFraction?: string;
      readonly depthDropFraction?: string;
    }
  | { readonly kind: 'adl'; readonly moveFraction?: string }
  | {
      readonly kind: 'weekendGap';
      readonly outsideMoveFraction: string;
      readonly pinFraction?: string;
    };

/** Parameters of {@link hip3StressTest}. */
export type Hip3StressTestParameters = {
  readonly market: Hip3StressMarket;
  readonly scenario: Hip3StressScenario;
  /** Seconds between `setOracle` calls (docs: ≥ 2.5 s, expected every 3 s). Default 3. */
  readonly updateIntervalSeconds?: number;
};

/** Result of {@link hip3StressTest}. Money in USD as decimal strings. */
export type Hip3StressResult = {
  readonly scenario: Hip3StressScenario['kind'];
  /** Adverse move that reaches the mark, fraction. */
  readonly moveFraction: string;
  /**
   * `setOracle` updates the mark needs to follow the move under the 1 %-per-update mark clamp,
   * `ceil(move / 0.01)`; for a weekend gap, the part that arrives at reopen.
   */
  readonly updatesToReprice: number;
  /** `updatesToReprice × updateIntervalSeconds`. */
  readonly secondsToReprice: number;
  /** Exposed open interest, assumed at the market's max leverage (worst case). */
  readonly exposedNotionalUsd: string;
  /**
   * Notional liquidated: all exposed OI once the move reaches the max-leverage maintenance
   * threshold `1 / (2 × maxLeverage)` (HL: maintenance margin is half the initial margin at max leverage).
   */
  readonly liquidatedNotionalUsd: string;
  /** Loss beyond posted margin: `exposed × max(0, move − 1 / maxLeverage)`. */
  readonly badDebtUsd: string;
  /** Book depth available in the scenario, USD. */
  readonly depthUsd: string;
  /** `depth / liquidated` (≥ 1: the book can absorb the liquidations); `null` with no liquidation. */
  readonly bookCoverage: number | null;
  /** Liquidated notional the book cannot absorb: closed by ADL against profitable traders. */
  readonly adlNotionalUsd: string;
  /** For `weekendGap`: how far the mark trails the outside price while pinned; else `null`. */
  readonly pinnedMispricingFraction: string | null;
  /**
   * `critical`: bad debt or ADL; `high`: liquidations; `medium`: a move ≥ 3 % (note 4's L1 tier)
   * without liquidations; `low` otherwise.
   */
  readonly level: RiskLevel;
};

const ONE_PERCENT = 10_000_000_000_000_000n; // 0.01: the per-update markPx clamp
const THREE_PERCENT = 30_000_000_000_000_000n; // note 4's L1 deviation tier

/**
 * Scenario stress test of a HIP-3 market (note 4): oracle depeg, liquidity gap, ADL and the
 * weekend gap of non-24/7 assets. Worst-case model: the exposed OI sits at the market's max
 * leverage, the move arrives before liquidators act, and liquidations beyond book depth go to
 * ADL (isolated-only HIP-3 assets have no backstop liquidator).
 *
 * @returns `null` for a `weekendGap` on a `24/7` market (there is no weekend).
 * @throws {InvalidDecimalError} an amount or fraction is not a decimal string.
 * @throws {InvalidParameterError} negative amounts, fractions outside [0, 1], or leverage outside [1, 50].
 * @example
 * hip3StressTest({
 *   market: { openInterestUsd: '10000000', maxLeverage: 20, depthUsd: '2000000', session: '24/7' },
 *   scenario: { kind: 'oracleDepeg' },
 * })
 * // 5 % move ≥ 2.5 % maintenance threshold → liquidated '10000000'; bad debt 10M × (5 % − 5 %) = '0';
 * // coverage 0.2; ADL '8000000'; level 'critical'
 */
export function hip3StressTest(params: Hip3StressTestParameters): Hip3StressResult | null {
  const { market, scenario } = params;
  const interval = positiveNumber('updateIntervalSeconds', params.updateIntervalSeconds ?? 3);
  const oi = parseNonNegative(market.openInterestUsd, 'market.openInterestUsd');
  let depth = parseNonNegative(market.depthUsd, 'market.depthUsd');
  const lev = market.maxLeverage;
  positiveInteger('market.maxLeverage', lev, 50);
  const share = unitFractionDecimal('market.exposedShare', market.exposedShare ?? '1', '[0, 1]');
  const exposed = mul(oi, share, 'halfEven');

  oneOf('scenario.kind', scenario.kind, ['oracleDepeg', 'liquidityGap', 'adl', 'weekendGap']);
  const fraction = (name: string, value: string | undefined) =>
    unitFractionDecimal(`scenario.${name}`, value as string, '[0, 1]');
  let move: Fixed;
  let repriceMove: Fixed;
  let mispricing: Fixed | null = null;
  if (scenario.kind === 'weekendGap') {
    if (market.session === '24/7') return null;
    move = fraction('outsideMoveFraction', scenario.outsideMoveFraction);
    const pin = fraction('pinFraction', scenario.pinFraction ?? '0.1');
    // The pinned part reaches the mark while the underlying is closed; the rest gaps at reopen.
    repriceMove = mispricing = move > pin ? move - pin : 0n;
  } else {
    move = repriceMove = fraction(
      'moveFraction',
      scenario.moveFraction ?? (scenario.kind === 'adl' ? '0.1' : '0.05'),
    );
    if (scenario.kind === 'liquidityGap')
      depth = mul(
        depth,
        WAD - fraction('depthDropFraction', scenario.depthDropFraction ?? '0.8'),
        'floor',
      );
  }

  const levFixed = BigInt(lev) * WAD;
  const maintenance = divRound(WAD * WAD, 2n * levFixed, 'halfEven'); // 1 / (2·maxLev)
  const initial = divRound(WAD * WAD, levFixed, 'halfEven'); // 1 / maxLev
  const liquidated = move >= maintenance && exposed > 0n ? exposed : 0n;
  const badDebt = move > initial ? mul(exposed, move - initial, 'ceil') : 0n;
  const adl = liquidated > depth ? liquidated - depth : 0n;
  const updates = Number(divRound(repriceMove, ONE_PERCENT, 'ceil'));
  const level: RiskLevel =
    badDebt > 0n || adl > 0n
      ? 'critical'
      : liquidated > 0n
        ? 'high'
        : move >= THREE_PERCENT
          ? 'medium'
          : 'low';
  return {
    scenario: scenario.kind,
    moveFraction: formatDecimal(move),
    updatesToReprice: updates,
    secondsToReprice: updates * interval,
    exposedNotionalUsd: formatDecimal(exposed),
    liquidatedNotionalUsd: formatDecimal(liquidated),
    badDebtUsd: formatDecimal(badDebt),
    depthUsd: formatDecimal(depth),
    bookCoverage: liquidated === 0n ? null : toNumber(depth) / toNumber(liquidated),
    adlNotionalUsd: formatDecimal(adl),
    pinnedMispricingFraction: formatOrNull(mispricing),
    level,
  };
}
