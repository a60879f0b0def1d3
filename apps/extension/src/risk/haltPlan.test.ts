import { liquidationPrice, marginTableFromHyperliquid } from '@perpscope/math';
import { describe, expect, it } from 'vitest';
import type { PositionBasis } from '../model.js';
import { haltPlan } from './haltPlan.js';

// Vectors derived by hand from research/perp-math.md §3.9 (HL: maintenance = notional·mmr − d_k,
// mmr = 1/(2·maxLeverage), d_k = d_{k−1} + lowerBound_k·(mmr_k − mmr_{k−1}); the position is
// liquidated at X where C + s·q·(X − m) = q·X·mmr_k − d_k + O), target X* = m·(1 − s·keep/100).
const basis = (over: Partial<PositionBasis>): PositionBasis => ({
  marginMode: 'cross',
  side: 'long',
  size: '1',
  entryPx: '50000',
  markPx: '60000',
  collateral: '10000',
  otherMaintenanceMargin: '0',
  leverage: 10,
  maxLeverage: 40,
  marginTiers: [{ lowerBound: '0', maxLeverage: 40 }],
  collateralSymbol: 'USDC',
  ...over,
});
const plan = (b: PositionBasis, keepPct: number) =>
  haltPlan({ basis: b, basisReason: null, headline: 'ours', keepPct, collateralSymbol: 'USDC' });

describe('haltPlan', () => {
  it('cross long, one tier: add and cut to reach 30 % (hand-derived)', () => {
    // q = 1, m = 60,000, C = 10,000, O = 0, 40x → mmr 0.0125. Now: X = (60,000 − 10,000)/0.9875 =
    // 50,632.91 (15.6 %). keep 30 % → X* = 42,000.
    // Add: C* = q·X*·mmr − s·q·(X* − m) = 525 + 18,000 = 18,525 → add 8,525.
    // Cut: q' = (C − O)/(X*·mmr + m·0.3) = 10,000/18,525 = 0.53981…; cut 8,525/18,525 = 46.02 % → 47 %.
    const p = plan(basis({}), 30);
    expect(p).toEqual({
      keepPct: 30,
      addCollateral: '8525',
      collateralSymbol: 'USDC',
      cutPct: 47,
      note: null,
    });
    // Consistency with the solver: with 8,525 more the liquidation price is X* = 42,000.
    const table = marginTableFromHyperliquid({
      marginTiers: [{ lowerBound: '0', maxLeverage: 40 }],
    });
    expect(
      liquidationPrice({
        side: 'long',
        size: '1',
        price: '60000',
        collateral: '18525',
        marginTable: table,
      }),
    ).toBe('42000');
  });

  it('rounds the amount up to the cent', () => {
    // C = 10,000.123 → add 8,524.877 → 8,524.88.
    expect(plan(basis({ collateral: '10000.123' }), 30).addCollateral).toBe('8524.88');
  });

  it('isolated short: the margin to add; no cut, with the reason', () => {
    // q = 4, m = 2,000, C = marginUsed 800, 25x → mmr 0.02. Now X = (800 + 8,000)/4.08 = 2,156.86 (7.8 %).
    // keep 30 % → X* = 2,600. C* = 4·2,600·0.02 + 4·600 = 208 + 2,400 = 2,608 → add 1,808.
    const p = plan(
      basis({
        marginMode: 'isolated',
        side: 'short',
        size: '4',
        entryPx: '2000',
        markPx: '2000',
        collateral: '800',
        maxLeverage: 25,
        marginTiers: [{ lowerBound: '0', maxLeverage: 25 }],
      }),
      30,
    );
    expect(p.addCollateral).toBe('1808');
    expect(p.cutPct).toBeNull();
    expect(p.note).toMatch(/isolated.*not documented exactly/);
  });

  it('cross long on two tiers with other positions: add in the tier of X*, cut in the tier of q′·X*', () => {
    // Tiers 40x from 0, 20x from 100,000: mmr 0.0125 / 0.025, d1 = 100,000·0.0125 = 1,250.
    // q = 3, m = 60,000, C = 40,000, O = 500, keep 30 % → X* = 42,000, q·X* = 126,000 (tier 1).
    // Add: C* = 3·42,000·0.025 − 1,250 + 500 + 3·18,000 = 3,150 − 1,250 + 500 + 54,000 = 56,400 → 16,400.
    // Cut: tier 0: q' = 39,500/(525 + 18,000) = 2.13225…, q'·X* = 89,554 < 100,000 (tier 0 holds);
    // cut = 1 − 39,500/55,575 = 28.92 % → 29 %.
    const p = plan(
      basis({
        size: '3',
        collateral: '40000',
        otherMaintenanceMargin: '500',
        marginTiers: [
          { lowerBound: '0', maxLeverage: 40 },
          { lowerBound: '100000', maxLeverage: 20 },
        ],
      }),
      30,
    );
    expect(p.addCollateral).toBe('16400');
    expect(p.cutPct).toBe(29);
  });

  it('already at the distance: nothing to add or cut', () => {
    const p = plan(basis({}), 10); // now 15.6 % ≥ 10 %
    expect(p.addCollateral).toBe('0');
    expect(p.cutPct).toBe(0);
  });

  it('no amounts when the venue price headlines or there is no basis, with the reason', () => {
    const venue = haltPlan({
      basis: basis({}),
      basisReason: null,
      headline: 'venue',
      keepPct: 30,
      collateralSymbol: 'USDC',
    });
    expect(venue.addCollateral).toBeNull();
    expect(venue.cutPct).toBeNull();
    expect(venue.note).toMatch(/venue's liquidation price is nearer/);
    const none = haltPlan({
      basis: null,
      basisReason:
        'not available for portfolioMargin accounts (portfolio margin: cross positions not solved)',
      headline: 'venue',
      keepPct: 30,
      collateralSymbol: 'USDC',
    });
    expect(none.addCollateral).toBeNull();
    expect(none.note).toBe(
      'Amounts not available for portfolioMargin accounts (portfolio margin: cross positions not solved).',
    );
  });
});
