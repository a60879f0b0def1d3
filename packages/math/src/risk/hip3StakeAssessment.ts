import { EmptyTierTableError, InvalidParameterError, UnsortedTiersError } from '../errors.js';
import {
  fail,
  finiteNumber,
  minLength,
  nonNegativeNumber,
  parseNonNegative,
  parseOptional,
  parsePositive,
  positiveInteger,
} from '../internal/args.js';
import {
  type Fixed,
  formatDecimal,
  fromNumber,
  mul,
  parseDecimal,
  toNumber,
  WAD,
} from '../internal/decimal.js';
import {
  type Hip3StressResult,
  type Hip3StressScenario,
  hip3StressTest,
  type MarketSession,
} from './hip3StressTest.js';
import { maxRiskLevel, type RiskLevel, riskLevelRank } from './riskLevel.js';
import {
  SLASHING_TIERS,
  type SlashingExposure,
  type SlashingTier,
  slashingExposure,
} from './slashingExposure.js';

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
 * One tier of a HIP-3 margin table (`insertMarginTable`): from `lowerBound` USD of notional up, at
 * most `maxLeverage`.
 *
 * @example
 * const tiers: Hip3MarginTier[] = [{ lowerBound: '0', maxLeverage: 20 }, { lowerBound: '5000000', maxLeverage: 10 }]
 */
export type Hip3MarginTier = {
  /** Notional where the tier starts, USD, decimal string ≥ 0 (the first tier starts at 0). */
  readonly lowerBound: string;
  /** Integer in [1, 50]. */
  readonly maxLeverage: number;
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
  /** Market name, e.g. `'xyz:TSLA'`. */
  readonly coin: string;
  /** Open interest, notional USD, ≥ 0. */
  readonly openInterestUsd: string;
  /** Traded notional over the last 24 h, USD, ≥ 0. */
  readonly volume24hUsd: string;
  /** Max leverage of the first margin tier (HIP-3 margin tables: 1–50, ≤ 3 tiers). */
  readonly maxLeverage: number;
  /**
   * The whole margin table, when known: 1–3 tiers, `lowerBound` strictly increasing from 0,
   * `maxLeverage` non-increasing (HL `insertMarginTable` rules); the first tier's `maxLeverage`
   * must equal `maxLeverage`.
   */
  readonly marginTiers?: readonly Hip3MarginTier[];
  /** Current OI cap (`setOpenInterestCaps`), USD. Optional. */
  readonly openInterestCapUsd?: string;
  /** Book depth within ±3 % of mid, USD (e.g. `bookDepth(...).totalQuote`). Default `'0'`. */
  readonly depthUsd?: string;
  readonly session: MarketSession;
  /** Daily volatility of the underlying (σ of daily returns, fraction), for the leverage advice. Optional. */
  readonly dailyVolatility?: number;
  readonly oracle: Hip3OracleHealth;
};

/**
 * Thresholds of the assessment; every field has a documented default.
 *
 * @example
 * const strict: Hip3Thresholds = { staleMs: 6_000, oiCapToVolume: 0.5 }
 */
export type Hip3Thresholds = {
  /** Oracle age after which the mark falls back to the local mark (HL docs: 10 s). Default 10,000. */
  readonly staleMs?: number;
  /** Oracle age treated as a dead feed / prolonged downtime (watcher's "dead" tier). Default 60,000. */
  readonly deadMs?: number;
  /** Note 4 L1: deviation ≥ 3 % → lower OI caps. Default 0.03. */
  readonly l1Deviation?: number;
  /** Note 4 L2: deviation ≥ 5 % … Default 0.05. */
  readonly l2Deviation?: number;
  /** … for ≥ 30 s → lower leverage. Default 30,000. */
  readonly l2DurationMs?: number;
  /** Note 4 L3: the L2 deviation persisting (e.g. 5 min) → consider halting. Default 300,000. */
  readonly l3DurationMs?: number;
  /** OI / 24 h volume at or above which a market is `medium` risk. Default 1. */
  readonly oiToVolumeMedium?: number;
  /** OI / 24 h volume at or above which a market is `high` risk. Default 3. */
  readonly oiToVolumeHigh?: number;
  /** Recommended OI cap as a multiple of 24 h volume (halved at L1). Default 1. */
  readonly oiCapToVolume?: number;
};

