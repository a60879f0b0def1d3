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
import xyzMetaAndCtxs from '../../test/vectors/hyperliquid/info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json' with {
  type: 'json',
};
import metaAndCtxsMain from '../../test/vectors/hyperliquid/info.metaAndAssetCtxs.main.mainnet.2026-02-06.json' with {
  type: 'json',
};
import spotWithOutcomes from '../../test/vectors/hyperliquid/info.spotClearinghouseState.unified-outcomes.mainnet.2026-10-06.json' with {
  type: 'json',
};
import { InvalidPayloadError } from '../errors.js';
import { parseDecimal } from '../internal/decimal.js';
import { analyzeClearinghouseState } from './analyzeClearinghouseState.js';
import { agreesWithin, analyzeHyperliquidAccount } from './analyzeHyperliquidAccount.js';

// ---- Account JSON in the real wire shapes (clearinghouseState, meta, spotClearinghouseState) ----

type Pos = {
  coin: string;
  /** Signed size. */
  szi: string;
  positionValue: string;
  type?: 'cross' | 'isolated';
  marginUsed?: string;
  maxLeverage?: number;
  liquidationPx?: string | null;
};

const state = (positions: readonly Pos[], accountValue = '0') => ({
  marginSummary: { accountValue, totalNtlPos: '0', totalRawUsd: '0', totalMarginUsed: '0' },
  crossMarginSummary: { accountValue, totalNtlPos: '0', totalRawUsd: '0', totalMarginUsed: '0' },
  crossMaintenanceMarginUsed: '0',
  withdrawable: '0',
  assetPositions: positions.map((p) => ({
    type: 'oneWay',
    position: {
      coin: p.coin,
      szi: p.szi,
      leverage: { type: p.type ?? 'cross', value: 5 },
      entryPx: '1',
      positionValue: p.positionValue,
      unrealizedPnl: '0',
      returnOnEquity: '0',
      liquidationPx: p.liquidationPx ?? null,
      marginUsed: p.marginUsed ?? '0',
      maxLeverage: p.maxLeverage ?? 10,
      cumFunding: { allTime: '0', sinceOpen: '0', sinceChange: '0' },
    },
  })),
  time: 1770000000000,
});

const meta = (
  collateralToken: number | undefined,
  universe: readonly { name: string; maxLeverage: number; marginTableId?: number }[],
  marginTables: readonly unknown[] = [],
) => ({ universe, marginTables, ...(collateralToken === undefined ? {} : { collateralToken }) });

const spot = (rows: readonly { coin: string; token: number; total: string }[], extra = {}) => ({
  balances: rows.map((r) => ({ ...r, hold: '0', entryNtl: '0' })),
  ...extra,
});

// Hand-derived account (formulas: docs account-abstraction-modes "Unified Account Ratio"; docs
// margin-tiers; liquidation price from docs liquidations): two collateral tokens — USDC (main dex and
// `xyz`) and USDH (token 360, `flx`) —, an isolated position on `xyz`, and a USDH position that
// liquidates in its second tier.
const mainMeta = meta(0, [
  { name: 'BTC', maxLeverage: 40 }, // one tier, mmr 1/80 = 0.0125
  { name: 'ETH', maxLeverage: 25 }, // one tier, mmr 0.02
]);
const xyzMeta = meta(0, [{ name: 'xyz:XYZ100', maxLeverage: 10 }]); // mmr 0.05
const flxMeta = meta(
  360,
  [{ name: 'flx:GOLD', maxLeverage: 20, marginTableId: 60 }],
  [
    [
      60,
      {
        description: 'tiered 20x',
        marginTiers: [
          { lowerBound: '0.0', maxLeverage: 20 }, // mmr 0.025
          { lowerBound: '100000.0', maxLeverage: 10 }, // mmr 0.05, deduction 100,000·0.025 = 2,500
        ],
      },
    ],
  ],
);
const mainState = state([
  { coin: 'BTC', szi: '10', positionValue: '600000' }, // mark 60,000, MM 7,500
  { coin: 'ETH', szi: '-100', positionValue: '300000' }, // mark 3,000, MM 6,000
]);
const xyzState = state([
  {
    coin: 'xyz:XYZ100',
    szi: '2',
    positionValue: '50000', // mark 25,000, MM 2,500
    type: 'isolated',
    marginUsed: '6000',
  },
]);
const flxState = state([{ coin: 'flx:GOLD', szi: '100', positionValue: '200000' }]); // MM 10,000 − 2,500
const unifiedSpot = spot([
  { coin: 'USDC', token: 0, total: '60000' },
  { coin: 'USDH', token: 360, total: '25000' },
]);
const unifiedInput = (spotState: unknown = unifiedSpot) => ({
  abstraction: 'unifiedAccount',
  spotClearinghouseState: spotState,
  dexes: [
    { dex: '', clearinghouseState: mainState, meta: mainMeta },
    { dex: 'xyz', clearinghouseState: xyzState, meta: xyzMeta },
    { dex: 'flx', clearinghouseState: flxState, meta: flxMeta },
  ],
});

