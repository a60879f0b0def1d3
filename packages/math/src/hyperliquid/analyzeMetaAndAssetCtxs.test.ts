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
      // The exchange's own field is passed through, row by row in universe order.
      const [meta, ctxs] = json as unknown as Pair;
      markets.forEach((m, i) => {
        const ctx = ctxs[i]!;
        expect(m.coin).toBe(meta.universe[i]!.name);
        expect(m.exchangePremium === null ? null : parseDecimal(m.exchangePremium)).toEqual(
          ctx.premium === null ? null : parseDecimal(ctx.premium),
        );
        // Markets without impact prices have no premium rather than a made-up one.
        if (ctx.impactPxs === null) expect(m.premium).toBeNull();
      });
      expect(markets.filter((m) => m.premium === null).length).toBeGreaterThan(0);
    },
  );

  it('funding APR = hourly funding × 8760', () => {
    const btc = analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: main }).find((m) => m.coin === 'BTC')!;
    expect(btc.fundingRate).toEqual({ rate: '-0.000003688', intervalHours: 1 });
    expect(btc.fundingApr).toBe('-0.03230688');
    expect(btc.premium).toBe('-0.0001657051');
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

  it('rejects a payload whose contexts do not cover the universe', () => {
    const [meta, ctxs] = main as unknown as Pair;
    const short = () => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: [meta, []] });
    expect(short).toThrow(InvalidPayloadError);
    expect(short).toThrow('metaAndAssetCtxs[1][0] must be an object, got undefined');
    expect(() => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: [meta, ctxs.slice(0, -1)] })).toThrow(
      'metaAndAssetCtxs[1][227] must be an object, got undefined',
    );
    // A context beyond the universe belongs to no market and changes nothing.
    expect(analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: [meta, [...ctxs, ctxs[0]]] })).toEqual(
      analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: main }),
    );
    expect(() => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: {} })).toThrow(
      'metaAndAssetCtxs must be an array, got {}',
    );
    expect(() => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: [meta] })).toThrow(
      'metaAndAssetCtxs[1] must be an array, got undefined',
    );
  });

  it('names the JSON path of a malformed field', () => {
    const tsla = (xyz as unknown as Pair)[0].universe.findIndex((u) => u.name === 'xyz:TSLA');
    const ctx = `metaAndAssetCtxs[1][${tsla}]`;
    for (const [path, value, message] of [
      [[1, tsla, 'funding'], 0.000000625, `${ctx}.funding must be a decimal string, got 6.25e-7`],
      [
        [1, tsla, 'impactPxs'],
        ['400.0'],
        `${ctx}.impactPxs[1] must be a decimal string, got undefined`,
      ],
      [[1, tsla, 'oraclePx'], '0.0', `${ctx}.oraclePx must be > 0, got "0.0"`],
      [[1, tsla, 'premium'], 'n/a', `${ctx}.premium must be a decimal string, got "n/a"`],
      [[1, tsla], null, `${ctx} must be an object, got null`],
      [
        [0, 'universe', tsla, 'name'],
        DELETE,
        `metaAndAssetCtxs[0].universe[${tsla}].name must be a string, got undefined`,
      ],
    ] as const) {
      const run = () => analyzeMetaAndAssetCtxs({ metaAndAssetCtxs: edited(xyz, path, value) });
      expect(run).toThrow(InvalidPayloadError);
      expect(run).toThrow(message);
    }
  });
});

/** The typed view of a `metaAndAssetCtxs` capture that these tests read. */
type Pair = [
  { universe: { name: string }[] },
  { premium: string | null; impactPxs: string[] | null }[],
];

const DELETE = Symbol('delete');

/** A deep copy of `json` with the value at `path` replaced (or deleted with {@link DELETE}). */
function edited(json: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(json);
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
  return copy;
}
