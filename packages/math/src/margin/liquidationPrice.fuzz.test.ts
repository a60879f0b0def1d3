import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divRound, type Fixed, formatDecimal, parseDecimal, WAD } from '../internal/decimal.js';
import {
  type LiquidationInputFixed,
  type Side,
  solveLiquidationPrice,
} from './liquidationPrice.js';
import {
  type MarginTable,
  type MarginTier,
  maintenanceMarginFixed,
  marginTableFromBinanceBrackets,
  marginTableFromHyperliquid,
} from './marginTable.js';

/** A Hyperliquid-style table with 1–3 tiers: increasing lower bounds, decreasing max leverage. */
const arbTable: fc.Arbitrary<MarginTable> = fc
  .tuple(
    fc.uniqueArray(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 3 }),
    fc.uniqueArray(fc.integer({ min: 1_000, max: 5_000_000 }), { minLength: 2, maxLength: 2 }),
  )
  .map(([levs, bounds]) => {
    const sortedLev = [...levs].sort((a, b) => b - a);
    const sortedBounds = [0, ...[...bounds].sort((a, b) => a - b)];
    return marginTableFromHyperliquid({
      marginTiers: sortedLev.map((maxLeverage, i) => ({
        lowerBound: String(sortedBounds[i]),
        maxLeverage,
      })),
    });
  });

/** Decimal with up to 6 places in [min, max]. */
const arbDecimal = (min: number, max: number) =>
  fc.integer({ min: min * 1e6, max: max * 1e6 }).map((n) => parseDecimal((n / 1e6).toFixed(6)));

const arbSide = fc.constantFrom<Side>('long', 'short');
const sign = (s: Side) => (s === 'long' ? 1 : -1) as 1 | -1;

const solve = (p: {
  side: Side;
  size: bigint;
  price: bigint;
  collateral: bigint;
  other?: bigint;
  table: MarginTable;
}) =>
  solveLiquidationPrice({
    side: sign(p.side),
    size: p.size,
    price: p.price,
    collateral: p.collateral,
    otherMaintenanceMargin: p.other ?? 0n,
    marginTable: p.table,
  });