/**
 * The docs' `computeUnifiedAccountRatio`, restated: per collateral token, Σ crossMaintenanceMarginUsed
 * of its dexes ÷ (spot total − Σ isolated marginUsed); max over tokens with a positive denominator.
 * https://hyperliquid.gitbook.io/hyperliquid-docs/trading/account-abstraction-modes
 */
function docsUnifiedRatio(
  dexes: readonly { token: number; crossMaintenanceMarginUsed: number; isolated: number[] }[],
  balances: readonly { token: number; total: number }[],
): number {
  const cross = new Map<number, number>();
  const iso = new Map<number, number>();
  for (const d of dexes) {
    cross.set(d.token, (cross.get(d.token) ?? 0) + d.crossMaintenanceMarginUsed);
    for (const m of d.isolated) iso.set(d.token, (iso.get(d.token) ?? 0) + m);
  }
  let ratio = 0;
  for (const [token, mm] of cross) {
    const available = (balances.find((b) => b.token === token)?.total ?? 0) - (iso.get(token) ?? 0);
    if (available > 0) ratio = Math.max(ratio, mm / available);
  }
  return ratio;
}

describe('analyzeHyperliquidAccount — unified account (hand-derived golden vectors)', () => {
  const a = analyzeHyperliquidAccount(unifiedInput());
  const pos = (coin: string) => a.positions.find((p) => p.coin === coin)!;

  it('per collateral token: maintenance, counted collateral and ratio; account ratio = max', () => {
    // USDC: MM 7,500 + 6,000 (cross only) over 60,000 − 6,000 isolated = 0.25.
    // USDH: MM 200,000·0.05 − 2,500 = 7,500 over 25,000 = 0.3. Account: max = 0.3.
    expect(a.pools).toEqual([
      {
        token: 0,
        dexes: ['', 'xyz'],
        maintenanceMargin: '13500',
        collateral: '54000',
        marginRatio: '0.25',
      },
      {
        token: 360,
        dexes: ['flx'],
        maintenanceMargin: '7500',
        collateral: '25000',
        marginRatio: '0.3',
      },
    ]);
    expect(a.marginRatio).toBe('0.3');
    expect(a.portfolioMargin).toBeNull();
    // The docs' own algorithm on the same account gives the same ratio.
    expect(
      docsUnifiedRatio(
        [
          { token: 0, crossMaintenanceMarginUsed: 13500, isolated: [] },
          { token: 0, crossMaintenanceMarginUsed: 0, isolated: [6000] },
          { token: 360, crossMaintenanceMarginUsed: 7500, isolated: [] },
        ],
        [
          { token: 0, total: 60000 },
          { token: 360, total: 25000 },
        ],
      ),
    ).toBeCloseTo(0.3, 15);
  });

  it('cross positions: the mark at which their token’s ratio reaches 1, others at mark', () => {
    // BTC long: (54,000 − 600,000 − 6,000)/(10·0.0125 − 10) = 552,000/9.875 = 55,898.734177215189873417…
    expect(pos('BTC')).toMatchObject({
      dex: '',
      collateralToken: 0,
      side: 'long',
      size: '10',
      markPrice: '60000',
      liquidationPrice: '55898.734177215189873418', // rounded up (towards safety)
      exchangeLiquidationPrice: null,
      agreesWithExchange: false,
      reason: null,
    });
    // ETH short: (54,000 + 300,000 − 7,500)/(100·0.02 + 100) = 346,500/102 = 3,397.058823529411764705…
    expect(pos('ETH').liquidationPrice).toBe('3397.058823529411764705');
    // flx:GOLD long in USDH, second tier: (25,000 − 200,000 + 2,500)/(100·0.05 − 100) = 172,500/95
    // = 1,815.789473684210526315… (notional 181,578.9 ≥ 100,000; the first tier would give 1,794.87).
    expect(pos('flx:GOLD')).toMatchObject({
      dex: 'flx',
      collateralToken: 360,
      liquidationPrice: '1815.789473684210526316',
    });
    expect(pos('flx:GOLD').distance?.fraction).toBe('0.092105263157894737'); // (2000 − 1815.789…)/2000
  });

  it('isolated positions keep their own margin', () => {
    // (6,000 − 50,000)/(2·0.05 − 2) = 44,000/1.9 = 23,157.894736842105263157…
    expect(pos('xyz:XYZ100')).toMatchObject({
      marginMode: 'isolated',
      liquidationPrice: '23157.894736842105263158',
    });
  });

  it('agreesWithExchange compares with liquidationPx within 1e-4 relative', () => {
    const withPx = (px: string | null) =>
      analyzeHyperliquidAccount({
        ...unifiedInput(),
        dexes: [
          {
            dex: 'xyz',
            clearinghouseState: state([
              {
                coin: 'xyz:XYZ100',
                szi: '2',
                positionValue: '50000',
                type: 'isolated',
                marginUsed: '6000',
                liquidationPx: px,
              },
            ]),
            meta: xyzMeta,
          },
        ],
      }).positions[0]!.agreesWithExchange;
    expect(withPx('23157.9')).toBe(true); // 4e-7 relative
    expect(withPx('23160')).toBe(true); // 9.1e-5
    expect(withPx('23161')).toBe(false); // 1.3e-4
    expect(withPx(null)).toBe(false);
  });

  it('standard mode reads the same states per dex and ignores spot', () => {
    const s = analyzeHyperliquidAccount({ ...unifiedInput(), abstraction: 'default' });
    expect(s.pools.map((p) => [p.dexes, p.collateral])).toEqual([
      [[''], '0'],
      [['xyz'], '0'],
      [['flx'], '0'],
    ]);
    expect(s.positions.find((p) => p.coin === 'BTC')!.liquidationPrice).not.toBe(
      pos('BTC').liquidationPrice,
    );
  });

  it('reads a recorded unified spot answer with HIP-4 outcome rows (no token): they are skipped', () => {
    // Source: docs.rs/crate/df-hyperliquid-core/latest/source/src/account/holdings/tests/spot.rs
    // (SPOT_WITH_OUTCOMES, a live mainnet unified account, 2026-10-06).
    const r = analyzeHyperliquidAccount({
      abstraction: 'unifiedAccount',
      spotClearinghouseState: spotWithOutcomes,
      dexes: [{ dex: '', clearinghouseState: crossBtc, meta: metaAndCtxsMain }],
    });
    // USDC total 11.515057 is the collateral; BTC 47.66235 at 40x → MM 0.59577937… (table 56 tier 1).
    expect(r.pools).toEqual([
      {
        token: 0,
        dexes: [''],
        maintenanceMargin: '0.595779375',
        collateral: '11.515057',
        marginRatio: '0.051739159866946382',
      },
    ]);
  });
});

