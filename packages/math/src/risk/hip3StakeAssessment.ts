import {
  fail,
  minLength,
  nonNegativeNumber,
  oneOf,
  parseNonNegative,
  parsePositive,
  positiveInteger,
  unitFractionDecimal,
} from '../internal/args.js';
import { divRound, formatDecimal, max, mul, toNumber, WAD } from '../internal/decimal.js';
import { hip3OracleFreshness, hip3OracleTiers } from './hip3OracleTiers.js';
import { RISK_LEVELS, type RiskLevel } from './riskLevel.js';

/**
 * Trading session of a HIP-3 market's underlying: crypto trades 24/7, equities/commodities do not.
 *
 * @example
 * const session: MarketSession = 'marketHours' // e.g. xyz:TSLA
 */
export type MarketSession = '24/7' | 'marketHours';

/**
 * A stress scenario (note 4), run on every market of {@link hip3StakeAssessment}. Moves are adverse
 * fractions of price as decimal strings in [0, 1].
 * - `oracleDepeg`: the oracle/mark moves `moveFraction` (default `'0.05'`) against the open interest.
 * - `liquidityGap`: the same move while book depth falls by `depthDropFraction` (default `'0.8'`).
 * - `adl`: a move of `moveFraction` (default `'0.1'`) to size auto-deleveraging.
 * - `weekendGap`: for `marketHours` markets only; while the underlying is closed HL pins the mark
 *   within ±10 % of the last close and the outside price moves `moveFraction` (default `'0.15'`);
 *   the rest arrives as a gap at reopen.
 *
 * The mark follows a move at most 1 % per `setOracle` update (every ~3 s): `ceil(move / 0.01)`
 * updates (for a weekend gap, of `pinnedMispricingFraction`).
 * Worst-case model: all open interest is on the losing side at the market's max leverage, the move
 * arrives before liquidators act, and liquidations beyond book depth go to ADL (isolated-only HIP-3
 * assets have no backstop liquidator).
 *
 * @example
 * const scenario: Hip3StressScenario = { kind: 'weekendGap', moveFraction: '0.2' }
 */
export type Hip3StressScenario = {
  readonly kind: 'oracleDepeg' | 'liquidityGap' | 'adl' | 'weekendGap';
  /** Adverse move (for `weekendGap`: of the outside price). Default per kind, see above. */
  readonly moveFraction?: string;
  /** Share of book depth that vanishes. Default `'0.8'` for `liquidityGap`, else `'0'`. */
  readonly depthDropFraction?: string;
};

/**
 * Result of one stress scenario on one market ({@link Hip3MarketAssessment.stress}). Money in USD
 * as decimal strings.
 *
 * @example
 * // 20×, OI 10M, depth 2M, oracle depeg 5 %:
 * // { scenario: 'oracleDepeg', moveFraction: '0.05', liquidatedNotionalUsd: '10000000',
 * //   badDebtUsd: '0', adlNotionalUsd: '8000000', pinnedMispricingFraction: null, level: 'critical' }
 */
export type Hip3StressResult = {
  readonly scenario: Hip3StressScenario['kind'];
  /** Adverse move of the price, fraction (for a weekend gap: the outside move). */
  readonly moveFraction: string;
  /**
   * Notional liquidated: all open interest once the move reaches the max-leverage maintenance
   * threshold `1 / (2 × maxLeverage)` (HL: maintenance margin is half the initial margin at max leverage).
   */
  readonly liquidatedNotionalUsd: string;
  /** Loss beyond posted margin: `openInterest × max(0, move − 1 / maxLeverage)`, rounded up. */
  readonly badDebtUsd: string;
  /**
   * Liquidated notional the book cannot absorb (`liquidated − depth`, depth after a liquidity
   * gap's drop): closed by ADL against profitable traders.
   */
  readonly adlNotionalUsd: string;
  /**
   * For `weekendGap`: how far the pinned mark trails the outside price, `max(0, move − 0.1)` — the
   * gap at reopen; else `null`.
   */
  readonly pinnedMispricingFraction: string | null;
  /**
   * `critical`: bad debt or ADL; `high`: liquidations; `medium`: a move ≥ 3 % (note 4's L1 tier)
   * without liquidations; `low` otherwise.
   */
  readonly level: RiskLevel;
};

