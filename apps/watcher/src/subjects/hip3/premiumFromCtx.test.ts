import { HlMetaAndAssetCtxs, HlPerpAssetCtx } from '@perpscope/hyperliquid';
import { describe, expect, it } from 'vitest';
import { premiumFromCtx } from './premiumFromCtx.js';
import { readHlFixture } from './testFixtures.js';

// Golden data: real captures of 2026-02-06 (fixtures README: sonirico/go-hyperliquid
// testdata/MetaAndAssetCtxs.yaml, interactions 3 and 4).
const cases = [
  { file: 'info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json', dex: 'xyz', rows: 33 },
  { file: 'info.metaAndAssetCtxs.main.mainnet.2026-02-06.json', dex: '', rows: 190 },
] as const;

describe('premiumFromCtx against the recorded metaAndAssetCtxs', () => {
  for (const { file, dex, rows } of cases) {
    it(`reproduces the recorded premium on every non-null row of ${file}`, () => {
      const [, raw] = HlMetaAndAssetCtxs.parse(readHlFixture(file));
      const ctxs = raw.map((r) => HlPerpAssetCtx.parse(r)).filter((c) => c.premium !== null);
      expect(ctxs).toHaveLength(rows);
      for (const c of ctxs) {
        const got = premiumFromCtx(c, dex);
        expect(got, `${c.oraclePx} ${c.impactPxs}`).not.toBeNull();
        expect(Number(got)).toBe(Number(c.premium));
      }
    });
  }

  it('returns null without impact prices', () => {
    expect(premiumFromCtx({ impactPxs: null, oraclePx: '1.0' }, 'xyz')).toBeNull();
  });
});
