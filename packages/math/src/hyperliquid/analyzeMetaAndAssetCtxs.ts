import { InvalidPayloadError } from '../errors.js';
import { annualizeRateFixed } from '../funding/annualizeRate.js';
import { hip3PremiumIndexFixed, premiumIndexFixed } from '../funding/premiumIndex.js';
import type { DecimalString } from '../internal/args.js';
import { divRound, formatDecimal, formatOrNull, WAD } from '../internal/decimal.js';
import { arr, dec, num, obj, optionalDec, str } from './payload.js';

/** Which premium formula a market uses: validator perps (main dex) or HIP-3 (builder-deployed) perps. */
export type PremiumStyle = 'validator' | 'hip3';

/** Per-market figures computed from a `metaAndAssetCtxs` response. */
export type HyperliquidMarketSummary = {
  coin: string;
  premiumStyle: PremiumStyle;
  markPrice: DecimalString;
  oraclePrice: DecimalString;
  midPrice: DecimalString | null;
  impactBid: DecimalString | null;
  impactAsk: DecimalString | null;
  /** Instantaneous premium computed from `impactPxs` and `oraclePx`, rounded half-even to 10 dp like the API; `null` without impact prices. */
  premium: DecimalString | null;
  /** `premium` as reported by the exchange, `null` when absent. */
  exchangePremium: DecimalString | null;
  /** Current hourly funding rate (`funding`), interval 1 h. */
  fundingRate: { rate: DecimalString; intervalHours: 1 };
  /** `funding × 8760` (simple APR). */
  fundingApr: DecimalString;
  /** Open interest in base units and in quote currency at the oracle price. */
  openInterest: DecimalString;
  openInterestUsd: DecimalString;
  maxLeverage: number;
  marginTableId: number | null;
  /** `(mark − oracle) / oracle`. */
  markOracleDeviation: DecimalString;
};

/**
 * Summarizes every market of a Hyperliquid `metaAndAssetCtxs` response (`[meta, assetCtxs]`, ctxs in
 * universe order): premium (recomputed with the dex's formula), funding rate and APR, open interest,
 * mark/oracle deviation. HIP-3 markets (names `dex:COIN`) use `0.5·(impactBid + impactAsk)/oracle − 1`, the
 * main dex the validator formula; override with `premiumStyle`.
 *
 * @throws {InvalidPayloadError} naming the JSON path on a malformed payload.
 * @example
 * const markets = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: json });
 * markets.find((m) => m.coin === 'BTC')?.premium // '-0.0001657051'
 */
export function analyzeMetaAndAssetCtxs(params: {
  metaAndAssetCtxs: unknown;
  premiumStyle?: PremiumStyle;
}): HyperliquidMarketSummary[] {
  const root = arr(params.metaAndAssetCtxs, 'metaAndAssetCtxs');
  const meta = obj(root[0], 'metaAndAssetCtxs[0]');
  const universe = arr(meta.universe, 'metaAndAssetCtxs[0].universe');
  const ctxs = arr(root[1], 'metaAndAssetCtxs[1]');
  if (ctxs.length !== universe.length) {
    throw new InvalidPayloadError(
      'metaAndAssetCtxs[1]',
      `has ${ctxs.length} contexts for ${universe.length} universe entries`,
    );
  }
  return universe.map((u, i): HyperliquidMarketSummary => {
    const at = `metaAndAssetCtxs[0].universe[${i}]`;
    const asset = obj(u, at);
    const coin = str(asset.name, `${at}.name`);
    const path = `metaAndAssetCtxs[1][${i}]`;
    const ctx = obj(ctxs[i], path);
    const oracle = dec(ctx.oraclePx, `${path}.oraclePx`);
    const mark = dec(ctx.markPx, `${path}.markPx`);
    const funding = dec(ctx.funding, `${path}.funding`);
    const oi = dec(ctx.openInterest, `${path}.openInterest`);
    const style: PremiumStyle = params.premiumStyle ?? (coin.includes(':') ? 'hip3' : 'validator');
    let impactBid: bigint | null = null;
    let impactAsk: bigint | null = null;
    if (ctx.impactPxs !== null && ctx.impactPxs !== undefined) {
      const [b, a] = arr(ctx.impactPxs, `${path}.impactPxs`);
      impactBid = dec(b, `${path}.impactPxs[0]`);
      impactAsk = dec(a, `${path}.impactPxs[1]`);
    }
    let premium: string | null = null;
    if (impactBid !== null && impactAsk !== null && oracle > 0n) {
      const p =
        style === 'hip3'
          ? hip3PremiumIndexFixed(impactBid, impactAsk, oracle)
          : premiumIndexFixed(impactBid, impactAsk, oracle);
      premium = formatDecimal(p, { decimals: 10 });
    }
    if (oracle <= 0n) throw new InvalidPayloadError(`${path}.oraclePx`, 'must be > 0');
    return {
      coin,
      premiumStyle: style,
      markPrice: formatDecimal(mark),
      oraclePrice: formatDecimal(oracle),
      midPrice: optionalDec(ctx.midPx, `${path}.midPx`),
      impactBid: formatOrNull(impactBid),
      impactAsk: formatOrNull(impactAsk),
      premium,
      exchangePremium: optionalDec(ctx.premium, `${path}.premium`),
      fundingRate: { rate: formatDecimal(funding), intervalHours: 1 },
      fundingApr: formatDecimal(annualizeRateFixed(funding, WAD)),
      openInterest: formatDecimal(oi),
      openInterestUsd: formatDecimal(divRound(oi * oracle, WAD, 'halfEven')),
      maxLeverage: num(asset.maxLeverage, `${at}.maxLeverage`),
      marginTableId:
        asset.marginTableId === undefined ? null : num(asset.marginTableId, `${at}.marginTableId`),
      markOracleDeviation: formatDecimal(divRound((mark - oracle) * WAD, oracle, 'halfEven')),
    };
  });
}