/**
 * Slashing guideline tiers for HIP-3 deployers, least to most severe (Hyperliquid docs, HIP-3:
 * https://hyperliquid.gitbook.io/hyperliquid-docs/hyperliquid-improvement-proposals-hips/hip-3-builder-deployed-perpetuals):
 * - `degradation`: network degradation / performance issues — up to 20 %;
 * - `briefDowntime`: brief (temporary) downtime — up to 50 %;
 * - `invalidOrProlonged`: invalid state transitions or prolonged downtime — up to 100 %.
 *
 * Slashing is decided by stake-weighted validator vote; these are the caps, i.e. the worst case.
 *
 * @example
 * const tier: SlashingTier = 'briefDowntime'
 */
export type SlashingTier = 'degradation' | 'briefDowntime' | 'invalidOrProlonged';

/**
 * Tiers ordered from least to most severe (package-internal; the public order is that of
 * {@link Hip3StakeAssessment.slashingTiers}).
 *
 * @example
 * SLASHING_TIERS.indexOf('briefDowntime') > SLASHING_TIERS.indexOf('degradation') // true
 */
export const SLASHING_TIERS: readonly SlashingTier[] = [
  'degradation',
  'briefDowntime',
  'invalidOrProlonged',
];

/**
 * Worst-case slashing of the deployer's stake (+ unstaking queue) under one guideline tier. Multiply
 * `hypeAtRisk` by the HYPE price for USD.
 *
 * @example
 * // 500k HYPE staked, brief downtime (up to 50 %):
 * const exposure: SlashingExposure = { tier: 'briefDowntime', hypeAtRisk: '250000' }
 */
export type SlashingExposure = {
  readonly tier: SlashingTier;
  /**
   * Worst-case slashed (burned) HYPE, decimal string: `(stake + unstaking) ×` the tier's cap
   * (20 % / 50 % / 100 %), rounded up at 18 decimals.
   */
  readonly hypeAtRisk: string;
};

/**
 * Oracle health of one market at the time of the assessment (ages are measured by the caller).
 *
 * @example
 * const health: Hip3OracleHealth = { lastUpdateAgeMs: 12_000, markDeviation: 0.004 }
 */
export type Hip3OracleHealth = {
  /** Time since the oracle price last changed / the last accepted `setOracle`, ms ≥ 0. */
  readonly lastUpdateAgeMs: number;
  /** `|mark − external perp price| / external perp price` now, fraction ≥ 0 (note 4's deviation). */
  readonly markDeviation: number;
  /** How long the deviation has stayed ≥ the L2 level, ms ≥ 0. Default 0. */
  readonly deviationPersistedMs?: number;
};

/**
 * One market of the deployer's dex. Money in USD (the dex collateral) as decimal strings.
 *
 * @example
 * const market: Hip3MarketInput = {
 *   coin: 'xyz:NVDA', openInterestUsd: '12000000', volume24hUsd: '30000000', maxLeverage: 10,
 *   depthUsd: '2500000', session: 'marketHours', oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.002 },
 * }
 */
export type Hip3MarketInput = {
  /** Market name, e.g. `'xyz:TSLA'`; unique within `markets`. */
  readonly coin: string;
  /** Open interest, notional USD, ≥ 0. */
  readonly openInterestUsd: string;
  /** Traded notional over the last 24 h, USD, ≥ 0. */
  readonly volume24hUsd: string;
  /**
   * Max leverage of the market's margin table (its first tier, the highest), integer in [1, 50]
   * (HIP-3 margin tables: ≤ 3 tiers, 1–50×). The stress model puts all OI at this leverage.
   */
  readonly maxLeverage: number;
  /**
   * Book depth within ±3 % of mid, USD (e.g. `bookDepth(...).totalQuote`), ≥ 0: what the stress
   * scenarios' liquidations can hit. Default `'0'`.
   */
  readonly depthUsd?: string;
  readonly session: MarketSession;
  readonly oracle: Hip3OracleHealth;
};

