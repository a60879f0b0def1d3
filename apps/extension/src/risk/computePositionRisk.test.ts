import { describe, expect, it } from 'vitest';
import { hyperliquidAccountRisk } from './computePositionRisk.js';

// Hand-built payloads in the recorded wire shapes (fixtures/hyperliquid, research/venues.md §4).
// One cross BTC long of 1 at mark 50,000, 20x max leverage (mmr = 1/(2·20) = 0.025), one tier.
const meta = {
  universe: [{ name: 'BTC', maxLeverage: 20, marginTableId: 20 }],
  marginTables: [[20, { description: '', marginTiers: [{ lowerBound: '0.0', maxLeverage: 20 }] }]],
  collateralToken: 0,
};
const summary = (accountValue: string) => ({
  accountValue,
  totalNtlPos: '50000.0',
  totalRawUsd: '0.0',
  totalMarginUsed: '2500.0',
});
/** A perp state whose cross accountValue is `accountValue`; HL's own liquidationPx is `venue`. */
const state = (accountValue: string, venue: string) => ({
  marginSummary: summary(accountValue),
  crossMarginSummary: summary(accountValue),
  crossMaintenanceMarginUsed: '1250.0',
  assetPositions: [
    {
      type: 'oneWay',
      position: {
        coin: 'BTC',
        szi: '1.0',
        leverage: { type: 'cross', value: 20 },
        entryPx: '50000.0',
        positionValue: '50000.0',
        unrealizedPnl: '0.0',
        liquidationPx: venue,
        marginUsed: '2500.0',
        maxLeverage: 20,
      },
    },
  ],
});
const spot = (total: string) => ({
  balances: [{ coin: 'USDC', token: 0, total, hold: '0.0', entryNtl: '0.0' }],
});
// Cross long: liq = (P·q − collateral) / (q·(1 − mmr)). Standard with accountValue 10,000:
// (50,000 − 10,000) / 0.975 = 41,025.641…; unified with a 20,000 spot total: 30,000 / 0.975 = 30,769.23…
const STANDARD_LIQ = 40_000 / 0.975;
const UNIFIED_LIQ = 30_000 / 0.975;

describe('hyperliquidAccountRisk', () => {
  it('standard: our price from the perp state', () => {
    const r = hyperliquidAccountRisk({
      mode: 'default',
      dexes: [{ dex: '', state: state('10000.0', '41025.64'), meta }],
      spot: null,
    });
    expect(r.positions[0]?.notComputable).toBeNull();
    expect(Number(r.positions[0]?.liquidationPrice)).toBeCloseTo(STANDARD_LIQ, 6);
  });

  it('unified: the spot total is the collateral, not the perp accountValue', () => {
    const r = hyperliquidAccountRisk({
      mode: 'unifiedAccount',
      dexes: [{ dex: '', state: state('10000.0', '30769.23'), meta }],
      spot: spot('20000.0'),
    });
    expect(r.positions[0]?.notComputable).toBeNull();
    expect(Number(r.positions[0]?.liquidationPrice)).toBeCloseTo(UNIFIED_LIQ, 6);
    expect(r.positions[0]?.position.agreesWithExchange).toBe(true);
  });

  it.each([
    [null, spot('20000.0'), meta, 'account mode unknown'],
    ['someFutureMode', spot('20000.0'), meta, 'account mode someFutureMode not handled'],
    ['unifiedAccount', null, meta, 'spot balances not fetched'],
    ['unifiedAccount', spot('20000.0'), null, 'market data of dex main not fetched'],
    ['dexAbstraction', null, null, 'market data of dex main not fetched'],
  ] as const)(
    'mode %s, spot %j, meta %j: not computable (%s), never the perp-only figure',
    (mode, s, m, reason) => {
      const r = hyperliquidAccountRisk({
        mode,
        dexes: [{ dex: '', state: state('10000.0', '30769.23'), meta: m }],
        spot: s,
      });
      expect(r.positions).toHaveLength(1);
      expect(r.positions[0]?.notComputable).toBe(reason);
      expect(r.positions[0]?.liquidationPrice).toBeNull();
      // The position itself is still there for the venue's price to headline.
      expect(r.positions[0]?.position.exchangeLiquidationPrice).toBe('30769.23');
      expect(r.positions[0]?.position.markPrice).toMatch(/^50000(\.0+)?$/);
    },
  );

  it('a unified payload the math rejects (meta without collateralToken): not computable, problem named', () => {
    const { collateralToken: _, ...bare } = meta;
    const r = hyperliquidAccountRisk({
      mode: 'unifiedAccount',
      dexes: [{ dex: '', state: state('10000.0', '30769.23'), meta: bare }],
      spot: spot('20000.0'),
    });
    expect(r.positions[0]?.notComputable).toBe('account data rejected by the math');
    expect(r.problem).toMatch(/collateralToken/);
  });

  it('portfolio margin: a cross position is not solved (math reason), with our reason text', () => {
    const r = hyperliquidAccountRisk({
      mode: 'portfolioMargin',
      dexes: [{ dex: '', state: state('10000.0', '30769.23'), meta }],
      spot: spot('20000.0'),
    });
    expect(r.positions[0]?.position.reason).toBe('portfolioMargin');
    expect(r.positions[0]?.notComputable).toBe('portfolio margin: cross positions not solved');
    expect(r.positions[0]?.liquidationPrice).toBeNull();
  });
});