describe('analyzeHyperliquidAccount — standard accounts unchanged through the new entry point', () => {
  const recorded = [
    ['docs isolated ETH', docsIsolatedEth, docsMeta],
    ['cross BTC (roq-trading, 2026-02-03)', crossBtc, metaAndCtxsMain],
  ] as const;
  for (const abstraction of ['default', 'disabled'] as const) {
    it(`${abstraction}: the same figures as analyzeClearinghouseState per dex`, () => {
      const a = analyzeHyperliquidAccount({
        abstraction,
        dexes: recorded.map(([name, s, m]) => ({ dex: name, clearinghouseState: s, meta: m })),
      });
      const expected = recorded.flatMap(([name, s, m]) =>
        analyzeClearinghouseState({ clearinghouseState: s, meta: m }).positions.map((p) => ({
          dex: name,
          ...p,
        })),
      );
      expect(a.positions.map(({ collateralToken, agreesWithExchange, reason, ...p }) => p)).toEqual(
        expected,
      );
      // The docs example's liquidationPx is reproduced (5e-9 relative) and flagged as agreeing.
      expect(a.positions[0]).toMatchObject({ agreesWithExchange: true, reason: null });
      expect(a.positions[1]).toMatchObject({
        liquidationPrice: null,
        exchangeLiquidationPrice: null,
        agreesWithExchange: true,
        reason: 'noLiquidationPrice',
      });
      // Cross BTC: 0.595779375 over accountValue 179.007426.
      expect(a.pools[1]).toMatchObject({
        maintenanceMargin: '0.595779375',
        collateral: '179.007426',
      });
    });
  }

  it('analyzeClearinghouseState refuses a unified or portfolio-margin account', () => {
    for (const abstraction of ['unifiedAccount', 'portfolioMargin']) {
      expect(() =>
        analyzeClearinghouseState({
          clearinghouseState: crossBtc,
          meta: metaAndCtxsMain,
          abstraction,
        }),
      ).toThrow(/abstraction must be standard \(use analyzeHyperliquidAccount\)/);
    }
    expect(
      analyzeClearinghouseState({ clearinghouseState: crossBtc, abstraction: 'default' }).positions,
    ).toHaveLength(1);
  });
});

