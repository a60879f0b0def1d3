import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import docsIsolatedEth from '../../test/vectors/hyperliquid/docs.info.clearinghouseState.isolated-ETH.json' with {
  type: 'json',
};
import docsMeta from '../../test/vectors/hyperliquid/docs.info.meta.main.json' with {
  type: 'json',
};
import crossBtc from '../../test/vectors/hyperliquid/info.clearinghouseState.cross-BTC-small.roq-test.2026-02-03.json' with {
  type: 'json',
};
import metaMain2025 from '../../test/vectors/hyperliquid/info.meta.main.mainnet.2025-12-13.json' with {
  type: 'json',
};
import xyzMetaAndCtxs from '../../test/vectors/hyperliquid/info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json' with {
  type: 'json',
};
import metaAndCtxsMain from '../../test/vectors/hyperliquid/info.metaAndAssetCtxs.main.mainnet.2026-02-06.json' with {
  type: 'json',
};
import { InvalidPayloadError } from '../errors.js';
import { formatDecimal, parseDecimal } from '../internal/decimal.js';
import { liquidationPrice } from '../margin/liquidationPrice.js';
import {
  hyperliquidMarginTable,
  maintenanceMargin,
  marginTableFromHyperliquid,
} from '../margin/marginTable.js';
import { analyzeClearinghouseState } from './analyzeClearinghouseState.js';

const rel = (a: string, b: string) => Math.abs(Number(a) - Number(b)) / Math.abs(Number(b));

