import { describe, expect, it } from 'vitest';
import freqtrade from '../../test/vectors/hyperliquid/testvectors.liquidation.isolated.freqtrade.json' with {
  type: 'json',
};
import {
  EmptyTierTableError,
  InvalidDecimalError,
  InvalidLeverageError,
  InvalidParameterError,
  NegativeSizeError,
  UnsortedTiersError,
} from '../errors.js';
import { liquidationPrice } from './liquidationPrice.js';
import {
  createMarginTable,
  hyperliquidMarginTable,
  initialMargin,
  maintenanceMargin,
  marginTableFromBinanceBrackets,
  marginTableFromHyperliquid,
} from './marginTable.js';

const relDiff = (a: string, b: string) => Math.abs(Number(a) - Number(b)) / Math.abs(Number(b));

describe('liquidationPrice — Hyperliquid real exchange outputs', () => {
  // Source: ../shared/fixtures/hyperliquid/testvectors.liquidation.isolated.freqtrade.json (copied to
  // test/vectors/hyperliquid/), from https://github.com/freqtrade/freqtrade/blob/develop/tests/exchange/test_hyperliquid.py:
  // liquidationPx returned by the live exchange for fresh isolated positions; inputs were rounded when
  // recorded, hence the 1e-4 relative tolerance.
  it.each(
    freqtrade.vectors.map((v) => [`${v.coin} ${v.side} ${v.price}×${v.positionSize}`, v] as const),
  )('%s matches the exchange liquidationPx within 1e-4', (_, v) => {
    const px = liquidationPrice({
      side: v.side as 'long' | 'short',
      size: v.positionSize,
      price: v.price,
      collateral: v.isolatedMargin,
      marginTable: marginTableFromHyperliquid({
        marginTiers: [{ lowerBound: '0', maxLeverage: v.maxLeverage }],
      }),
    });
    expect(px).not.toBeNull();
    expect(relDiff(px!, v.expectedLiquidationPx)).toBeLessThan(1e-4);
  });

  it('has all 29 recorded vectors', () => {
    expect(freqtrade.vectors).toHaveLength(29);
  });

  // research/perp-math.md §4 C (synthetic HIP-3 rows of the same freqtrade test; exact with the formula).
  it.each([
    ['long', '250', '0.5', '25', '210.526315789473684211'],
    ['short', '190', '0.5', '9.5', '199.047619047619047619'],
    ['long', '350', '1', '50', '315.789473684210526316'],
  ] as const)(
    'HIP-3 %s %s×%s with %s margin at 10x max → %s',
    (side, price, size, margin, expected) => {
      expect(
        liquidationPrice({
          side,
          size,
          price,
          collateral: margin,
          marginTable: hyperliquidMarginTable({ id: 10, marginTables: [] }),
        }),
      ).toBe(expected);
    },
  );
});

describe('liquidationPrice — dYdX and Bybit examples (research/perp-math.md §4 D, E)', () => {
  const mmf5 = createMarginTable({ tiers: [{ lowerBound: '0', maintenanceMarginRate: '0.05' }] });
  it('D1 dYdX isolated short e=1000, s=−3, p=3000, MMF 5 % → 3174.60 (docs)', () => {
    // https://dydx-documentation-six.vercel.app/concepts/trading/liquidations
    const px = liquidationPrice({
      side: 'short',
      size: '3',
      price: '3000',
      collateral: '1000',
      marginTable: mmf5,
    });
    expect(px).toBe('3174.603174603174603174'); // floor (towards safety for a short)
  });
  it('D2 dYdX long e=1000, s=3, p=3000 → 2807.0175438596…', () => {
    const px = liquidationPrice({
      side: 'long',
      size: '3',
      price: '3000',
      collateral: '1000',
      marginTable: mmf5,
    });
    expect(px).toBe('2807.017543859649122808'); // ceil
  });
  it('E1 Bybit USDT isolated: long 1 BTC @ 20,000, 50x, MMR 0.5 % → 19,700 (MM valued at entry)', () => {
    // https://www.bybit.com/en/help-center/article/Liquidation-Price-USDT-Contract — Bybit evaluates MM at entry.
    const px = liquidationPrice({
      side: 'long',
      size: '1',
      price: '20000',
      collateral: '400',
      marginTable: createMarginTable({
        tiers: [{ lowerBound: '0', maintenanceMarginRate: '0.005' }],
      }),
      maintenanceValuedAt: 'price',
    });
    expect(px).toBe('19700');
  });
});