/** Parameters of {@link hip3StakeAssessment}. */
export type Hip3StakeAssessmentParameters = {
  /** HYPE staked by the deployer, decimal string ≥ 0. */
  readonly stakeHype: string;
  /** HYPE in the 7-day unstaking queue (still slashable), decimal string ≥ 0. Default `'0'`. */
  readonly unstakingHype?: string;
  /** Staking requirement, HYPE: 500k on mainnet today (note 4 says 5M). Default `'500000'`. */
  readonly requiredStakeHype?: string;
  /** HYPE price in USD, to express exposures in USD. Optional. */
  readonly hypePriceUsd?: string;
  readonly markets: readonly Hip3MarketInput[];
  readonly thresholds?: Hip3Thresholds;
  /**
   * Stress scenarios run on every market. Default: oracle depeg 5 %, liquidity gap (5 % move,
   * depth −80 %), ADL at a 10 % move, and a weekend gap with a 15 % outside move.
   */
  readonly scenarios?: readonly Hip3StressScenario[];
};

/** What the calculator recommends for one market. */
export type Hip3Action = 'lowerOiCap' | 'lowerLeverage' | 'considerHalt';

/** Per-market result of {@link hip3StakeAssessment}. */
export type Hip3MarketAssessment = {
  readonly coin: string;
  readonly level: RiskLevel;
  /** Why the level is what it is, human-readable. */
  readonly reasons: readonly string[];
  /** The guideline tier an incident in the market's current state would fall under, or `null`. */
  readonly slashingTier: SlashingTier | null;
  /** `openInterest / volume24h`, `null` with zero volume. */
  readonly oiToVolume: number | null;
  /** Largest max leverage under which a max-leverage position survives the market's gap move without bad debt. */
  readonly recommendedMaxLeverage: number;
  /** The adverse gap move the leverage advice is sized for, fraction. */
  readonly gapMoveFraction: number;
  /**
   * The given margin table with every tier's leverage capped at `recommendedMaxLeverage`; tiers
   * left with the same leverage as the tier before are merged. `null` without `marginTiers`.
   */
  readonly recommendedMarginTiers: readonly Hip3MarginTier[] | null;
  /**
   * Recommended OI cap, whole USD: `volume24h × oiCapToVolume` (× 0.5 at L1), but never below half
   * the current OI (HL rejects caps under max(1 USD, OI / 2)).
   */
  readonly recommendedOpenInterestCapUsd: string;
  readonly actions: readonly Hip3Action[];
  /** Results of the stress scenarios (a weekend gap is skipped on 24/7 markets). */
  readonly stress: readonly Hip3StressResult[];
};

/** Result of {@link hip3StakeAssessment}. */
export type Hip3StakeAssessment = {
  /** `stake / required`, float64. */
  readonly stakeCoverage: number;
  /** Stake below the requirement: HL rejects deploy actions ("Deployer has not staked enough"). */
  readonly belowRequirement: boolean;
  /** HYPE to add to meet the requirement, `max(0, required − stake)`, decimal string. */
  readonly stakeShortfallHype: string;
  /** Sum of the markets' open interest, USD. */
  readonly totalOpenInterestUsd: string;
  /**
   * Stake value over total open interest (`stake × hypePrice / ΣOI`): the deployer's skin in the
   * game per dollar of user positions. `null` without a HYPE price or without open interest.
   */
  readonly stakeToOpenInterest: number | null;
  /** The guideline table applied to the stake (+ unstaking queue), least to most severe. */
  readonly slashingTiers: readonly SlashingExposure[];
  /** Worst case over markets in their current state, or `null` when no market is in an incident state. */
  readonly worstCase: (SlashingExposure & { readonly coin: string }) | null;
  readonly markets: readonly Hip3MarketAssessment[];
  /** Maximum of the market levels; `critical` when the stake is below the requirement. */
  readonly overallLevel: RiskLevel;
  /** The market with the highest level (ties: larger open interest), `null` without markets. */
  readonly mostDangerous: string | null;
};

// The stress test's own defaults are the documented ones (depeg 5 %, gap 5 % with depth −80 %, ADL 10 %).
const DEFAULT_SCENARIOS: readonly Hip3StressScenario[] = [
  { kind: 'oracleDepeg' },
  { kind: 'liquidityGap' },
  { kind: 'adl' },
  { kind: 'weekendGap', outsideMoveFraction: '0.15' },
];

/** Defaults of {@link Hip3Thresholds}, documented there. */
const THRESHOLDS: ResolvedThresholds = {
  staleMs: 10_000,
  deadMs: 60_000,
  l1Deviation: 0.03,
  l2Deviation: 0.05,
  l2DurationMs: 30_000,
  l3DurationMs: 300_000,
  oiToVolumeMedium: 1,
  oiToVolumeHigh: 3,
  oiCapToVolume: 1,
};