describe('analyzeHyperliquidAccount — dexAbstraction', () => {
  it('USDC dexes draw on the main dex’s collateral; other dexes stay apart', () => {
    const a = analyzeHyperliquidAccount({
      abstraction: 'dexAbstraction',
      dexes: [
        { dex: '', clearinghouseState: state([mainStatePos[0]!], '40000'), meta: mainMeta },
        {
          dex: 'xyz',
          clearinghouseState: state(
            [{ coin: 'xyz:XYZ100', szi: '2', positionValue: '50000' }],
            '5000',
          ),
          meta: xyzMeta,
        },
        { dex: 'flx', clearinghouseState: state([flxPos], '25000'), meta: flxMeta },
      ],
    });
    // USDC pool: 40,000 + 5,000; MM 7,500 (BTC) + 2,500 (XYZ100 cross).
    expect(a.pools.map((p) => [p.token, p.dexes, p.collateral, p.maintenanceMargin])).toEqual([
      [0, ['', 'xyz'], '45000', '10000'],
      [360, ['flx'], '25000', '7500'],
    ]);
    // BTC: (45,000 − 600,000 − 2,500)/(10·0.0125 − 10) = 557,500/9.875 = 56,455.696202531645569620…
    expect(a.positions[0]!.liquidationPrice).toBe('56455.696202531645569621');
    // flx keeps its own 25,000: the unified vector's 1,815.789… again.
    expect(a.positions[2]!.liquidationPrice).toBe('1815.789473684210526316');
  });
});

const mainStatePos: Pos[] = [{ coin: 'BTC', szi: '10', positionValue: '600000' }];
const flxPos: Pos = { coin: 'flx:GOLD', szi: '100', positionValue: '200000' };