/** Parameters of {@link hip3StakeAssessment}. */
export type Hip3StakeAssessmentParameters = {
  /** HYPE staked by the deployer, decimal string ≥ 0. */
  readonly stakeHype: string;
  /** HYPE in the 7-day unstaking queue (still slashable), decimal string ≥ 0. Default `'0'`. */
  readonly unstakingHype?: string;
  /** Staking requirement, HYPE, decimal string > 0: 500k on mainnet today (note 4 says 5M). Default `'500000'`. */
  readonly requiredStakeHype?: string;
  /** The dex's markets, at least one. */
  readonly markets: readonly Hip3MarketInput[];
  /**
   * Stress scenarios run on every market. Default: one of each kind with its defaults — oracle
   * depeg 5 %, liquidity gap (5 % move, depth −80 %), ADL at a 10 % move, and a weekend gap with a
   * 15 % outside move and the ±10 % pin.
   */
  readonly scenarios?: readonly Hip3StressScenario[];
};

/** What the calculator recommends for one market. */
export type Hip3Action = 'lowerOiCap' | 'lowerLeverage' | 'considerHalt';

/**
 * Why a market's level is above `low`, as a short machine-readable code (the numbers behind each
 * code are in the market input or in its {@link Hip3MarketAssessment}):
 * - `dead`: oracle older than 60 s (feed dead, prolonged downtime) → `critical`;
 * - `stale`: older than 10 s (the mark fell back to the local mark) → `high`;
 * - `L3`: deviation ≥ 5 % for ≥ 5 min → `critical`; `L2`: ≥ 5 % for ≥ 30 s → `high`;
 *   `L1`: ≥ 3 % → `medium` (note 4's tiers);
 * - `oiToVolume`: `oiToVolume` ≥ 3, or open interest with no volume → `high`; ≥ 1 → `medium`;
 * - `leverage`: `maxLeverage` above `recommendedMaxLeverage` → `medium`.
 *
 * @example
 * const reason: Hip3Reason = 'L2'
 */
export type Hip3Reason = 'dead' | 'stale' | 'L3' | 'L2' | 'L1' | 'oiToVolume' | 'leverage';

/** Per-market result of {@link hip3StakeAssessment}. */
export type Hip3MarketAssessment = {
  readonly coin: string;
  readonly level: RiskLevel;
  /** Why the level is what it is, in the order the checks run (empty at `low`). */
  readonly reasons: readonly Hip3Reason[];
  /** The guideline tier an incident in the market's current state would fall under, or `null`. */
  readonly slashingTier: SlashingTier | null;
  /** `openInterest / volume24h`, `null` with zero volume. */
  readonly oiToVolume: number | null;
  /**
   * Largest max leverage under which a max-leverage position survives the market's gap move
   * without bad debt, `1 / gap`: 10 for `marketHours` assets (the ±10 % pin band gaps at reopen),
   * 20 for 24/7 assets (a 5 % gap).
   */
  readonly recommendedMaxLeverage: number;
  /**
   * Recommended OI cap, whole USD (rounded up): the 24 h volume (halved at L1), but never below
   * half the current OI (HL rejects caps under max(1 USD, OI / 2)).
   */
  readonly recommendedOpenInterestCapUsd: string;
  /**
   * Recommended actions, in this order: `lowerOiCap` (L1 or worse, or OI ≥ 3× volume; compare the
   * current cap with `recommendedOpenInterestCapUsd`), `lowerLeverage` (L2 or worse, or leverage
   * above the recommendation), `considerHalt` (the level is `critical`: dead oracle or L3).
   */
  readonly actions: readonly Hip3Action[];
  /** Results of the stress scenarios (a weekend gap is skipped on 24/7 markets). */
  readonly stress: readonly Hip3StressResult[];
};

