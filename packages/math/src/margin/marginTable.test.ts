import { describe, expect, it } from 'vitest';
import { UnknownMarginTableError } from '../errors.js';
import { formatDecimal } from '../internal/decimal.js';
import {
  hyperliquidMarginTable,
  hyperliquidMarginTiers,
  initialMargin,
  maintenanceMargin,
  marginTableFromBinanceBrackets,
  marginTableFromHyperliquid,
} from './marginTable.js';

const _relDiff = (a: string, b: string) => Math.abs(Number(a) - Number(b)) / Math.abs(Number(b));

describe('margin tables', () => {
  it('C11: HL "tiered 40x" deduction 1,875,000 and continuous MM (hyperliquid.md §3.2)', () => {
    const t = marginTableFromHyperliquid({
      marginTiers: [
        { lowerBound: '0.0', maxLeverage: 40 },
        { lowerBound: '150000000.0', maxLeverage: 20 },
      ],
    });
    expect(
      t.tiers.map((x) => [formatDecimal(x.maintenanceMarginRate), formatDecimal(x.deduction)]),
    ).toEqual([
      ['0.0125', '0'],
      ['0.025', '1875000'],
    ]);
    expect(maintenanceMargin({ notional: '100000000', marginTable: t })).toBe('1250000');
    expect(maintenanceMargin({ notional: '150000000', marginTable: t })).toBe('1875000');
    expect(maintenanceMargin({ notional: '200000000', marginTable: t })).toBe('3125000');
  });
  it('C13: $10,000 on a 20x-max asset → MM $250, IM $1,000 at 10x and $500 at 20x', () => {
    const t = hyperliquidMarginTable({ id: 20, marginTables: [] });
    expect(maintenanceMargin({ notional: '10000', marginTable: t })).toBe('250');
    expect(initialMargin({ notional: '10000', leverage: 10 })).toBe('1000');
    expect(initialMargin({ notional: '10000', leverage: '20' })).toBe('500');
  });
  it('B5: Binance BTCUSDT 2021 cum ladder', () => {
    const floors = [0, 50e3, 250e3, 1e6, 10e6, 20e6, 50e6, 100e6, 200e6, 300e6];
    const rates = [0.004, 0.005, 0.01, 0.025, 0.05, 0.1, 0.125, 0.15, 0.25, 0.5];
    const t = marginTableFromBinanceBrackets(
      floors.map((f, i) => ({ notionalFloor: f, maintMarginRatio: rates[i]! })),
    );
    expect(t.tiers.map((x) => formatDecimal(x.deduction))).toEqual([
      '0',
      '50',
      '1300',
      '16300',
      '266300',
      '1266300',
      '2516300',
      '5016300',
      '25016300',
      '100016300',
    ]);
  });
  it('B5 with published cum: one bracket alone reproduces the full ladder', async () => {
    const { liquidationPrice } = await import('./liquidationPrice.js');
    // The 250k–1M bracket of the B5 ladder (mmr 1 %, published cum 1,300 = the ladder's value above).
    const full = marginTableFromBinanceBrackets(
      [0, 50e3, 250e3, 1e6].map((f, i) => ({
        notionalFloor: f,
        maintMarginRatio: [0.004, 0.005, 0.01, 0.025][i]!,
      })),
    );
    const one = marginTableFromBinanceBrackets([
      { notionalFloor: '250000', maintMarginRatio: '0.01', cum: '1300' },
    ]);
    expect(formatDecimal(one.tiers[0]!.deduction)).toBe('1300');
    // 500k notional: 500,000·0.01 − 1,300 = 3,700 in both tables.
    expect(maintenanceMargin({ notional: '500000', marginTable: one })).toBe('3700');
    expect(maintenanceMargin({ notional: '500000', marginTable: full })).toBe('3700');
    // A 10 BTC long at 60,000 with 100,000 collateral liquidates inside the 250k–1M bracket:
    // X = (E − s·p + cum)/(|s|·mmr − s) = (100000 − 600000 + 1300)/(0.1 − 10) = 50,373.737… in both.
    const args = { side: 'long', size: '10', price: '60000', collateral: '100000' } as const;
    const a = liquidationPrice({ ...args, marginTable: one });
    expect(a).toBe(liquidationPrice({ ...args, marginTable: full }));
    expect(a!.startsWith('50373.7373737373')).toBe(true);
    // A published cum overrides the ladder (it is trusted, not rebuilt) and must not be negative.
    const stale = marginTableFromBinanceBrackets([
      { notionalFloor: 0, maintMarginRatio: 0.004 },
      { notionalFloor: 50000, maintMarginRatio: 0.005, cum: 49 },
    ]);
    expect(formatDecimal(stale.tiers[1]!.deduction)).toBe('49');
    expect(() =>
      marginTableFromBinanceBrackets([{ notionalFloor: 0, maintMarginRatio: 0.004, cum: -1 }]),
    ).toThrow(/brackets\[0\]\.cum/);
    // Without cum a bracket ladder must still start at 0.
    expect(() =>
      marginTableFromBinanceBrackets([{ notionalFloor: 250000, maintMarginRatio: 0.01 }]),
    ).toThrow(/notionalFloor must be 0/);
  });
  it('uses the table from meta.marginTables for ids ≥ 50 (real 2026-02-06 meta)', () => {
    const t = hyperliquidMarginTable({
      id: 56,
      marginTables: [
        [
          56,
          {
            description: 'tiered 40x',
            marginTiers: [
              { lowerBound: '0.0', maxLeverage: 40 },
              { lowerBound: '150000000.0', maxLeverage: 20 },
            ],
          },
        ],
      ],
    });
    expect(t.tiers).toHaveLength(2);
    expect(() => hyperliquidMarginTable({ id: 57, marginTables: [] })).toThrow(
      UnknownMarginTableError,
    );
  });
  it('hyperliquidMarginTiers: the listed tiers as published, one tier at the id below 50, else an error (HL docs: ids < 50 are not listed)', () => {
    const tiered = [
      { lowerBound: '0.0', maxLeverage: 40 },
      { lowerBound: '150000000.0', maxLeverage: 20 },
    ];
    expect(
      hyperliquidMarginTiers({ id: 56, marginTables: [[56, { marginTiers: tiered }]] }),
    ).toEqual(tiered);
    expect(hyperliquidMarginTiers({ id: 20, marginTables: [] })).toEqual([
      { lowerBound: '0', maxLeverage: 20 },
    ]);
    for (const id of [56, 0, 2.5])
      expect(() => hyperliquidMarginTiers({ id, marginTables: [] })).toThrow(
        UnknownMarginTableError,
      );
  });
});