describe('analyzeClearinghouseState — recorded standard-account responses', () => {
  it('docs isolated ETH example reproduces liquidationPx within 1e-6 relative', () => {
    // Source: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals
    // (docs.info.clearinghouseState.isolated-ETH.json with the same page's meta example, where ETH has
    // maxLeverage 50 and no marginTableId: one tier at 50x).
    const risk = analyzeClearinghouseState({ clearinghouseState: docsIsolatedEth, meta: docsMeta });
    const p = risk.positions[0]!;
    expect(p.coin).toBe('ETH');
    expect(p.marginMode).toBe('isolated');
    expect(p.side).toBe('long');
    expect(p.size).toBe('0.0335');
    expect(p.exchangeLiquidationPrice).toBe('2866.26936529');
    expect(rel(p.liquidationPrice!, '2866.26936529')).toBeLessThan(1e-6);
    expect(p.maintenanceMargin).toBe('1.0002765'); // 100.02765 / (2·50)
    expect(p.markPrice).toBe('2985.9'); // 100.02765 / 0.0335
    // (2985.9 − 2866.2693803708…) / 2985.9 = 0.0400651…
    expect(p.distance!.percent.startsWith('4.0065')).toBe(true);
    expect(p.distance!.fraction.startsWith('0.040065')).toBe(true);
    expect(p.distance!.sigmas).toBeNull(); // no volatility given
    expect(risk.crossMaintenanceMargin).toBe('0'); // no cross position
  });

  it('falls back to the position maxLeverage when meta lacks the coin, with the same result', () => {
    for (const meta of [{ universe: [] }, null, undefined]) {
      const p = analyzeClearinghouseState({ clearinghouseState: docsIsolatedEth, meta })
        .positions[0]!;
      expect(p.maintenanceMargin).toBe('1.0002765'); // position maxLeverage 50
      expect(rel(p.liquidationPrice!, '2866.26936529')).toBeLessThan(1e-6);
    }
  });

  it('cross BTC account: null liquidation price like the exchange, cross maintenance 0.595779', () => {
    // Source: https://github.com/roq-trading/roq-hyperliquid/blob/master/test/json_get_clearing_house_state_ack.cpp
    // BTC uses margin table 56 ("tiered 40x") in the 2026-02-06 meta.
    const risk = analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: metaAndCtxsMain });
    const p = risk.positions[0]!;
    expect(p.exchangeLiquidationPrice).toBeNull();
    expect(p.liquidationPrice).toBeNull();
    expect(p.distance).toBeNull();
    expect(p.marginMode).toBe('cross');
    // 47.66235 / 80 = 0.595779375; the exchange truncates to 6 dp (crossMaintenanceMarginUsed 0.595779).
    expect(p.maintenanceMargin).toBe('0.595779375');
    expect(risk.crossMaintenanceMargin).toBe('0.595779375');
    expect(risk.crossMaintenanceMargin.slice(0, 8)).toBe(crossBtc.crossMaintenanceMarginUsed);
  });

  it('cross account with two positions: each liquidation price puts the account exactly at maintenance', () => {
    // Synthetic account built from the identities in hyperliquid.md §3.1 (accountValue = totalRawUsd +
    // Σ szi·markPx). At the computed BTC price, account value = Σ maintenance (ETH held at its mark).
    const state = {
      marginSummary: { accountValue: '10000.0' },
      crossMarginSummary: { accountValue: '10000.0' },
      crossMaintenanceMarginUsed: '0',
      assetPositions: [
        position({ coin: 'BTC', szi: '2.0', positionValue: '200000.0', marginUsed: '10000.0' }),
        position({ coin: 'ETH', szi: '-30.0', positionValue: '90000.0', marginUsed: '3600.0' }),
      ],
      time: 1,
    };
    const risk = analyzeClearinghouseState({ clearinghouseState: state, meta: metaAndCtxsMain });
    const [btc, eth] = risk.positions;
    // BTC mmr 1/80, ETH mmr 1/50: MM = 2500 + 1800
    expect(btc!.maintenanceMargin).toBe('2500');
    expect(eth!.maintenanceMargin).toBe('1800');
    expect(risk.crossMaintenanceMargin).toBe('4300');
    const liq = parseDecimal(btc!.liquidationPrice!);
    const mark = parseDecimal(btc!.markPrice);
    const av = parseDecimal('10000') + 2n * (liq - mark);
    const mm = (2n * liq) / 80n + parseDecimal('1800');
    expect(av - mm >= -10n && av - mm <= 10n).toBe(true);
    expect(eth!.side).toBe('short');
    expect(eth!.size).toBe('30');
    expect(Number(eth!.liquidationPrice)).toBeGreaterThan(3000);
  });

  it.each([
    ['meta (2025-12-13)', metaMain2025],
    ['metaAndAssetCtxs (2026-02-06)', metaAndCtxsMain],
  ] as const)('uses the second tier of table 56 from %s', (_, meta) => {
    // BTC marginTableId 56 "tiered 40x": 40x from 0, 20x from 150,000,000 (both captures). A 200 M
    // position: MM = 200e6·(1/40) − 150e6·(1/40 − 1/80) = 5,000,000 − 1,875,000 = 3,125,000, where the
    // position's own maxLeverage (40, one tier) would give 2,500,000.
    const state = {
      crossMarginSummary: { accountValue: '20000000.0' },
      assetPositions: [
        position({ coin: 'BTC', szi: '2000.0', positionValue: '200000000.0', marginUsed: '1' }),
      ],
    };
    const p = analyzeClearinghouseState({ clearinghouseState: state, meta }).positions[0]!;
    expect(p.maintenanceMargin).toBe('3125000');
    expect(p.markPrice).toBe('100000');
    // Account at maintenance: 20e6 + 2000·(X − 100000) = 2000·X/40 − 1,875,000 → X = 178,125,000/1950
    // (notional 2000·X ≈ 182.7 M, still in the second tier).
    expect(rel(p.liquidationPrice!, String(178_125_000 / 1950))).toBeLessThan(1e-12);
  });

  it('HIP-3 isolated position: table id < 50 from the xyz meta means one tier at that leverage', () => {
    // xyz:TSLA has marginTableId 10 in the 2026-02-06 xyz capture (not in its marginTables) → mmr
    // 1/(2·10) = 5 %. Same inputs as the synthetic HIP-3 row of research/perp-math.md §4 C (XYZ-TSLA long
    // 350 × 1, margin 50 → 315.789…).
    const tsla = {
      coin: 'xyz:TSLA',
      szi: '1.0',
      leverage: { type: 'isolated', value: 7, rawUsd: '-300.0' },
      entryPx: '350.0',
      positionValue: '350.0',
      liquidationPx: null,
      marginUsed: '50.0',
    };
    // Without its own maxLeverage, the position can only have been priced from the meta's table 10.
    const state = {
      marginSummary: { accountValue: '50.0' },
      crossMarginSummary: { accountValue: '0.0' },
      assetPositions: [{ type: 'oneWay', position: tsla }],
    };
    const p = analyzeClearinghouseState({ clearinghouseState: state, meta: xyzMetaAndCtxs })
      .positions[0]!;
    expect(p.maintenanceMargin).toBe('17.5'); // 350 × 5 %
    expect(p.liquidationPrice).toBe('315.789473684210526316');
    expect(p.exchangeLiquidationPrice).toBeNull();
  });
});

