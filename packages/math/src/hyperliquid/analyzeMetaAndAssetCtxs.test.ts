import { describe, expect, it } from 'vitest';
import xyz from '../../test/vectors/hyperliquid/info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json' with {
  type: 'json',
};
import main from '../../test/vectors/hyperliquid/info.metaAndAssetCtxs.main.mainnet.2026-02-06.json' with {
  type: 'json',
};
import { InvalidPayloadError } from '../errors.js';
import { parseDecimal } from '../internal/decimal.js';
import { analyzeMetaAndAssetCtxs } from './analyzeMetaAndAssetCtxs.js';

// Source: https://github.com/sonirico/go-hyperliquid/blob/master/testdata/MetaAndAssetCtxs.yaml
// (interactions 3 and 4), recorded 2026-02-06 on mainnet; copied from ../shared/fixtures/hyperliquid/.
describe('analyzeMetaAndAssetCtxs — real captures', () => {
  it.each([
    ['main dex (validator formula)', main, 'validator', 190],
    ['xyz HIP-3 dex (HIP-3 formula)', xyz, 'hip3', 33],
  ] as const)(
    '%s: premium equals the recorded premium on every non-null row',
    (_, json, style, rows) => {
      const markets = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: json });
      const withPremium = markets.filter((m) => m.exchangePremium !== null && m.premium !== null);
      expect(withPremium).toHaveLength(rows);
      for (const m of withPremium) {
        expect(m.premiumStyle).toBe(style);
        expect({ coin: m.coin, premium: parseDecimal(m.premium!) }).toEqual({
          coin: m.coin,
          premium: parseDecimal(m.exchangePremium!),
        });
      }
      // Markets without impact prices have no premium rather than a made-up one.
      for (const m of markets.filter((x) => x.impactBid === null)) expect(m.premium).toBeNull();
    },
  );

  it('funding APR = hourly funding × 8760', () => {
    const btc = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: main }).find((m) => m.coin === 'BTC')!;
    expect(btc.fundingRate).toEqual({ rate: '-0.000003688', intervalHours: 1 });
    expect(btc.fundingApr).toBe('-0.03230688');
    expect(btc.premium).toBe('-0.0001657051');
    expect(btc.marginTableId).toBe(56);
    const tsla = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: xyz }).find(
      (m) => m.coin === 'xyz:TSLA',
    )!;
    expect(tsla.fundingApr).toBe('0.05475'); // 0.00000625 × 8760
  });

  it('premiumStyle overrides the dex detection (HIP-3 formula on a main-dex row differs)', () => {
    const btc = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: main, premiumStyle: 'hip3' }).find(
      (m) => m.coin === 'BTC',
    )!;
    // 0.5·(66371 + 66372)/66383 − 1 = −0.00017323712396… (Python decimal)
    expect(btc.premium).toBe('-0.0001732371');
    expect(btc.premium).not.toBe(btc.exchangePremium);
  });

  it('rejects a payload whose contexts do not line up with the universe', () => {
    expect(() => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: [main[0], []] })).toThrow(
      InvalidPayloadError,
    );
    expect(() => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: {} })).toThrow(/must be an array/);
  });
});