describe('analyzeHyperliquidAccount — portfolio margin', () => {
  const pmInput = (prices?: Record<string, string>) => ({
    abstraction: 'portfolioMargin',
    spotClearinghouseState: spot(
      [
        { coin: 'USDC', token: 0, total: '1000' },
        { coin: 'HYPE', token: 150, total: '100' },
      ],
      { portfolioMarginEnabled: true, portfolioMarginRatio: '0.0279' },
    ),
    dexes: [
      {
        dex: '',
        clearinghouseState: state([
          { coin: 'BTC', szi: '0.1', positionValue: '8000' }, // MM 8,000/80 = 100
        ]),
        meta: mainMeta,
      },
      { dex: 'xyz', clearinghouseState: xyzState, meta: xyzMeta },
    ],
    ...(prices ? { prices } : {}),
  });

  it('the documented ratio: (20 + Σ cross MM) / (USDC + min(cap, HYPE·price·(0.5 + 0.5·0.65)))', () => {
    const a = analyzeHyperliquidAccount(pmInput({ HYPE: '40' }));
    // requirement 20 + 100 = 120; value 1,000 + 100·40·0.825 = 4,300; 120/4,300 = 0.027906976744186046…
    expect(a.portfolioMargin).toEqual({
      ratio: '0.027906976744186047',
      exchangeRatio: '0.0279',
      liquidatableAbove: '0.95',
      collateral: [{ token: 150, coin: 'HYPE', ltv: '0.65', liquidationThreshold: '0.825' }],
    });
  });

  it('USDT0 with a borrow is a second borrowable token; caps bound the counted collateral', () => {
    const rows = (hype: string) =>
      spot([
        { coin: 'USDC', token: 0, total: '1000' },
        { coin: 'USDT0', token: 268, total: '500' },
        { coin: 'HYPE', token: 150, total: hype },
      ]);
    const input = (hype: string) => {
      const s = rows(hype);
      (s.balances[1] as unknown as Record<string, string>).borrowed = '100';
      return { ...pmInput({ HYPE: '40', USDT0: '1' }), spotClearinghouseState: s };
    };
    // USDC: 120 / (1,000 + 3,300); USDT0: (120 + 100·1) / (500 + 3,300) = 0.0578947368421052631… (max).
    expect(analyzeHyperliquidAccount(input('100')).portfolioMargin?.ratio).toBe(
      '0.057894736842105263',
    );
    // 600k HYPE: the 500k user supply cap counts 500,000·40·0.825 = 16.5M, then the USDC borrow cap
    // (10M) and USDT0's (1M) bind: max(120 / 10,001,000, 220 / 1,000,500) = 0.000219890054972513…
    expect(analyzeHyperliquidAccount(input('600000')).portfolioMargin?.ratio).toBe(
      '0.000219890054972514',
    );
  });

  it('a dex on another token with no cross maintenance needs no price', () => {
    const input = pmInput({ HYPE: '40' });
    const flx = { dex: 'flx', clearinghouseState: state([]), meta: flxMeta };
    expect(
      analyzeHyperliquidAccount({ ...input, dexes: [...input.dexes, flx] }).portfolioMargin?.ratio,
    ).toBe('0.027906976744186047');
  });

  it('without the price a ratio needs, the ratio is null — never a guess', () => {
    expect(analyzeHyperliquidAccount(pmInput()).portfolioMargin?.ratio).toBeNull();
  });

  it('cross positions are not solved (reason code); isolated ones are', () => {
    const [btc, iso] = analyzeHyperliquidAccount(pmInput({ HYPE: '40' })).positions;
    expect(btc).toMatchObject({
      liquidationPrice: null,
      distance: null,
      agreesWithExchange: null,
      reason: 'portfolioMargin',
    });
    expect(iso).toMatchObject({ liquidationPrice: '23157.894736842105263158', reason: null });
  });
});

describe('analyzeHyperliquidAccount — invalid input names the JSON path', () => {
  const pathOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidPayloadError);
      expect((e as InvalidPayloadError).name).toBe('Math.InvalidPayloadError');
      return [(e as InvalidPayloadError).path, (e as Error).message];
    }
    throw new Error('did not throw');
  };

  it('unified or portfolio margin without spotClearinghouseState', () => {
    for (const abstraction of ['unifiedAccount', 'portfolioMargin']) {
      const { spotClearinghouseState: _, ...input } = unifiedInput();
      expect(pathOf(() => analyzeHyperliquidAccount({ ...input, abstraction }))).toEqual([
        'spotClearinghouseState',
        'spotClearinghouseState must be an object, got undefined',
      ]);
    }
  });

  it('a dex whose meta lacks collateralToken (any mode but standard)', () => {
    const input = unifiedInput();
    const dexes = [input.dexes[0]!, { ...input.dexes[1]!, meta: meta(undefined, []) }];
    for (const abstraction of ['unifiedAccount', 'dexAbstraction', 'portfolioMargin']) {
      expect(pathOf(() => analyzeHyperliquidAccount({ ...input, abstraction, dexes }))[0]).toBe(
        'dexes[1].meta.collateralToken',
      );
    }
    // A missing meta is named too; a metaAndAssetCtxs pair is read at [0].
    expect(
      pathOf(() =>
        analyzeHyperliquidAccount({ ...input, dexes: [{ ...input.dexes[0]!, meta: null }] }),
      )[0],
    ).toBe('dexes[0].meta');
    expect(
      pathOf(() =>
        analyzeHyperliquidAccount({
          ...input,
          dexes: [{ ...input.dexes[0]!, meta: [{ universe: [] }, []] }],
        }),
      )[0],
    ).toBe('dexes[0].meta[0].collateralToken');
    // Standard accounts do not need it (older meta answers).
    expect(
      analyzeHyperliquidAccount({ ...input, abstraction: 'default', dexes }).pools[1]!.token,
    ).toBeNull();
  });

  it('an unknown abstraction string', () => {
    for (const abstraction of ['unified', '', null, undefined, 'UnifiedAccount']) {
      expect(pathOf(() => analyzeHyperliquidAccount({ ...unifiedInput(), abstraction }))[0]).toBe(
        'abstraction',
      );
    }
  });

  it('a repeated dex, a bad spot row, a bad nested field', () => {
    const input = unifiedInput();
    expect(
      pathOf(() =>
        analyzeHyperliquidAccount({ ...input, dexes: [input.dexes[0]!, input.dexes[0]!] }),
      )[0],
    ).toBe('dexes[1].dex');
    expect(
      pathOf(() =>
        analyzeHyperliquidAccount(unifiedInput(spot([{ coin: 'USDC', token: 0, total: '1e5' }]))),
      )[0],
    ).toBe('spotClearinghouseState.balances[0].total');
    expect(
      pathOf(() =>
        analyzeHyperliquidAccount({
          ...input,
          dexes: [{ dex: 'xyz', clearinghouseState: { assetPositions: 1 }, meta: xyzMetaAndCtxs }],
        }),
      )[0],
    ).toBe('dexes[0].clearinghouseState.assetPositions');
  });
});

