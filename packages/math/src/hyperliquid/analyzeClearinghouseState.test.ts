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
import { parseDecimal } from '../internal/decimal.js';
import { analyzeClearinghouseState } from './analyzeClearinghouseState.js';

const rel = (a: string, b: string) => Math.abs(Number(a) - Number(b)) / Math.abs(Number(b));

describe('analyzeClearinghouseState — recorded standard-account responses', () => {
  it('docs isolated ETH example reproduces liquidationPx within 1e-6 relative', () => {
    // Source: https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals
    // (docs.info.clearinghouseState.isolated-ETH.json with the same page's meta example, where ETH has
    // maxLeverage 50 and no marginTableId: table id = max leverage = 50, one tier).
    const risk = analyzeClearinghouseState({ clearinghouseState: docsIsolatedEth, meta: docsMeta });
    const p = risk.positions[0]!;
    expect(p.marginMode).toBe('isolated');
    expect(p.side).toBe('long');
    expect(p.exchangeLiquidationPrice).toBe('2866.26936529');
    expect(rel(p.liquidationPrice!, '2866.26936529')).toBeLessThan(1e-6);
    expect(p.maintenanceMargin).toBe('1.0002765'); // 100.02765 / (2·50)
    expect(p.collateral).toBe('4.967826');
    expect(p.markPrice).toBe('2985.9');
    expect(p.distance!.percent.startsWith('4.00')).toBe(true);
  });

  it('falls back to the position maxLeverage when meta lacks the coin, with the same result', () => {
    for (const meta of [{ universe: [] }, null, undefined]) {
      const risk = analyzeClearinghouseState({ clearinghouseState: docsIsolatedEth, meta });
      expect(risk.positions[0]!.marginTableId).toBeNull();
      expect(rel(risk.positions[0]!.liquidationPrice!, '2866.26936529')).toBeLessThan(1e-6);
    }
  });

  it('cross BTC account: null liquidation price like the exchange, cross maintenance 0.595779', () => {
    // Source: https://github.com/roq-trading/roq-hyperliquid/blob/master/test/json_get_clearing_house_state_ack.cpp
    // BTC uses margin table 56 ("tiered 40x") in the 2026-02-06 meta.
    const risk = analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: metaAndCtxsMain });
    const p = risk.positions[0]!;
    expect(p.exchangeLiquidationPrice).toBeNull();
    expect(p.liquidationPrice).toBeNull();
    expect(p.marginTableId).toBe(56);
    expect(p.maintenanceMarginRate).toBe('0.0125');
    expect(risk.exchangeCrossMaintenanceMargin).toBe('0.595779');
    // 47.66235 / 80 = 0.595779375; the exchange truncates to 6 dp.
    expect(risk.crossMaintenanceMargin).toBe('0.595779375');
    expect(risk.crossMarginRatio).toBe('0.003328238321241489');
    expect(risk.isBelowBackstopThreshold).toBe(false);
    expect(risk.timeMs).toBe(1770118781558);
  });

  it('accepts a plain meta response (info.meta) as well as metaAndAssetCtxs', () => {
    const risk = analyzeClearinghouseState({ clearinghouseState: crossBtc, meta: metaMain2025 });
    expect(risk.positions[0]!.marginTableId).toBe(56);
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
    expect(risk.crossMaintenanceMargin).toBe('4300');
    const liq = parseDecimal(btc!.liquidationPrice!);
    const mark = parseDecimal(btc!.markPrice);
    const av = parseDecimal('10000') + 2n * (liq - mark);
    const mm = (2n * liq) / 80n + parseDecimal('1800');
    expect(av - mm >= -10n && av - mm <= 10n).toBe(true);
    expect(eth!.side).toBe('short');
    expect(Number(eth!.liquidationPrice)).toBeGreaterThan(3000);
  });

  it('HIP-3 isolated position: table id < 50 from the xyz meta means one tier at that leverage', () => {
    // xyz:TSLA has marginTableId 10 in the 2026-02-06 xyz capture → mmr 1/(2·10) = 5 %. Same inputs as the
    // synthetic HIP-3 row of research/perp-math.md §4 C (XYZ-TSLA long 350 × 1, margin 50 → 315.789…).
    const state = {
      marginSummary: { accountValue: '50.0' },
      crossMarginSummary: { accountValue: '0.0' },
      assetPositions: [
        {
          type: 'oneWay',
          position: {
            coin: 'xyz:TSLA',
            szi: '1.0',
            leverage: { type: 'isolated', value: 7, rawUsd: '-300.0' },
            entryPx: '350.0',
            positionValue: '350.0',
            liquidationPx: null,
            marginUsed: '50.0',
            maxLeverage: 10,
          },
        },
      ],
    };
    const p = analyzeClearinghouseState({ clearinghouseState: state, meta: xyzMetaAndCtxs })
      .positions[0]!;
    expect(p.marginTableId).toBe(10);
    expect(p.maintenanceMarginRate).toBe('0.05');
    expect(p.liquidationPrice).toBe('315.789473684210526316');
    expect(p.exchangeLiquidationPrice).toBeNull();
  });

  it('names the JSON path of a malformed field', () => {
    const broken = structuredClone(crossBtc) as {
      assetPositions: { position: { szi: unknown } }[];
    };
    broken.assetPositions[0]!.position.szi = 0.00061;
    expect(() =>
      analyzeClearinghouseState({ clearinghouseState: broken, meta: metaAndCtxsMain }),
    ).toThrow(InvalidPayloadError);
    expect(() =>
      analyzeClearinghouseState({ clearinghouseState: broken, meta: metaAndCtxsMain }),
    ).toThrow(/assetPositions\[0\]\.position\.szi must be a string, got 0.00061/);
    expect(() => analyzeClearinghouseState({ clearinghouseState: null, meta: {} })).toThrow(
      /clearinghouseState must be an object/,
    );
  });
});

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