/**
 * HIP-3 builder stake calculator (note 4): safety evaluation of a deployer's stake and markets.
 *
 * Per market it classifies oracle health with the docs' and note 4's tiers — oracle older than
 * 10 s (mark falls back to the local mark) → `high` / brief downtime; older than 60 s → `critical` /
 * prolonged downtime; deviation ≥ 3 % (L1) → `medium`, lower OI caps; ≥ 5 % for 30 s (L2) → `high`,
 * lower leverage, degradation; ≥ 5 % for 5 min (L3) → `critical`, consider halting, treated as an
 * invalid market — and OI relative to daily volume. It recommends a max leverage such that a
 * position at max leverage keeps margin through the market's gap move (`floor(1 / gap)`, capped to
 * 1–50: gap = 10 % pin band for market-hours assets, else 3σ daily if given, else 5 %) and an OI
 * cap relative to volume, and runs the stress scenarios. Overall: the worst market, worst-case
 * slashing under the guideline tiers (up to 100 % / 50 % / 20 %), and the most dangerous market.
 *
 * The mapping from market state to slashing tier is this calculator's conservative reading of the
 * guidelines; validators vote case by case.
 *
 * @throws {EmptySeriesError} no markets.
 * @throws {InvalidDecimalError} an amount is not a decimal string.
 * @throws {InvalidParameterError} a negative stake/amount, a required stake ≤ 0, leverage outside
 *   1–50, negative oracle ages or deviations, a duplicate coin.
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
 */
export function hip3StakeAssessment(params: Hip3StakeAssessmentParameters): Hip3StakeAssessment {
  const stake = parseNonNegative(params.stakeHype, 'stakeHype');
  const required = parsePositive(params.requiredStakeHype ?? '500000', 'requiredStakeHype');
  minLength('markets', params.markets, 1);
  const th = {} as ResolvedThresholds;
  for (const k in THRESHOLDS) {
    const key = k as keyof Hip3Thresholds;
    th[key] = nonNegativeNumber(`thresholds.${key}`, params.thresholds?.[key] ?? THRESHOLDS[key]);
  }
  const scenarios = params.scenarios ?? DEFAULT_SCENARIOS;
  const exposureBase = {
    stakeHype: params.stakeHype,
    ...(params.unstakingHype === undefined ? {} : { unstakingHype: params.unstakingHype }),
    ...(params.hypePriceUsd === undefined ? {} : { hypePriceUsd: params.hypePriceUsd }),
  };

  const seen = new Set<string>();
  const markets = params.markets.map((m, i) => {
    if (seen.has(m.coin))
      throw new InvalidParameterError(`markets[${i}].coin`, `duplicates "${m.coin}"`);
    seen.add(m.coin);
    return assessMarket(m, `markets[${i}]`, th, scenarios);
  });

  const belowRequirement = stake < required;
  let overallLevel: RiskLevel = belowRequirement ? 'critical' : 'low';
  let worst: { coin: string; tier: SlashingTier } | null = null;
  let mostDangerous: { coin: string; level: RiskLevel; oi: Fixed } | null = null;
  let totalOi = 0n;
  for (let i = 0; i < markets.length; i++) {
    const m = markets[i] as Hip3MarketAssessment;
    overallLevel = maxRiskLevel(overallLevel, m.level);
    if (
      m.slashingTier !== null &&
      (worst === null || tierRank(m.slashingTier) > tierRank(worst.tier))
    ) {
      worst = { coin: m.coin, tier: m.slashingTier };
    }
    const oi = parseDecimal((params.markets[i] as Hip3MarketInput).openInterestUsd);
    totalOi += oi;
    if (
      mostDangerous === null ||
      riskLevelRank(m.level) > riskLevelRank(mostDangerous.level) ||
      (m.level === mostDangerous.level && oi > mostDangerous.oi)
    ) {
      mostDangerous = { coin: m.coin, level: m.level, oi };
    }
  }

  const worstCase =
    worst === null
      ? null
      : { coin: worst.coin, ...slashingExposure({ ...exposureBase, tier: worst.tier }) };
  const hypePrice = parseOptional(params.hypePriceUsd, 'hypePriceUsd', null, parsePositive);
  return {
    stakeCoverage: toNumber(stake) / toNumber(required),
    belowRequirement,
    stakeShortfallHype: formatDecimal(belowRequirement ? required - stake : 0n),
    totalOpenInterestUsd: formatDecimal(totalOi),
    stakeToOpenInterest:
      hypePrice === null || totalOi === 0n
        ? null
        : (toNumber(stake) * toNumber(hypePrice)) / toNumber(totalOi),
    slashingTiers: SLASHING_TIERS.map((tier) => slashingExposure({ ...exposureBase, tier })),
    worstCase,
    markets,
    overallLevel,
    mostDangerous: mostDangerous?.coin ?? null,
  };
}