/** Result of {@link hip3StakeAssessment}. */
export type Hip3StakeAssessment = {
  /**
   * HYPE to add to meet the requirement, `max(0, required − stake)`, decimal string; above `'0'`
   * HL rejects deploy actions ("Deployer has not staked enough") and `overallLevel` is `critical`.
   */
  readonly stakeShortfallHype: string;
  /** The guideline table applied to the stake (+ unstaking queue), least to most severe. */
  readonly slashingTiers: readonly SlashingExposure[];
  /** Worst case over markets in their current state, or `null` when no market is in an incident state. */
  readonly worstCase: (SlashingExposure & { readonly coin: string }) | null;
  readonly markets: readonly Hip3MarketAssessment[];
  /** Maximum of the market levels; `critical` when the stake is below the requirement. */
  readonly overallLevel: RiskLevel;
  /** The market with the highest level (ties: larger open interest, then the first given). */
  readonly mostDangerous: string;
};

/** Valid {@link MarketSession}s. */
const SESSIONS: readonly MarketSession[] = ['24/7', 'marketHours'];

const STRESS_KINDS: readonly Hip3StressScenario['kind'][] = [
  'oracleDepeg',
  'liquidityGap',
  'adl',
  'weekendGap',
];

/** Default `moveFraction` per kind (STRESS_KINDS order). */
const MOVES = ['0.05', '0.05', '0.1', '0.15'];

/** HL pins a market-hours asset's mark within ±10 % of the last close off-hours. */
const PIN = WAD / 10n;

/**
 * HIP-3 builder stake calculator (note 4): safety evaluation of a deployer's stake and markets.
 *
 * Per market it classifies oracle health with the docs' and note 4's tiers — oracle older than
 * 10 s (mark falls back to the local mark) → `high` / brief downtime; older than 60 s → `critical` /
 * prolonged downtime; deviation ≥ 3 % (L1) → `medium`, lower OI caps; ≥ 5 % for 30 s (L2) → `high`,
 * lower leverage, degradation; ≥ 5 % for 5 min (L3) → `critical`, consider halting, treated as an
 * invalid market — and OI relative to daily volume. It recommends a max leverage such that a
 * position at max leverage keeps margin through the market's gap move (`1 / gap`: gap = 10 % pin
 * band for market-hours assets, else 5 %) and an OI cap relative to daily volume, and runs the
 * stress scenarios ({@link Hip3StressScenario}). Overall: the worst market, worst-case slashing
 * under the guideline tiers (up to 100 % / 50 % / 20 %), and the most dangerous market. Reasons
 * are short codes ({@link Hip3Reason}) for the caller to word.
 *
 * The mapping from market state to slashing tier is this calculator's conservative reading of the
 * guidelines; validators vote case by case.
 *
 * @throws {EmptySeriesError} no markets.
 * @throws {InvalidDecimalError} an amount or fraction is not a decimal string.
 * @throws {InvalidParameterError} a negative stake/amount, a required stake ≤ 0,
 *   leverage outside 1–50, negative oracle ages or deviations, a duplicate coin, an unknown
 *   session or scenario kind, or a fraction outside [0, 1].
 * @example
 * const a = hip3StakeAssessment({
 *   stakeHype: '500000',
 *   markets: [{
 *     coin: 'xyz:TSLA', openInterestUsd: '30000000', volume24hUsd: '20000000', maxLeverage: 20,
 *     depthUsd: '3000000', session: 'marketHours',
 *     oracle: { lastUpdateAgeMs: 3_000, markDeviation: 0.01 },
 *   }],
 * })
 * a.markets[0].recommendedMaxLeverage // 10 (a 10 % pin-band gap)
 * a.markets[0].recommendedOpenInterestCapUsd // '20000000'
 * a.markets[0].reasons // ['oiToVolume', 'leverage'] (OI 1.5× volume; 20× > 10×)
 */