describe('liquidationPrice — Binance two-position cross/isolated case derived by hand (perp-math.md §2.4)', () => {
  // BTCUSDT brackets: 2021-03-18 table (research perp-math.md §2.3). ETHUSDT: a hypothetical 3-bracket
  // table (0: 0.5 %, 10k: 0.65 %, 100k: 1 %; cum 0 / 15 / 365). Account: wallet balance 20,000 USDT,
  // BTC long 2 @ 60,000 (mark 61,000), ETH short 30 @ 3,000 (mark 3,100).
  // LP1 = (WB − TMM1 + UPNL1 + cum − side·Q·EP) / (Q·MMR − side·Q), computed with Python decimal (50 digits):
  // BTC cross: TMM1 = 93,000·0.0065 − 15 = 589.5, UPNL1 = −3,000, bracket 2 (50k–250k, 0.5 %, cum 50):
  //   (20000 − 589.5 − 3000 + 50 − 120000) / (0.01 − 2) = 52029.8994974874371859296482…
  // BTC isolated (isolated wallet 6,000): (6000 + 50 − 120000) / (−1.99) = 57261.3065326633165829145728…
  // ETH cross short: TMM2 = 122,000·0.005 − 50 = 560, UPNL2 = +2,000; the entry bracket (0.65 %) gives
  //   3691.17… (notional 110,735 → bracket 3), re-solved in bracket 3 (1 %, cum 365):
  //   (20000 − 560 + 2000 + 365 + 90000) / (0.3 + 30) = 3689.9339933993399339933993…
  const btc = marginTableFromBinanceBrackets([
    { notionalFloor: 0, maintMarginRatio: 0.004, initialLeverage: 125 },
    { notionalFloor: 50000, maintMarginRatio: 0.005, initialLeverage: 100 },
    { notionalFloor: 250000, maintMarginRatio: 0.01, initialLeverage: 50 },
    { notionalFloor: 1000000, maintMarginRatio: 0.025, initialLeverage: 20 },
  ]);
  const eth = marginTableFromBinanceBrackets([
    { notionalFloor: '0', maintMarginRatio: '0.005' },
    { notionalFloor: '10000', maintMarginRatio: '0.0065' },
    { notionalFloor: '100000', maintMarginRatio: '0.01' },
  ]);

  it('maintenance of the other positions', () => {
    expect(maintenanceMargin({ notional: '93000', marginTable: eth })).toBe('589.5');
    expect(maintenanceMargin({ notional: '122000', marginTable: btc })).toBe('560');
  });
  it('BTC long, cross', () => {
    const px = liquidationPrice({
      side: 'long',
      size: '2',
      price: '60000',
      collateral: '17000', // WB + UPNL1
      otherMaintenanceMargin: '589.5', // TMM1
      marginTable: btc,
    });
    expect(px).toBe('52029.89949748743718593');
  });
  it('BTC long, isolated', () => {
    const px = liquidationPrice({
      side: 'long',
      size: '2',
      price: '60000',
      collateral: '6000',
      marginTable: btc,
    });
    expect(px).toBe('57261.306532663316582915');
  });
  it('ETH short, cross, re-solved in the bracket at the liquidation price', () => {
    const px = liquidationPrice({
      side: 'short',
      size: '30',
      price: '3000',
      collateral: '22000',
      otherMaintenanceMargin: '560',
      marginTable: eth,
    });
    expect(px).toBe('3689.933993399339933993');
  });
});