describe('analyzeClearinghouseState — meta without margin tables', () => {
  // Older `meta` responses (before margin tables) list only `maxLeverage` per coin.
  const state = docsIsolatedEth; // ETH isolated, positionValue 100.02765, position maxLeverage 50

  it('an entry without marginTableId means one tier at its maxLeverage (marginTables absent or not)', () => {
    for (const meta of [
      { universe: [{ name: 'ETH', szDecimals: 4, maxLeverage: 25 }] },
      { universe: [{ name: 'ETH', szDecimals: 4, maxLeverage: 25 }], marginTables: [] },
    ]) {
      const p = analyzeClearinghouseState({ clearinghouseState: state, meta }).positions[0]!;
      // The meta's 25x wins over the position's 50x: 100.02765 / (2·25).
      expect(p.maintenanceMargin).toBe('2.000553');
    }
  });

  it('an id ≥ 50 missing from marginTables (or without marginTables) is a payload error naming it', () => {
    for (const marginTables of [undefined, docsMeta.marginTables]) {
      const meta = {
        universe: [
          { name: 'BTC', maxLeverage: 50 },
          { name: 'ETH', maxLeverage: 40, marginTableId: 56 },
        ],
        ...(marginTables ? { marginTables } : {}),
      };
      const run = () => analyzeClearinghouseState({ clearinghouseState: state, meta });
      expect(run).toThrow(InvalidPayloadError);
      expect(run).toThrow(
        'meta.universe[1].marginTableId must be in marginTables or an integer < 50, got 56',
      );
    }
    // Inside a metaAndAssetCtxs pair the path starts at meta[0].
    const pair = [{ universe: [{ name: 'ETH', maxLeverage: 40, marginTableId: 51.5 }] }, []];
    expect(() => analyzeClearinghouseState({ clearinghouseState: state, meta: pair })).toThrow(
      'meta[0].universe[0].marginTableId must be in marginTables or an integer < 50, got 51.5',
    );
    // A table that does exist is used even though the id is ≥ 50.
    const listed = {
      universe: [{ name: 'ETH', maxLeverage: 40, marginTableId: 51 }],
      marginTables: docsMeta.marginTables, // 51: "tiered 10x", 10x from 0
    };
    expect(
      analyzeClearinghouseState({ clearinghouseState: state, meta: listed }).positions[0]!
        .maintenanceMargin,
    ).toBe('5.0013825'); // 100.02765 / 20
  });

  it('a non-integer id below 50 is rejected rather than used as a leverage', () => {
    const meta = { universe: [{ name: 'ETH', maxLeverage: 10, marginTableId: 10.5 }] };
    expect(() => analyzeClearinghouseState({ clearinghouseState: state, meta })).toThrow(
      /meta\.universe\[0\]\.marginTableId must be in marginTables or an integer < 50, got 10\.5/,
    );
  });
});