export function hip3StakeAssessment(params: Hip3StakeAssessmentParameters): Hip3StakeAssessment {
  const stake = parseNonNegative(params.stakeHype, 'stakeHype');
  const required = parsePositive(params.requiredStakeHype ?? '500000', 'requiredStakeHype');
  // The 7-day unstaking queue stays slashable.
  const slashable = stake + parseNonNegative(params.unstakingHype ?? '0', 'unstakingHype');
  // Caps 20 % / 50 % / 100 % = 1/5, 1/2, 1/1; worst case: the loss is rounded up.
  const exposures = SLASHING_TIERS.map(
    (tier, i): SlashingExposure => ({
      tier,
      hypeAtRisk: formatDecimal(divRound(slashable, [5n, 2n, 1n][i] as bigint, 'ceil')),
    }),
  );
  minLength('markets', params.markets, 1);
  // Scenarios parsed once: [kind, STRESS_KINDS index, move, share of depth left after the drop].
  const scenarios = (
    params.scenarios ?? STRESS_KINDS.map((kind): Hip3StressScenario => ({ kind }))
  ).map((s, j) => {
    const at = `scenarios[${j}].`;
    const k = STRESS_KINDS.indexOf(oneOf(`${at}kind`, s.kind, STRESS_KINDS));
    return [
      s.kind,
      k,
      unitFractionDecimal(`${at}moveFraction`, s.moveFraction ?? (MOVES[k] as string), '[0, 1]'),
      WAD -
        unitFractionDecimal(
          `${at}depthDropFraction`,
          s.depthDropFraction ?? (k === 1 ? '0.8' : '0'),
          '[0, 1]',
        ),
    ] as const;
  });
  // Levels and tiers as ranks (RISK_LEVELS / SLASHING_TIERS indices; −1 = no tier). `top` is the
  // highest market level, i.e. the overall level unless the stake is short.
  let worst = -1;
  let worstCoin = '';
  let top = -1;
  let topOi = 0n;
  let topCoin = '';

  const markets = params.markets.map((m, i): Hip3MarketAssessment => {
    const name = `markets[${i}]`;
    if (params.markets.findIndex((x) => x.coin === m.coin) < i)
      fail(`${name}.coin`, 'unique', m.coin);
    // Required amounts have no fallback: a missing one fails as an invalid decimal.
    const amount = (key: 'openInterestUsd' | 'volume24hUsd' | 'depthUsd', fallback?: string) =>
      parseNonNegative((m[key] ?? fallback) as string, `${name}.${key}`);
    const oi = amount('openInterestUsd');
    const volume = amount('volume24hUsd');
    const depth = amount('depthUsd', '0');
    const lev = BigInt(positiveInteger(`${name}.maxLeverage`, m.maxLeverage, 50));
    const oracle = (key: keyof Hip3OracleHealth, fallback?: number) =>
      nonNegativeNumber(`${name}.oracle.${key}`, (m.oracle[key] ?? fallback) as number);
    const age = oracle('lastUpdateAgeMs');
    const deviation = oracle('markDeviation');
    const persisted = oracle('deviationPersistedMs', 0);

    let level = 0;
    const reasons: Hip3Reason[] = [];
    const flag = (rank: number, reason: Hip3Reason) => {
      if (rank > level) level = rank;
      reasons.push(reason);
    };
    const freshness = hip3OracleFreshness(age);
    const dead = freshness === 'dead';
    const stale = freshness !== 'fresh';
    if (dead) flag(3, 'dead');
    else if (stale) flag(2, 'stale');
    const l2 = deviation >= hip3OracleTiers.l2Fraction && persisted >= hip3OracleTiers.l2HoldMs;
    const l3 = l2 && persisted >= hip3OracleTiers.l3HoldMs;
    const l1 = deviation >= hip3OracleTiers.l1Fraction;
    if (l3) flag(3, 'L3');
    else if (l2) flag(2, 'L2');
    else if (l1) flag(1, 'L1');
    // Infinity with OI but no volume (→ high), NaN with neither (→ no flag).
    const ratio = toNumber(oi) / toNumber(volume);
    if (ratio >= 3) flag(2, 'oiToVolume');
    else if (ratio >= 1) flag(1, 'oiToVolume');

    // Leverage advice: a max-leverage position loses its whole margin on a move of 1/maxLeverage,
    // so floor(1 / gap) survives the gap: 10 % (pin band) on market-hours assets, else 5 %.
    const hours = oneOf(`${name}.session`, m.session, SESSIONS) === 'marketHours';
    const recommendedMaxLeverage = hours ? 10 : 20;
    if (lev > recommendedMaxLeverage) flag(1, 'leverage');

    // OI cap advice, in whole USD (setOpenInterestCaps takes an integer notional).
    // HL: cap ≥ half the current OI; whole USD rounded up so that floor holds.
    const capAdvice = divRound(max(l1 ? volume / 2n : volume, (oi + 1n) / 2n), WAD, 'ceil') * WAD;

    const actions: Hip3Action[] = [];
    if (l1 || ratio >= 3) actions.push('lowerOiCap');
    if (l2 || lev > recommendedMaxLeverage) actions.push('lowerLeverage');
    if (level > 2) actions.push('considerHalt'); // critical: dead oracle or L3
    // Slashing tier (SLASHING_TIERS index): invalid/prolonged, brief downtime, degradation, none.
    const tier = dead || l3 ? 2 : stale ? 1 : l2 ? 0 : -1;

    if (tier > worst) {
      worst = tier;
      worstCoin = m.coin;
    }
    if (level > top || (level === top && oi > topOi)) {
      top = level;
      topOi = oi;
      topCoin = m.coin;
    }
    return {
      coin: m.coin,
      level: RISK_LEVELS[level] as RiskLevel,
      reasons,
      slashingTier: SLASHING_TIERS[tier] ?? null,
      oiToVolume: volume ? ratio : null,
      recommendedMaxLeverage,
      recommendedOpenInterestCapUsd: formatDecimal(capAdvice),
      actions,
      stress: scenarios.flatMap(([kind, k, move, kept]) => {
        if (k > 2 && !hours) return []; // no weekend on a 24/7 market
        const left = mul(depth, kept, 'floor');
        // Exact: 1/maxLev need not terminate (1/3), so it is never rounded.
        const liquidated = move * lev * 2n >= WAD ? oi : 0n; // move ≥ 1/(2·maxLev)
        const over = move * lev - WAD; // (move − 1/maxLev)·maxLev
        const badDebt = divRound(oi * max(over, 0n), lev * WAD, 'ceil');
        const adl = max(liquidated - left, 0n);
        return {
          scenario: kind,
          moveFraction: formatDecimal(move),
          liquidatedNotionalUsd: formatDecimal(liquidated),
          badDebtUsd: formatDecimal(badDebt),
          adlNotionalUsd: formatDecimal(adl),
          // Weekend gap: the mark moves at most the ±10 % pin while the underlying is closed; the
          // rest gaps at reopen.
          pinnedMispricingFraction: k > 2 ? formatDecimal(max(move - PIN, 0n)) : null,
          level: RISK_LEVELS[
            badDebt || adl ? 3 : liquidated ? 2 : move * 100n >= 3n * WAD ? 1 : 0
          ] as RiskLevel,
        };
      }),
    };
  });

  return {
    stakeShortfallHype: formatDecimal(max(required - stake, 0n)),
    slashingTiers: exposures,
    worstCase: worst < 0 ? null : { coin: worstCoin, ...(exposures[worst] as SlashingExposure) },
    markets,
    overallLevel: RISK_LEVELS[stake < required ? 3 : top] as RiskLevel,
    mostDangerous: topCoin,
  };
}