function tierRank(tier: SlashingTier): number {
  return SLASHING_TIERS.indexOf(tier);
}

type ResolvedThresholds = { -readonly [K in keyof Hip3Thresholds]-?: number };

function assessMarket(
  m: Hip3MarketInput,
  name: string,
  th: ResolvedThresholds,
  scenarios: readonly Hip3StressScenario[],
): Hip3MarketAssessment {
  const oi = parseNonNegative(m.openInterestUsd, `${name}.openInterestUsd`);
  const volume = parseNonNegative(m.volume24hUsd, `${name}.volume24hUsd`);
  const depthText = m.depthUsd ?? '0';
  parseNonNegative(depthText, `${name}.depthUsd`);
  positiveInteger(`${name}.maxLeverage`, m.maxLeverage, 50);
  if (m.marginTiers !== undefined)
    checkMarginTiers(`${name}.marginTiers`, m.marginTiers, m.maxLeverage);
  const age = nonNegativeNumber(`${name}.oracle.lastUpdateAgeMs`, m.oracle.lastUpdateAgeMs);
  const deviation = nonNegativeNumber(`${name}.oracle.markDeviation`, m.oracle.markDeviation);
  const persisted = nonNegativeNumber(
    `${name}.oracle.deviationPersistedMs`,
    m.oracle.deviationPersistedMs ?? 0,
  );
  const cap = parseOptional(
    m.openInterestCapUsd,
    `${name}.openInterestCapUsd`,
    null,
    parseNonNegative,
  );

  let level: RiskLevel = 'low';
  let tier: SlashingTier | null = null;
  const reasons: string[] = [];
  const actions = new Set<Hip3Action>();
  const raiseTier = (next: SlashingTier) => {
    if (tier === null || tierRank(next) > tierRank(tier)) tier = next;
  };

  if (age > th.deadMs) {
    level = 'critical';
    raiseTier('invalidOrProlonged');
    actions.add('considerHalt');
    reasons.push(
      `oracle not updated for ${age / 1000} s (> ${th.deadMs / 1000} s: feed dead, prolonged downtime)`,
    );
  } else if (age > th.staleMs) {
    level = maxRiskLevel(level, 'high');
    raiseTier('briefDowntime');
    reasons.push(
      `oracle not updated for ${age / 1000} s (> ${th.staleMs / 1000} s: mark fell back to the local mark)`,
    );
  }

  const atL2 = deviation >= th.l2Deviation;
  if (atL2 && persisted >= th.l3DurationMs) {
    level = 'critical';
    raiseTier('invalidOrProlonged');
    actions.add('considerHalt').add('lowerLeverage').add('lowerOiCap');
    reasons.push(
      `mark deviates ${pct(deviation)} for ${persisted / 1000} s (L3: consider halting)`,
    );
  } else if (atL2 && persisted >= th.l2DurationMs) {
    level = maxRiskLevel(level, 'high');
    raiseTier('degradation');
    actions.add('lowerLeverage').add('lowerOiCap');
    reasons.push(`mark deviates ${pct(deviation)} for ${persisted / 1000} s (L2: lower leverage)`);
  } else if (deviation >= th.l1Deviation) {
    level = maxRiskLevel(level, 'medium');
    actions.add('lowerOiCap');
    reasons.push(`mark deviates ${pct(deviation)} (L1: lower OI caps)`);
  }

  const oiToVolume = volume === 0n ? null : toNumber(oi) / toNumber(volume);
  if (
    (oiToVolume === null && oi > 0n) ||
    (oiToVolume !== null && oiToVolume >= th.oiToVolumeHigh)
  ) {
    level = maxRiskLevel(level, 'high');
    actions.add('lowerOiCap');
    reasons.push(
      oiToVolume === null
        ? 'open interest with no 24 h volume'
        : `OI is ${oiToVolume.toFixed(2)}× 24 h volume`,
    );
  } else if (oiToVolume !== null && oiToVolume >= th.oiToVolumeMedium) {
    level = maxRiskLevel(level, 'medium');
    reasons.push(`OI is ${oiToVolume.toFixed(2)}× 24 h volume`);
  }
  if (cap !== null && cap > 0n && oi * 10n >= cap * 9n) {
    level = maxRiskLevel(level, 'medium');
    reasons.push(`OI at ${pct(toNumber(oi) / toNumber(cap))} of its cap`);
  }

  // Leverage advice: a max-leverage position loses its whole margin on a move of 1/maxLeverage.
  let gap: number;
  if (m.session === 'marketHours') gap = 0.1;
  else if (m.dailyVolatility !== undefined)
    gap = 3 * finiteNumber(`${name}.dailyVolatility`, m.dailyVolatility);
  else gap = 0.05;
  if (!(gap > 0)) fail(`${name}.dailyVolatility`, '> 0', m.dailyVolatility);
  const recommendedMaxLeverage = Math.max(1, Math.min(50, Math.floor(1 / gap + 1e-9)));
  if (m.maxLeverage > recommendedMaxLeverage) {
    level = maxRiskLevel(level, 'medium');
    actions.add('lowerLeverage');
    reasons.push(
      `max leverage ${m.maxLeverage}× exceeds ${recommendedMaxLeverage}× for a ${pct(gap)} gap`,
    );
  }

  // OI cap advice, in whole USD (setOpenInterestCaps takes an integer notional).
  let capAdvice: Fixed = mul(volume, fromNumber(th.oiCapToVolume), 'floor');
  if (deviation >= th.l1Deviation) capAdvice = capAdvice / 2n;
  const floorCap = (oi + 1n) / 2n; // HL: cap ≥ half the current OI
  if (capAdvice < floorCap) capAdvice = floorCap;
  capAdvice = ((capAdvice + WAD - 1n) / WAD) * WAD; // whole USD, rounded up so the floor holds
  if (cap !== null && cap > capAdvice) actions.add('lowerOiCap');

  const stress: Hip3StressResult[] = [];
  for (const scenario of scenarios) {
    const r = hip3StressTest({
      market: {
        openInterestUsd: m.openInterestUsd,
        maxLeverage: m.maxLeverage,
        depthUsd: depthText,
        session: m.session,
      },
      scenario,
    });
    if (r !== null) stress.push(r);
  }

  return {
    coin: m.coin,
    level,
    reasons,
    slashingTier: tier,
    oiToVolume,
    recommendedMaxLeverage,
    gapMoveFraction: gap,
    recommendedMarginTiers:
      m.marginTiers === undefined ? null : capMarginTiers(m.marginTiers, recommendedMaxLeverage),
    recommendedOpenInterestCapUsd: formatDecimal(capAdvice),
    actions: [...actions],
    stress,
  };
}