// Paths start at the parameter that holds the payload (`clearinghouseState.…`, `meta.…`, `meta[0].…`).
describe('analyzeClearinghouseState — malformed payloads name the JSON path', () => {
  const P = ['assetPositions', 0, 'position'] as const;

  it.each([
    [
      [...P, 'szi'],
      0.00061,
      'clearinghouseState.assetPositions[0].position.szi must be a decimal string, got 0.00061',
    ],
    [
      [...P, 'leverage', 'type'],
      'portfolio',
      'clearinghouseState.assetPositions[0].position.leverage.type must be "cross" or "isolated", got "portfolio"',
    ],
    [
      [...P, 'positionValue'],
      '-47.66235',
      'clearinghouseState.assetPositions[0].position.positionValue must be ≥ 0, got "-47.66235"',
    ],
    [
      [...P, 'liquidationPx'],
      '1e5',
      'clearinghouseState.assetPositions[0].position.liquidationPx must be a decimal string, got "1e5"',
    ],
    [
      [...P, 'coin'],
      DELETE,
      'clearinghouseState.assetPositions[0].position.coin must be a string, got undefined',
    ],
    [P, DELETE, 'clearinghouseState.assetPositions[0].position must be an object, got undefined'],
    [
      ['crossMarginSummary', 'accountValue'],
      null,
      'clearinghouseState.crossMarginSummary.accountValue must be a decimal string, got null',
    ],
    [['assetPositions'], {}, 'clearinghouseState.assetPositions must be an array, got {}'],
  ] as const)('%j = %s', (path, value, message) => {
    const run = () =>
      analyzeClearinghouseState({
        clearinghouseState: edited(crossBtc, path, value),
        meta: metaAndCtxsMain,
      });
    const error = thrown(run);
    expect(error.message).toBe(message);
    // The path is the message up to " must be", rooted at the parameter name.
    expect(error.path).toBe(message.slice(0, message.indexOf(' must be')));
  });

  it('isolated positions need marginUsed; coins missing from meta need maxLeverage', () => {
    const noMargin = edited(docsIsolatedEth, [...P, 'marginUsed'], DELETE);
    expect(() =>
      analyzeClearinghouseState({ clearinghouseState: noMargin, meta: docsMeta }),
    ).toThrow(
      'clearinghouseState.assetPositions[0].position.marginUsed must be a decimal string, got undefined',
    );
    const badMax = edited(crossBtc, [...P, 'maxLeverage'], '40');
    expect(() => analyzeClearinghouseState({ clearinghouseState: badMax, meta: null })).toThrow(
      'clearinghouseState.assetPositions[0].position.maxLeverage must be a number ≥ 1, got "40"',
    );
  });

  it('names paths inside meta: universe names and margin tiers', () => {
    const meta = edited(metaMain2025, ['universe', 3, 'name'], 7);
    expect(() => analyzeClearinghouseState({ clearinghouseState: crossBtc, meta })).toThrow(
      'meta.universe[3].name must be a string, got 7',
    );
    const [{ marginTables }] = metaAndCtxsMain as unknown as [{ marginTables: [number][] }];
    const t56 = marginTables.findIndex((t) => t[0] === 56);
    const pair = edited(
      metaAndCtxsMain,
      [0, 'marginTables', t56, 1, 'marginTiers', 1, 'lowerBound'],
      '1.5e8',
    );
    // The table builder's message under the path of the id that names the table (BTC: universe[0]).
    expect(() => analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: pair })).toThrow(
      'meta[0].universe[0].marginTableId 56 names a bad table: marginTiers[1].lowerBound must be a decimal string, got "1.5e8"',
    );
  });

  it('a margin table that cannot be built is a payload error naming the table', () => {
    const [{ marginTables }] = metaAndCtxsMain as unknown as [{ marginTables: [number][] }];
    const t56 = marginTables.findIndex((t) => t[0] === 56);
    const tiers = [0, 'marginTables', t56, 1, 'marginTiers'] as const;
    // Under the path of BTC's marginTableId (56), the table builder's message.
    const at = 'meta[0].universe[0].marginTableId';
    for (const [meta, message] of [
      [
        edited(metaAndCtxsMain, [...tiers, 1, 'lowerBound'], '0.0'),
        `${at} 56 names a bad table: marginTiers[1] lowerBound must be greater than the previous tier`,
      ],
      [
        edited(metaAndCtxsMain, tiers, []),
        `${at} 56 names a bad table: marginTiers must not be empty`,
      ],
      [
        edited(metaAndCtxsMain, [...tiers, 1, 'maxLeverage'], 0),
        `${at} 56 names a bad table: marginTiers[1].maxLeverage must be > 0, got "0"`,
      ],
      [
        edited(metaAndCtxsMain, [...tiers, 1, 'maxLeverage'], 0.5),
        `${at} 56 names a bad table: marginTiers[1].maxLeverage must be > 0.5, got 0.5`, // mmr 1/(2·0.5) = 1
      ],
    ] as const) {
      const error = thrown(() => analyzeClearinghouseState({ clearinghouseState: crossBtc, meta }));
      expect(error.message).toBe(message);
      expect(error.path).toBe(at);
    }
    // A tier that is not an object: still a payload error under the id's path.
    const nullTier = edited(metaAndCtxsMain, [...tiers, 1], null);
    const error = thrown(() =>
      analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: nullTier }),
    );
    expect(error.path).toBe(at);
    expect(error.message).toBe(
      `${at} 56 names a bad table: marginTiers[1].maxLeverage must be a decimal string, got undefined`,
    );
    // A marginTables that is not a list names itself; an [id] pair without a table names the id.
    const notList = edited(metaAndCtxsMain, [0, 'marginTables'], {});
    expect(() =>
      analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: notList }),
    ).toThrow('meta[0].marginTables must be an array, got {}');
    const noTable = edited(metaAndCtxsMain, [0, 'marginTables'], [[56]]);
    const e = thrown(() =>
      analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: noTable }),
    );
    expect(e).toBeInstanceOf(InvalidPayloadError);
    expect(e.path).toBe(at);
  });

  it('rejects a missing state and a meta that is not an object', () => {
    expect(() => analyzeClearinghouseState({ clearinghouseState: null, meta: {} })).toThrow(
      'clearinghouseState must be an object, got null',
    );
    expect(() => analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: 'meta' })).toThrow(
      'meta must be an object, got "meta"',
    );
  });
});