// ---- Properties ----

/** `cents·price/100` as an exact decimal string. */
const money = (cents: bigint) =>
  `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`.replace(/\.00$/, '');

const arbPosition = fc.record({
  sizeCents: fc.integer({ min: 1, max: 100_000 }), // 0.01 … 1,000
  mark: fc.integer({ min: 1, max: 100_000 }),
  long: fc.boolean(),
  lev: fc.constantFrom(3, 5, 10, 20, 40),
});
type ArbPosition = typeof arbPosition extends fc.Arbitrary<infer T> ? T : never;

const toPos = (p: ArbPosition, i: number, coin = `C${i}`): Pos => ({
  coin,
  szi: `${p.long ? '' : '-'}${money(BigInt(p.sizeCents))}`,
  positionValue: money(BigInt(p.sizeCents) * BigInt(p.mark)),
  maxLeverage: p.lev,
});

const usdcAccount = (
  ps: readonly ArbPosition[],
  usdc: string,
  extraDexes: readonly object[] = [],
) => ({
  abstraction: 'unifiedAccount',
  spotClearinghouseState: spot([
    { coin: 'USDC', token: 0, total: usdc },
    { coin: 'USDH', token: 360, total: '1000' },
  ]),
  dexes: [
    {
      dex: '',
      clearinghouseState: state(ps.map((p, i) => toPos(p, i))),
      meta: meta(0, []), // coins not in meta: one tier at each position's maxLeverage
    },
    ...extraDexes,
  ] as { dex: string; clearinghouseState: unknown; meta: unknown }[],
});

