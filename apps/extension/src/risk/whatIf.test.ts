import { describe, expect, it } from 'vitest';
import type { PositionBasis } from '../model.js';
import { whatIf } from './whatIf.js';

// Expected prices derived by hand from research/perp-math.md §3.9 for HL (one tier, mmr =
// 1/(2·maxLeverage), d = 0): the liquidation price X solves C + s·q·(X − m) = q·X·mmr + O, i.e.
// X = (s·q·m + O − C) / (q·(s − mmr)), with the collateral after the trade as the function's TSDoc
// says (cross: unchanged for a fill at mark; isolated increase: + |Δ|·fill/leverage).
const cross: PositionBasis = {
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
};
const isolatedShort: PositionBasis = {
  ...cross,
  marginMode: 'isolated',
  side: 'short',
  size: '4',
  entryPx: '2000',
  markPx: '2000',
  collateral: '800',
  maxLeverage: 25,
  marginTiers: [{ lowerBound: '0', maxLeverage: 25 }],
};

const ok = (r: ReturnType<typeof whatIf>) => {
  if (!r.ok) throw new Error(`expected a result, got: ${r.error}`);
  return r;
};

describe('whatIf', () => {
  it('cross: +1 at mark doubles the size on the same equity', () => {
    // q = 2, C = 10,000, mmr 0.0125: X = (120,000 − 10,000)/(2·0.9875) = 55,696.2025…; distance 7.17299…%.
    const r = ok(whatIf(cross, { kind: 'size', text: '+1' }));
    expect(r.side).toBe('long');
    expect(r.size).toBe('2');
    expect(Number(r.liquidationPx)).toBeCloseTo(110_000 / 1.975, 6);
    expect(Number(r.distancePct)).toBeCloseTo(((60_000 - 110_000 / 1.975) / 60_000) * 100, 9);
  });

  it('cross: a sell larger than the position flips it', () => {
    // −3 on a long of 1 → short 2 at mark, C = 10,000: X = (−120,000 − 10,000)/(2·(−1 − 0.0125)) = 64,197.53…
    const r = ok(whatIf(cross, { kind: 'size', text: '-3' }));
    expect(r.side).toBe('short');
    expect(r.size).toBe('2');
    expect(Number(r.liquidationPx)).toBeCloseTo(130_000 / 2.025, 6);
  });

  it('cross: a leverage change leaves the price where it is, and says why', () => {
    // X = (60,000 − 10,000)/0.9875 = 50,632.9113…
    const r = ok(whatIf(cross, { kind: 'leverage', text: '5' }));
    expect(Number(r.liquidationPx)).toBeCloseTo(50_000 / 0.9875, 6);
    expect(r.note).toMatch(/initial margin/);
  });

  it('isolated: a new leverage sets the margin to size·mark/L', () => {
    // 5x: margin 4·2,000/5 = 1,600; short 4, mmr 0.02: X = (−8,000 − 1,600)/(4·(−1.02)) = 2,352.941…
    const r = ok(whatIf(isolatedShort, { kind: 'leverage', text: '5' }));
    expect(Number(r.liquidationPx)).toBeCloseTo(9_600 / 4.08, 6);
    expect(Number(r.distancePct)).toBeCloseTo((352.941_176_470_588 / 2000) * 100, 6);
  });

  it('isolated: an increase adds |Δ|·mark/leverage of margin', () => {
    // Long 1 at mark 100, margin 10, 10x, 20x max (mmr 0.025); +1 → margin 20, q 2:
    // X = (200 − 20)/(2·0.975) = 92.3076…
    const r = ok(
      whatIf(
        {
          ...isolatedShort,
          side: 'long',
          size: '1',
          entryPx: '100',
          markPx: '100',
          collateral: '10',
          leverage: 10,
          maxLeverage: 20,
          marginTiers: [{ lowerBound: '0', maxLeverage: 20 }],
        },
        { kind: 'size', text: '+1' },
      ),
    );
    expect(Number(r.liquidationPx)).toBeCloseTo(180 / 1.95, 9);
  });

  it('closing the position leaves no price', () => {
    const r = ok(whatIf(cross, { kind: 'size', text: '-1' }));
    expect(r.side).toBeNull();
    expect(r.liquidationPx).toBeNull();
  });

  it.each([
    ['size', '', /Enter a size change/],
    ['size', 'abc', /"abc" is not a size change/],
    ['size', '1e3', /not a size change/],
    ['size', '+0', /changes nothing/],
    ['leverage', '', /Enter a leverage from 1 to 40/],
    ['leverage', '50', /outside 1–40 \(this market's maximum is 40×\)/],
    ['leverage', '0.5', /outside 1–40/],
    ['leverage', '-2', /Enter a leverage/],
  ] as const)('%s %j: a clear error', (kind, text, message) => {
    const r = whatIf(cross, { kind, text });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