const DELETE = Symbol('delete');

/** The {@link InvalidPayloadError} that `run` throws (fails the test when it throws anything else). */
function thrown(run: () => unknown): InvalidPayloadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidPayloadError);
    return error as InvalidPayloadError;
  }
  throw new Error('expected an InvalidPayloadError, nothing was thrown');
}

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

function position(p: { coin: string; szi: string; positionValue: string; marginUsed: string }) {
  return {
    type: 'oneWay',
    position: {
      coin: p.coin,
      szi: p.szi,
      leverage: { type: 'cross', value: 20 },
      entryPx: '1.0',
      positionValue: p.positionValue,
      unrealizedPnl: '0.0',
      liquidationPx: null,
      marginUsed: p.marginUsed,
      maxLeverage: 40,
    },
  };
}

describe('analyzeClearinghouseState — size and liquidationPx echo in canonical form', () => {
  // Expected strings written by hand: the canonical decimal (no stray zeros, no '-0', ≤ 18 dp half-even).
  const withRaw = (szi: string, liquidationPx: string) => {
    const state = structuredClone(docsIsolatedEth) as { assetPositions: { position: object }[] };
    Object.assign(state.assetPositions[0]!.position, { szi, liquidationPx });
    return analyzeClearinghouseState({ clearinghouseState: state, meta: docsMeta }).positions[0]!;
  };
  it.each([
    ['0.0335', '2866.26936529', '0.0335', '2866.26936529'], // already canonical: echoed as sent
    ['1.50', '90.50', '1.5', '90.5'],
    ['-0002.5', '0090.5', '2.5', '90.5'],
    ['10.0', '100', '10', '100'],
    ['.5', '1.', '0.5', '1'],
    ['-3.25', '0.000000000000000001', '3.25', '0.000000000000000001'],
    [
      '0.1234567890123456785',
      '2.0000000000000000015',
      '0.123456789012345678',
      '2.000000000000000002',
    ],
    ['-0', '-0', '0', '0'],
    ['-0.5', '-0.50', '0.5', '-0.5'],
  ])(
    'szi %s, liquidationPx %s → size %s, exchangeLiquidationPrice %s',
    (szi, px, size, exchange) => {
      const p = withRaw(szi, px);
      expect(p.size).toBe(size);
      expect(p.exchangeLiquidationPrice).toBe(exchange);
    },
  );
});