function checkMarginTiers(
  name: string,
  tiers: readonly Hip3MarginTier[],
  maxLeverage: number,
): void {
  if (tiers.length === 0) throw new EmptyTierTableError(name);
  if (tiers.length > 3)
    throw new InvalidParameterError(name, `has ${tiers.length} tiers (HIP-3: ≤ 3)`);
  let previous: { bound: Fixed; leverage: number } | null = null;
  for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i] as Hip3MarginTier;
    const bound = parseNonNegative(t.lowerBound, `${name}[${i}].lowerBound`);
    positiveInteger(`${name}[${i}].maxLeverage`, t.maxLeverage, 50);
    if (i === 0 && (bound !== 0n || t.maxLeverage !== maxLeverage))
      throw new UnsortedTiersError(
        name,
        0,
        `must start at lowerBound 0 with maxLeverage ${maxLeverage}`,
      );
    if (previous !== null && (bound <= previous.bound || t.maxLeverage > previous.leverage))
      throw new UnsortedTiersError(name, i, 'must raise lowerBound and not maxLeverage');
    previous = { bound, leverage: t.maxLeverage };
  }
}

function capMarginTiers(tiers: readonly Hip3MarginTier[], cap: number): Hip3MarginTier[] {
  const out: Hip3MarginTier[] = [];
  for (const t of tiers) {
    const maxLeverage = Math.min(t.maxLeverage, cap);
    if (out.length > 0 && (out[out.length - 1] as Hip3MarginTier).maxLeverage === maxLeverage)
      continue;
    out.push({ lowerBound: t.lowerBound, maxLeverage });
  }
  return out;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)} %`;
}
