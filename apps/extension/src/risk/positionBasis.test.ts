import {
  type HlClearinghouseState as ClearinghouseState,
  HlClearinghouseState as clearinghouseStateSchema,
  type HlMeta as Meta,
} from '@perpscope/hyperliquid';
import { describe, expect, it } from 'vitest';
import { hyperliquidAccountRisk } from './computePositionRisk.js';
import { marginTiersOf, positionBasis } from './positionBasis.js';

// Hand-built payloads in the recorded wire shapes (fixtures/hyperliquid): a cross BTC long of 1 at
// mark 50,000 (20x: maintenance 1,250) and an isolated ETH short of 2 at mark 2,500 (marginUsed 600).
const meta: Meta = {
  universe: [
    { name: 'BTC', szDecimals: 5, maxLeverage: 20, marginTableId: 20 },
    { name: 'ETH', szDecimals: 4, maxLeverage: 25, marginTableId: 56 },
  ],
  marginTables: [
    [
      56,
      {
        description: 'tiered',
        marginTiers: [
          { lowerBound: '0.0', maxLeverage: 25 },
          { lowerBound: '100000000.0', maxLeverage: 15 },
        ],
      },
    ],
  ],
  collateralToken: 0,
};
const summary = {
  accountValue: '10000.0',
  totalNtlPos: '55000.0',
  totalRawUsd: '0.0',
  totalMarginUsed: '3100.0',
};
const state: ClearinghouseState = clearinghouseStateSchema.parse({
  marginSummary: summary,
  crossMarginSummary: summary,
  // Cross positions' maintenance: BTC's 1,250 (the isolated ETH's is not cross).
  crossMaintenanceMarginUsed: '1250.0',
  time: 1_765_000_000_000,
  assetPositions: [
    {
      type: 'oneWay',
      position: {
        coin: 'BTC',
        szi: '1.0',
        leverage: { type: 'cross', value: 10 },
        entryPx: '48000.0',
        positionValue: '50000.0',
        unrealizedPnl: '2000.0',
        liquidationPx: '30769.23',
        marginUsed: '2500.0',
        maxLeverage: 20,
      },
    },
    {
      type: 'oneWay',
      position: {
        coin: 'ETH',
        szi: '-2.0',
        leverage: { type: 'isolated', value: 10, rawUsd: '5600.0' },
        entryPx: '2500.0',
        positionValue: '5000.0',
        unrealizedPnl: '0.0',
        liquidationPx: '2745.09',
        marginUsed: '600.0',
        maxLeverage: 25,
      },
    },
  ],
});
const spot = { balances: [{ coin: 'USDC', token: 0, total: '20000.0', hold: '0.0' }] };

const bases = (mode: string) =>
  hyperliquidAccountRisk({ mode, dexes: [{ dex: '', state, meta }], spot }).positions.map((risk) =>
    positionBasis({ risk, mode, state, meta, collateralSymbol: 'USDC' }),
  );

describe('positionBasis', () => {
  it('unified: a cross position draws on the spot total less isolated margin, not the perp accountValue', () => {
    // Pool of USDC: spot total 20,000 − ETH's isolated marginUsed 600 = 19,400; BTC alone in cross → O = 0.
    const [btc, eth] = bases('unifiedAccount');
    expect(btc?.basis).toMatchObject({
      marginMode: 'cross',
      side: 'long',
      size: '1',
      entryPx: '48000.0',
      collateral: '19400',
      otherMaintenanceMargin: '0',
      leverage: 10,
      maxLeverage: 20,
      marginTiers: [{ lowerBound: '0', maxLeverage: 20 }],
    });
    expect(Number(btc?.basis?.markPx)).toBe(50_000);
    // Isolated: its own marginUsed and its listed table.
    expect(eth?.basis).toMatchObject({
      marginMode: 'isolated',
      collateral: '600.0',
      marginTiers: [
        { lowerBound: '0.0', maxLeverage: 25 },
        { lowerBound: '100000000.0', maxLeverage: 15 },
      ],
    });
  });

  it('standard: the cross collateral is the dex accountValue', () => {
    expect(bases('default')[0]?.basis?.collateral).toBe('10000');
  });

  it('portfolio margin cross and an unknown mode: not available, with the mode named', () => {
    const [btc, eth] = bases('portfolioMargin');
    expect(btc?.basis).toBeNull();
    expect(btc?.reason).toBe(
      'not available for portfolioMargin accounts (portfolio margin: cross positions not solved)',
    );
    expect(eth?.basis?.collateral).toBe('600.0'); // isolated positions are solved
    const unknown = hyperliquidAccountRisk({ mode: null, dexes: [{ dex: '', state, meta }], spot });
    const b = positionBasis({
      risk: unknown.positions[0]!,
      mode: null,
      state,
      meta,
      collateralSymbol: 'USDC',
    });
    expect(b).toEqual({ basis: null, reason: 'not available: account mode unknown' });
  });

  it('margin tiers as the math reads meta: unlisted id < 50, no id, coin or meta missing', () => {
    expect(marginTiersOf('BTC', meta, 7)).toEqual([{ lowerBound: '0', maxLeverage: 20 }]);
    expect(marginTiersOf('SOL', meta, 7)).toEqual([{ lowerBound: '0', maxLeverage: 7 }]);
    expect(marginTiersOf('BTC', null, 7)).toEqual([{ lowerBound: '0', maxLeverage: 7 }]);
    expect(
      marginTiersOf(
        'X',
        {
          universe: [{ name: 'X', szDecimals: 0, maxLeverage: 3 }],
          marginTables: [],
          collateralToken: 0,
        },
        7,
      ),
    ).toEqual([{ lowerBound: '0', maxLeverage: 3 }]);
    // An id ≥ 50 the meta does not list is no leverage: the position's own max leverage, not 56×.
    const unlisted = {
      universe: [{ name: 'Y', szDecimals: 0, maxLeverage: 10, marginTableId: 56 }],
      marginTables: [],
      collateralToken: 0,
    };
    expect(marginTiersOf('Y', unlisted, 7)).toEqual([{ lowerBound: '0', maxLeverage: 7 }]);
  });
});