describe('analyzeClearinghouseState — maintenance margin (float64 fast path vs the table)', () => {
  // Hand-built positions; the expected figure comes from the public maintenanceMargin of the same
  // notional and table (WAD bigints: maintenanceMarginFixed then formatDecimal), not from the fast path.
  const state = (positionValue: string, maxLeverage: number) => ({
    crossMarginSummary: { accountValue: '1000000' },
    assetPositions: [
      {
        type: 'oneWay',
        position: {
          coin: 'X',
          szi: '-2.5',
          leverage: { type: 'cross', value: 3 },
          positionValue,
          marginUsed: '1',
          maxLeverage,
        },
      },
    ],
  });
  const tiered = {
    universe: [{ name: 'X', maxLeverage: 40, marginTableId: 56 }],
    marginTables: [
      [
        56,
        {
          description: 'tiered 40x',
          marginTiers: [
            { lowerBound: '0.0', maxLeverage: 40 },
            { lowerBound: '150000.0', maxLeverage: 20 },
          ],
        },
      ],
    ],
  };
  const table = (meta: typeof tiered | null, maxLeverage: number) =>
    meta
      ? hyperliquidMarginTable({ id: 56, marginTables: meta.marginTables as never })
      : marginTableFromHyperliquid({ marginTiers: [{ lowerBound: '0', maxLeverage }] });

  it('equals maintenanceMargin(positionValue) for any value, leverage and tier', () => {
    const arbValue = fc.oneof(
      // ≤ 15 digits (the float64 path) and longer ones (the bigint path), up to 18 decimals.
      fc
        .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 18 }))
        .map(([n, d]) => formatDecimal(n * 10n ** BigInt(18 - d))),
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => formatDecimal(n)),
      fc.constantFrom('0', '0.0', '150000.0', '149999.999999', '1e3', '-0'),
    );
    fc.assert(
      fc.property(
        arbValue,
        fc.constantFrom(1, 3, 7, 20, 25, 40, 50),
        fc.boolean(),
        (positionValue, maxLeverage, listed) => {
          const meta = listed ? tiered : null;
          const clearinghouseState = state(positionValue, maxLeverage);
          if (positionValue === '1e3') {
            expect(() => analyzeClearinghouseState({ clearinghouseState, meta })).toThrow(
              InvalidPayloadError,
            );
            return;
          }
          const risk = analyzeClearinghouseState({ clearinghouseState, meta });
          const expected = maintenanceMargin({
            notional: positionValue,
            marginTable: table(meta, maxLeverage),
          });
          expect(risk.positions[0]!.maintenanceMargin).toBe(expected);
          expect(risk.crossMaintenanceMargin).toBe(expected);
        },
      ),
      { numRuns: 1500 },
    );
  }, 30_000);

  it('caches a rate per table, not per coin: another meta object for the same coin is not stale', () => {
    // The rate digits are cached per tier object (tiers are cached per meta object); a second meta
    // listing the same coin at another leverage must give that leverage's figure, in either order.
    const at = (maxLeverage: number) => ({ universe: [{ name: 'X', maxLeverage }] });
    for (const [a, b] of [
      [20, 10],
      [10, 20],
    ] as const) {
      const metaA = at(a);
      const metaB = at(b);
      const mm = (meta: object) =>
        analyzeClearinghouseState({ clearinghouseState: state('1000', 50), meta }).positions[0]!
          .maintenanceMargin;
      expect(mm(metaA)).toBe(String(1000 / (2 * a)));
      expect(mm(metaB)).toBe(String(1000 / (2 * b)));
      expect(mm(metaA)).toBe(String(1000 / (2 * a)));
    }
  });
});

