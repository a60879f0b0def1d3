import { hip3PremiumIndexFixed, premiumIndexFixed } from '../funding/premiumIndex.js';
import type { DecimalString } from '../internal/args.js';
import { formatDecimal } from '../internal/decimal.js';
import { arr, dec, fail, obj, optionalDec, str } from './payload.js';

/** Which premium formula a market uses: validator perps (main dex) or HIP-3 (builder-deployed) perps. */
export type PremiumStyle = 'validator' | 'hip3';

/** Per-market figures computed from a `metaAndAssetCtxs` response. */
export type HyperliquidMarketSummary = {
  coin: string;
  /** Formula used for `premium`. */
  premiumStyle: PremiumStyle;
  /** Instantaneous premium computed from `impactPxs` and `oraclePx`, rounded half-even to 10 dp like the API; `null` without impact prices. */
  premium: DecimalString | null;
  /** `premium` as reported by the exchange, `null` when absent. */
  exchangePremium: DecimalString | null;
  /** Current hourly funding rate (`funding`), interval 1 h. */
  fundingRate: { rate: DecimalString; intervalHours: 1 };
  /** `funding × 8760` (simple APR, a fraction). */
  fundingApr: DecimalString;
};

/**
 * Summarizes every market of a Hyperliquid `metaAndAssetCtxs` response (`[meta, assetCtxs]`, ctxs in
 * universe order): premium (recomputed with the dex's formula), hourly funding rate and its APR.
 * HIP-3 markets (names `dex:COIN`) use `0.5·(impactBid + impactAsk)/oracle − 1`, the main dex the
 * validator formula `(max(impactBid − oracle, 0) − max(oracle − impactAsk, 0)) / oracle`; override with
 * `premiumStyle`.
 *
 * @throws {InvalidPayloadError} naming the JSON path on a malformed payload (e.g.
 * `metaAndAssetCtxs[1][3].funding`), when a universe entry has no context (`metaAndAssetCtxs[1][i]`
 * missing; contexts beyond the universe are ignored), or when an `oraclePx` used for a premium is not > 0.
 * @example
 * const markets = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: json });
 * markets.find((m) => m.coin === 'BTC') // { premium: '-0.0001657051', fundingApr: '-0.03230688', … }
 */
export function analyzeMetaAndAssetCtxs(params: {
  /** The `metaAndAssetCtxs` response body (parsed JSON). */
  metaAndAssetCtxs: unknown;
  /** Premium formula for every market; default: `'hip3'` for `dex:COIN` names, else `'validator'`. */
  premiumStyle?: PremiumStyle;
}): HyperliquidMarketSummary[] {
  const root = arr({ v: params, p: '' }, 'metaAndAssetCtxs');
  const universe = arr(obj(root, 0), 'universe');
  const ctxs = arr(root, 1);
  return universe.v.map((_, i): HyperliquidMarketSummary => {
    const coin = str(obj(universe, i), 'name');
    const ctx = obj(ctxs, i);
    const funding = dec(ctx, 'funding');
    const premiumStyle = params.premiumStyle ?? (coin.includes(':') ? 'hip3' : 'validator');
    let premium: string | null = null;
    if (ctx.v.impactPxs != null) {
      const pxs = arr(ctx, 'impactPxs');
      const oracle = dec(ctx, 'oraclePx');
      if (oracle <= 0n) fail(`${ctx.p}.oraclePx`, '> 0', ctx.v.oraclePx);
      premium = formatDecimal(
        (premiumStyle === 'hip3' ? hip3PremiumIndexFixed : premiumIndexFixed)(
          dec(pxs, 0),
          dec(pxs, 1),
          oracle,
        ),
        { decimals: 10 },
      );
    }
    return {
      coin,
      premiumStyle,
      premium,
      exchangePremium: optionalDec(ctx, 'premium'),
      fundingRate: { rate: formatDecimal(funding), intervalHours: 1 },
      // Hyperliquid quotes and pays funding hourly: APR = rate × 8760 / 1 h, exact.
      fundingApr: formatDecimal(funding * 8760n),
    };
  });
}
