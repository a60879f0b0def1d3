import { oneOf, parseNonNegative, parsePositive } from '../internal/args.js';
import { formatDecimal, mul, parseDecimal } from '../internal/decimal.js';

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
 * Tiers ordered from least to most severe.
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
 * Maximum slashed fraction of stake per tier, decimal strings (HIP-3 guideline caps).
 *
 * @example
 * SLASHING_MAX_FRACTION.briefDowntime // '0.5'
 */
export const SLASHING_MAX_FRACTION: Readonly<Record<SlashingTier, string>> = {
  degradation: '0.2',
  briefDowntime: '0.5',
  invalidOrProlonged: '1',
};

/** Parameters of {@link slashingExposure}. */
export type SlashingExposureParameters = {
  /** Staked HYPE, decimal string ≥ 0. */
  readonly stakeHype: string;
  /**
   * HYPE in the 7-day unstaking queue, decimal string ≥ 0 (default `'0'`): still slashable
   * ("even if the deployer has unstaked and initiated a staking withdrawal").
   */
  readonly unstakingHype?: string;
  readonly tier: SlashingTier;
  /** HYPE price in USD, decimal string > 0, to express the exposure in USD. Optional. */
  readonly hypePriceUsd?: string;
};

/** Result of {@link slashingExposure}. Decimal strings. */
export type SlashingExposure = {
  readonly tier: SlashingTier;
  /** Guideline cap of the tier as a fraction (`'0.5'`). */
  readonly maxFraction: string;
  /** Worst-case slashed (burned) HYPE: `(stake + unstaking) × maxFraction`. */
  readonly hypeAtRisk: string;
  /** `hypeAtRisk × hypePriceUsd`, or `null` without a price. */
  readonly usdAtRisk: string | null;
  /** Slashable HYPE left after the worst case. */
  readonly remainingHype: string;
};

/**
 * Worst-case slashing of a HIP-3 deployer's stake under one guideline tier. The stake amount is a
 * parameter (500k HYPE on mainnet today; founding note 4 says 5M).
 *
 * @throws {InvalidDecimalError} an amount is not a decimal string.
 * @throws {InvalidParameterError} a negative stake, a non-positive price or an unknown tier.
 * @example
 * slashingExposure({ stakeHype: '500000', tier: 'briefDowntime', hypePriceUsd: '40' })
 * // { tier: 'briefDowntime', maxFraction: '0.5', hypeAtRisk: '250000', usdAtRisk: '10000000', remainingHype: '250000' }
 */
export function slashingExposure(params: SlashingExposureParameters): SlashingExposure {
  const stake = parseNonNegative(params.stakeHype, 'stakeHype');
  const unstaking = parseNonNegative(params.unstakingHype ?? '0', 'unstakingHype');
  const fractionText = SLASHING_MAX_FRACTION[oneOf('tier', params.tier, SLASHING_TIERS)];
  const fraction = parseDecimal(fractionText);
  const base = stake + unstaking;
  const atRisk = mul(base, fraction, 'ceil'); // worst case: round the loss up
  let usd: string | null = null;
  if (params.hypePriceUsd !== undefined) {
    const price = parsePositive(params.hypePriceUsd, 'hypePriceUsd');
    usd = formatDecimal(mul(atRisk, price, 'ceil'));
  }
  return {
    tier: params.tier,
    maxFraction: fractionText,
    hypeAtRisk: formatDecimal(atRisk),
    usdAtRisk: usd,
    remainingHype: formatDecimal(base - atRisk < 0n ? 0n : base - atRisk),
  };
}