describe('analyzeHyperliquidAccount — properties (unified)', () => {
  const arbAccount = fc.record({
    positions: fc.array(arbPosition, { minLength: 1, maxLength: 6 }),
    usdc: fc.integer({ min: 1, max: 10_000_000 }),
  });

  it('raising the spot balance moves every liquidation price away from mark', () => {
    fc.assert(
      fc.property(
        arbAccount,
        fc.integer({ min: 1, max: 1_000_000 }),
        ({ positions, usdc }, add) => {
          const before = analyzeHyperliquidAccount(usdcAccount(positions, String(usdc))).positions;
          const after = analyzeHyperliquidAccount(
            usdcAccount(positions, String(usdc + add)),
          ).positions;
          for (const [i, b] of before.entries()) {
            const a = after[i]!;
            if (b.liquidationPrice === null) {
              // A long never liquidated stays so; a short below maintenance may get a price (away from 0).
              if (b.side === 'long') expect(a.liquidationPrice).toBeNull();
              else expect(b.reason).toBe('belowMaintenance');
              continue;
            }
            if (a.liquidationPrice === null) continue; // moved to ≤ 0: as far as it gets
            const moved = Number(a.liquidationPrice) - Number(b.liquidationPrice);
            // Long: down; short: up (strictly: more collateral, same maintenance elsewhere).
            expect(b.side === 'long' ? moved < 0 : moved > 0).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a position’s liquidation price puts its token’s ratio at exactly 1 (within rounding)', () => {
    fc.assert(
      fc.property(arbAccount, fc.nat(), ({ positions, usdc }, pick) => {
        const a = analyzeHyperliquidAccount(usdcAccount(positions, String(usdc)));
        const i = pick % positions.length;
        const p = a.positions[i]!;
        if (p.liquidationPrice === null) return;
        // Move this position's mark to its liquidation price: its value becomes size·X and the spot
        // total (the token's equity) changes by its PnL, side·size·(X − mark).
        const x = Number(p.liquidationPrice);
        const size = Number(p.size);
        const pnl = (p.side === 'long' ? 1 : -1) * size * (x - Number(p.markPrice));
        const moved = usdcAccount(positions, (usdc + pnl).toFixed(9));
        const st = moved.dexes[0]!.clearinghouseState as ReturnType<typeof state>;
        st.assetPositions[i]!.position.positionValue = (size * x).toFixed(9);
        const ratio = Number(analyzeHyperliquidAccount(moved).pools[0]!.marginRatio);
        // Float rounding of the moved inputs (9 dp of values up to 1e8) bounds the error.
        expect(Math.abs(ratio - 1)).toBeLessThan(1e-6);
      }),
      { numRuns: 200 },
    );
  });

  it('adding a position on another collateral token never moves this token’s prices', () => {
    fc.assert(
      fc.property(arbAccount, arbPosition, ({ positions, usdc }, other) => {
        const before = analyzeHyperliquidAccount(usdcAccount(positions, String(usdc)));
        const after = analyzeHyperliquidAccount(
          usdcAccount(positions, String(usdc), [
            {
              dex: 'flx',
              clearinghouseState: state([toPos(other, 0, 'flx:GOLD')]),
              meta: meta(360, []),
            },
          ]),
        );
        expect(after.positions.slice(0, positions.length)).toEqual(before.positions);
        expect(after.pools[0]).toEqual(before.pools[0]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('agreesWithin (float64 verdict with an exact fallback)', () => {
  // The general path, verbatim from before the fast path: parse, subtract, compare at WAD.
  const exact = (ours: bigint, raw: string) => {
    const theirs = parseDecimal(raw);
    return (ours > theirs ? ours - theirs : theirs - ours) * 10_000n <= theirs;
  };
  // Decimal strings of up to 24 decimals (rounded at 18 by the parse), incl. 0 and negatives.
  const arbRaw = fc
    .tuple(
      fc.bigInt({ min: -(10n ** 8n), max: 10n ** 30n }),
      fc.integer({ min: 0, max: 24 }),
      fc.boolean(),
    )
    .map(([n, decimals, pad]) => {
      const neg = n < 0n;
      const s = (neg ? -n : n).toString().padStart(decimals + 1, '0');
      const int = s.slice(0, s.length - decimals);
      const frac = s.slice(s.length - decimals) + (pad ? '00' : '');
      return `${neg ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
    });

  it('matches the exact comparison, most often right at the 1e-4 boundary', () => {
    fc.assert(
      fc.property(
        arbRaw,
        fc.constantFrom(-1n, 1n),
        fc.bigInt({ min: -(10n ** 6n), max: 10n ** 6n }),
        fc.nat(3),
        (raw, sign, delta, kind) => {
          const theirs = parseDecimal(raw);
          const edge = theirs / 10_000n; // |ours − theirs| ≈ theirs·1e-4 ± a few units
          const ours =
            kind === 0
              ? theirs + delta // near agreement
              : kind === 3
                ? delta * 10n ** 12n // anything
                : theirs + sign * edge + delta; // at the boundary (± a few 1e-18)
          expect(agreesWithin(ours, raw)).toBe(exact(ours, raw));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('exact boundary cases', () => {
    expect(agreesWithin(parseDecimal('100.01'), '100')).toBe(true); // |Δ|·1e4 = 100 ≤ 100
    expect(agreesWithin(parseDecimal('100.010000000000000001'), '100')).toBe(false);
    expect(agreesWithin(parseDecimal('99.99'), '100')).toBe(true);
    expect(agreesWithin(parseDecimal('99.989999999999999999'), '100')).toBe(false);
    expect(agreesWithin(0n, '0')).toBe(true);
    expect(agreesWithin(1n, '0')).toBe(false);
    expect(agreesWithin(parseDecimal('5'), '-5')).toBe(false);
  });
});