describe('liquidation solver properties (fast-check)', () => {
  it('at the computed price the account sits exactly at maintenance (within rounding)', () => {
    fc.assert(
      fc.property(
        arbSide,
        arbDecimal(0.001, 100),
        arbDecimal(1, 100_000),
        arbDecimal(-1_000, 200_000),
        arbDecimal(0, 5_000),
        arbTable,
        (side, size, price, collateral, other, table) => {
          const x = solve({ side, size, price, collateral, other, table });
          if (x === null) return;
          const equity = collateral * WAD + BigInt(sign(side)) * size * (x - price); // WAD²
          const mm = (maintenanceMarginFixed((size * x) / WAD, table) + other) * WAD;
          // One rounding of x (≤ 1 wei) moves equity − MM by at most size·(1 + mmr); the notional used
          // for the tier lookup is truncated, and the MM's own half-even rounding adds ≤ 1 wei.
          const tolerance = 3n * size + 3n * WAD;
          const gap = equity - mm;
          expect(gap <= tolerance && gap >= -tolerance).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('more collateral moves a long’s price down and a short’s up', () => {
    fc.assert(
      fc.property(
        arbSide,
        arbDecimal(0.001, 100),
        arbDecimal(1, 100_000),
        arbDecimal(0, 100_000),
        arbDecimal(0.000001, 10_000),
        arbTable,
        (side, size, price, collateral, extra, table) => {
          const a = solve({ side, size, price, collateral, table });
          const b = solve({ side, size, price, collateral: collateral + extra, table });
          if (side === 'long') {
            // null means "never" (≤ 0): more collateral can only keep it null.
            if (a === null) expect(b).toBeNull();
            else if (b !== null) expect(b < a).toBe(true);
          } else {
            expect(a).not.toBeNull();
            expect(b! > a!).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a larger position on the same collateral liquidates closer to the price', () => {
    fc.assert(
      fc.property(
        arbSide,
        arbDecimal(0.001, 100),
        arbDecimal(0.001, 100),
        arbDecimal(1, 100_000),
        arbDecimal(1, 100_000),
        arbTable,
        (side, size, extraSize, price, collateral, table) => {
          const a = solve({ side, size, price, collateral, table });
          const b = solve({ side, size: size + extraSize, price, collateral, table });
          if (side === 'long') {
            if (a !== null) expect(b !== null && b >= a).toBe(true);
          } else {
            expect(b! <= a!).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a healthy long liquidates below the price, a healthy short above it', () => {
    fc.assert(
      fc.property(
        arbDecimal(0.001, 100),
        arbDecimal(1, 100_000),
        arbDecimal(0.000001, 10_000),
        arbTable,
        (size, price, buffer, table) => {
          // Collateral above maintenance at the current price: the account is healthy now.
          const collateral = maintenanceMarginFixed((size * price) / WAD, table) + buffer;
          const long = solve({ side: 'long', size, price, collateral, table });
          const short = solve({ side: 'short', size, price, collateral, table });
          if (long !== null) expect(long < price).toBe(true);
          expect(short! > price).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('prints prices that parse back to the same value', () => {
    fc.assert(
      fc.property(arbDecimal(0.001, 10), arbDecimal(1, 1000), arbTable, (size, price, table) => {
        const x = solve({ side: 'short', size, price, collateral: 0n, table })!;
        expect(parseDecimal(formatDecimal(x))).toBe(x);
      }),
      { numRuns: 50 },
    );
  });

  it('returns exactly what the previous solver (one divRound) returned, on any input', () => {
    // The solver as of commit cfa42d0 (before the sign checks replaced its final divRound), verbatim.
    const reference = (input: LiquidationInputFixed): Fixed | null => {
      const { side, size, price, collateral, otherMaintenanceMargin } = input;
      if (size === 0n) return null;
      const tiers = input.marginTable.tiers;
      const last = tiers.length - 1;
      const equity =
        (otherMaintenanceMargin ? collateral - otherMaintenanceMargin : collateral) * WAD;
      const base = side === 1 ? equity - size * price : equity + size * price;
      let k = 0;
      while (k < last) {
        const next = tiers[k + 1]!;
        const atBound = next.lowerBound * WAD;
        const surplus =
          (side === 1 ? base + atBound : base - atBound) - next.maintenanceAtLowerBoundWad2;
        if (side === 1 ? surplus > 0n : surplus < 0n) break;
        k++;
      }
      const tier = tiers[k]!;
      const denominator =
        size * (side === 1 ? tier.maintenanceMarginRate - WAD : tier.maintenanceMarginRate + WAD);
      if (denominator === 0n) return null;
      const x = divRound(
        (tier.deduction ? base + tier.deduction * WAD : base) * WAD,
        denominator,
        side === 1 ? 'ceil' : 'floor',
      );
      return x > 0n ? x : null;
    };
    // Hand-built tiers too: rates of 0, 1 and above 1, any deduction, so every sign case is reached.
    const arbWad = (max: number) => fc.bigInt({ min: -BigInt(max) * WAD, max: BigInt(max) * WAD });
    const arbTier = fc
      .tuple(
        fc.constantFrom(0n, WAD / 40n, WAD / 3n, WAD, 2n * WAD, WAD / 2n + 1n),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        arbWad(1_000_000),
      )
      .map(
        ([mmr, lowerBound, deduction]): MarginTier => ({
          lowerBound,
          maintenanceMarginRate: mmr,
          deduction,
          maxLeverage: null,
          maintenanceAtLowerBoundWad2: lowerBound * mmr - deduction * WAD,
        }),
      );
    const arbAnyTable: fc.Arbitrary<MarginTable> = fc.oneof(
      arbTable,
      fc.array(arbTier, { minLength: 1, maxLength: 3 }).map((tiers) => ({
        tiers: [...tiers].sort((a, b) => (a.lowerBound < b.lowerBound ? -1 : 1)),
      })),
      fc.constant(
        marginTableFromBinanceBrackets([
          { notionalFloor: 250000, maintMarginRatio: 0.025, cum: 900000 },
        ]),
      ),
    );
    fc.assert(
      fc.property(
        fc.constantFrom<1 | -1>(1, -1),
        fc.oneof(arbDecimal(0.001, 100), arbWad(10), fc.constant(0n)),
        fc.oneof(arbDecimal(1, 100_000), arbWad(100_000)),
        fc.oneof(arbDecimal(-1_000, 200_000), arbWad(10_000_000)),
        fc.oneof(arbDecimal(0, 5_000), arbWad(1_000), fc.constant(0n)),
        arbAnyTable,
        (side, size, price, collateral, otherMaintenanceMargin, marginTable) => {
          const input = { side, size, price, collateral, otherMaintenanceMargin, marginTable };
          expect(solveLiquidationPrice(input)).toBe(reference(input));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