describe('null where no liquidation price exists', () => {
  const table = hyperliquidMarginTable({ id: 40, marginTables: [] });
  it('over-collateralized long (price would be ≤ 0)', () => {
    expect(
      liquidationPrice({
        side: 'long',
        size: '1',
        price: '100',
        collateral: '100',
        marginTable: table,
      }),
    ).toBeNull();
  });
  it('size 0', () => {
    expect(
      liquidationPrice({
        side: 'short',
        size: '0',
        price: '100',
        collateral: '1',
        marginTable: table,
      }),
    ).toBeNull();
  });
  it('a short always has one', () => {
    expect(
      liquidationPrice({
        side: 'short',
        size: '1',
        price: '100',
        collateral: '1000000',
        marginTable: table,
      }),
    ).not.toBeNull();
  });
});

describe('invalid input throws the documented typed error', () => {
  const table = hyperliquidMarginTable({ id: 20, marginTables: [] });
  const base = {
    side: 'long',
    size: '1',
    price: '100',
    collateral: '10',
    marginTable: table,
  } as const;
  it('negative size', () => {
    expect(() => liquidationPrice({ ...base, size: '-1' })).toThrow(NegativeSizeError);
    expect(() => liquidationPrice({ ...base, size: '-1' })).toThrow(/size must be ≥ 0/);
  });
  it('zero leverage', () => {
    expect(() => initialMargin({ notional: '100', leverage: 0 })).toThrow(InvalidLeverageError);
    expect(() => initialMargin({ notional: '100', leverage: '0' })).toThrow(InvalidLeverageError);
    expect(() =>
      marginTableFromHyperliquid({ marginTiers: [{ lowerBound: '0', maxLeverage: 0 }] }),
    ).toThrow(InvalidLeverageError);
  });
  it('malformed decimal string', () => {
    expect(() => liquidationPrice({ ...base, price: '1e5' })).toThrow(InvalidDecimalError);
    expect(() => liquidationPrice({ ...base, collateral: 'NaN' })).toThrow(
      /collateral must be a decimal string/,
    );
  });
  it('empty tier table', () => {
    expect(() => createMarginTable({ tiers: [] })).toThrow(EmptyTierTableError);
    expect(() => marginTableFromHyperliquid({ marginTiers: [] })).toThrow(EmptyTierTableError);
  });
  it('unsorted tiers', () => {
    const tiers = [
      { lowerBound: '0', maintenanceMarginRate: '0.01' },
      { lowerBound: '100', maintenanceMarginRate: '0.02' },
      { lowerBound: '50', maintenanceMarginRate: '0.03' },
    ];
    expect(() => createMarginTable({ tiers })).toThrow(UnsortedTiersError);
    expect(() => createMarginTable({ tiers })).toThrow(/tiers\[2\] lowerBound must be greater/);
    expect(() =>
      createMarginTable({ tiers: [{ lowerBound: '10', maintenanceMarginRate: '0.01' }] }),
    ).toThrow(UnsortedTiersError);
    expect(() =>
      createMarginTable({
        tiers: [
          { lowerBound: '0', maintenanceMarginRate: '0.02' },
          { lowerBound: '10', maintenanceMarginRate: '0.01' },
        ],
      }),
    ).toThrow(UnsortedTiersError);
  });
  it('a rate outside (0, 1), a non-positive price, an unknown side', () => {
    expect(() =>
      createMarginTable({ tiers: [{ lowerBound: '0', maintenanceMarginRate: '1' }] }),
    ).toThrow(InvalidParameterError);
    expect(() => liquidationPrice({ ...base, price: '0' })).toThrow(InvalidParameterError);
    expect(() => liquidationPrice({ ...base, side: 'up' as 'long' })).toThrow(/side must be/);
  });
  it('every error carries a stable name and the parameter', () => {
    try {
      liquidationPrice({ ...base, size: '-2' });
      expect.unreachable();
    } catch (error) {
      expect((error as NegativeSizeError).name).toBe('Math.NegativeSizeError');
      expect((error as NegativeSizeError).parameter).toBe('size');
    }
  });
});