describe('analyzeClearinghouseState — the WAD² collateral path equals the public solver', () => {
  // The adapter solves from collateral·WAD (cross: (V − M)·WAD + m·WAD); the general path is
  // liquidationPrice() on decimal strings with collateral V and the other positions' maintenance.
  const tiered = hyperliquidMarginTable({
    id: 56,
    marginTables: [
      [
        56,
        {
          marginTiers: [
            { lowerBound: '0', maxLeverage: 40 },
            { lowerBound: '1000', maxLeverage: 20 },
          ],
        },
      ],
    ],
  });
  const meta = {
    universe: [{ name: 'T', maxLeverage: 40, marginTableId: 56 }],
    marginTables: [
      [
        56,
        {
          description: 't',
          marginTiers: [
            { lowerBound: '0.0', maxLeverage: 40 },
            { lowerBound: '1000.0', maxLeverage: 20 },
          ],
        },
      ],
    ],
  };
  const dec = (n: bigint, d: number) => formatDecimal(n * 10n ** BigInt(18 - d));
  const arbPos = fc.record({
    tiered: fc.boolean(),
    lev: fc.constantFrom(3, 7, 20, 50),
    cross: fc.boolean(),
    short: fc.boolean(),
    szi: fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 8 })),
    value: fc.tuple(fc.bigInt({ min: 1n, max: 10n ** 17n }), fc.integer({ min: 0, max: 20 })),
    marginUsed: fc.tuple(
      fc.bigInt({ min: -(10n ** 9n), max: 10n ** 12n }),
      fc.integer({ min: 0, max: 6 }),
    ),
  });
  it('every position’s price, maintenance and the cross sum', () => {
    fc.assert(
      fc.property(
        fc.array(arbPos, { minLength: 1, maxLength: 5 }),
        fc.tuple(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 14n }), fc.integer({ min: 0, max: 6 })),
        (ps, [v, vd]) => {
          const rows = ps.map((p, i) => ({
            coin: p.tiered ? 'T' : `C${i}`,
            szi: `${p.short ? '-' : ''}${dec(p.szi[0], p.szi[1])}`,
            leverage: p.cross ? { type: 'cross', value: 1 } : { type: 'isolated', value: 1 },
            // positionValue with up to 20 decimals (rounded at 18 by the parse, as the adapter does)
            positionValue:
              p.value[1] > 18
                ? `${dec(p.value[0], 18)}${'7'.repeat(p.value[1] - 18)}`
                : dec(p.value[0], p.value[1]),
            marginUsed: dec(p.marginUsed[0], p.marginUsed[1]),
            maxLeverage: p.lev,
          }));
          const accountValue = dec(v, vd);
          const risk = analyzeClearinghouseState({
            clearinghouseState: {
              crossMarginSummary: { accountValue },
              assetPositions: rows.map((position) => ({ position })),
            },
            meta,
          });
          const tables = ps.map((p) =>
            p.tiered
              ? tiered
              : marginTableFromHyperliquid({
                  marginTiers: [{ lowerBound: '0', maxLeverage: p.lev }],
                }),
          );
          const mms = rows.map((r, i) =>
            maintenanceMargin({ notional: r.positionValue, marginTable: tables[i]! }),
          );
          let crossMm = 0n;
          for (const [i, p] of ps.entries()) if (p.cross) crossMm += parseDecimal(mms[i]!);
          expect(risk.crossMaintenanceMargin).toBe(formatDecimal(crossMm));
          for (const [i, p] of ps.entries()) {
            const size = parseDecimal(rows[i]!.szi.replace('-', ''));
            const value = parseDecimal(rows[i]!.positionValue);
            const mark = (value * 10n ** 18n * 2n + size) / (2n * size); // half-up, compared below
            const out = risk.positions[i]!;
            expect(out.maintenanceMargin).toBe(mms[i]);
            // The general path, with the adapter's own mark (half-even; checked within 1 unit here).
            expect(Math.abs(Number(parseDecimal(out.markPrice) - mark))).toBeLessThanOrEqual(1);
            if (out.markPrice === '0') continue; // liquidationPrice() rejects a zero price
            const expected = liquidationPrice({
              side: p.short ? 'short' : 'long',
              size: formatDecimal(size),
              price: out.markPrice,
              collateral: p.cross ? accountValue : rows[i]!.marginUsed,
              otherMaintenanceMargin: p.cross
                ? formatDecimal(crossMm - parseDecimal(mms[i]!))
                : '0',
              marginTable: tables[i]!,
            });
            expect(out.liquidationPrice).toBe(expected);
          }
        },
      ),
      { numRuns: 1000 },
    );
  }, 30_000);
});
