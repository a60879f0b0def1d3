import { describe, expect, it } from 'vitest';
import { type DistanceLevel, evaluatePosition, oracleEscalates } from './evaluatePosition.js';
import { venueDependsOnChainForPrices } from './venueDependsOnChainForPrices.js';

const base = { warnPct: 10, criticalPct: 5, hysteresisPct: 1, multiplier: 1, oracle: null };

/** Levels along a distance path, each evaluation fed the previous base level (as the loop does). */
function walk(distances: readonly (number | null)[], extra: Partial<typeof base> = {}) {
  let prev: DistanceLevel | null = null;
  return distances.map((d) => {
    const ev = evaluatePosition({ ...base, ...extra, distancePct: d, previousBaseLevel: prev });
    prev = ev.baseLevel;
    return ev.level;
  });
}

describe('evaluatePosition', () => {
  it('enters a level below its threshold and leaves it only a hysteresis band above', () => {
    expect(walk([20, 9.9, 10.5, 9.5, 10.99, 11, 12])).toEqual([
      'ok',
      'warn',
      'warn', // 10.5 < 10 + 1: still warn
      'warn',
      'warn',
      'ok', // ≥ 11 leaves warn
      'ok',
    ]);
    expect(walk([8, 4.9, 5.5, 5.99, 6, 10.5, 11])).toEqual([
      'warn',
      'critical',
      'critical',
      'critical',
      'warn', // ≥ 6 leaves critical, still below the warn band
      'warn',
      'ok',
    ]);
  });

  it('goes straight from ok to critical and from critical to ok on big moves', () => {
    expect(walk([30, 2, 30])).toEqual(['ok', 'critical', 'ok']);
  });

  it('without hysteresis a wobble crosses every time (what the band prevents)', () => {
    expect(walk([9.9, 10.1, 9.9, 10.1], { hysteresisPct: 0 })).toEqual([
      'warn',
      'ok',
      'warn',
      'ok',
    ]);
  });

  it('multiplies both thresholds and says why', () => {
    const ev = evaluatePosition({
      ...base,
      distancePct: 15,
      previousBaseLevel: null,
      multiplier: 2,
      multiplierReason: 'Base',
    });
    expect(ev).toMatchObject({ level: 'warn', warnPct: 20, criticalPct: 10 });
    expect(ev.reasons).toContain('thresholds ×2 while Base is halted or recovering');
    expect(evaluatePosition({ ...base, distancePct: 15, previousBaseLevel: null }).level).toBe(
      'ok',
    );
  });

  it('escalates one level on a stale or critical oracle, with the reason', () => {
    const stale = { status: 'warn', reasonCodes: ['oracle_fallback'] };
    expect(
      evaluatePosition({ ...base, distancePct: 30, previousBaseLevel: null, oracle: stale }),
    ).toMatchObject({ baseLevel: 'ok', level: 'warn' });
    const ev = evaluatePosition({
      ...base,
      distancePct: 8,
      previousBaseLevel: null,
      oracle: { status: 'critical', reasonCodes: ['oracle_dead'] },
    });
    expect(ev).toMatchObject({ baseLevel: 'warn', level: 'critical' });
    expect(ev.reasons.at(-1)).toBe('oracle critical (oracle_dead): escalated one level');
    expect(
      evaluatePosition({
        ...base,
        distancePct: 2,
        previousBaseLevel: null,
        oracle: { status: 'halted', reasonCodes: [] },
      }).level,
    ).toBe('critical');
  });

  it('does not escalate on a healthy or merely watched oracle', () => {
    expect(oracleEscalates({ status: 'ok', reasonCodes: [] })).toBe(false);
    expect(oracleEscalates({ status: 'watch', reasonCodes: ['wide_spread'] })).toBe(false);
    expect(oracleEscalates({ status: 'warn', reasonCodes: ['mark_jump'] })).toBe(false);
    expect(oracleEscalates(null)).toBe(false);
  });

  it('treats a position without a liquidation price as ok', () => {
    expect(
      evaluatePosition({ ...base, distancePct: null, previousBaseLevel: 'critical' }).level,
    ).toBe('ok');
  });
});

describe('venueDependsOnChainForPrices (research/venues.md §6)', () => {
  it('Hyperliquid depends on Arbitrum One for the bridge only, and on no chain for prices', () => {
    expect(venueDependsOnChainForPrices('hyperliquid', 'arbitrum-one')).toBe(false);
    expect(venueDependsOnChainForPrices('hyperliquid', 'base')).toBe(false);
  });

  it('counts a chain the operator declared a prices dependency (positions.dependencies), the table first', () => {
    expect(venueDependsOnChainForPrices('hyperliquid', 'my-l2', { 'my-l2': 'prices' })).toBe(true);
    expect(venueDependsOnChainForPrices('hyperliquid', 'my-l2', { 'my-l2': 'bridge' })).toBe(false);
    expect(venueDependsOnChainForPrices('hyperliquid', 'my-l2', {})).toBe(false);
    // The built-in table wins (the config rejects the contradiction before it gets here).
    expect(
      venueDependsOnChainForPrices('hyperliquid', 'arbitrum-one', { 'arbitrum-one': 'prices' }),
    ).toBe(false);
    // Own keys only: `constructor` is no declaration.
    expect(venueDependsOnChainForPrices('hyperliquid', 'constructor', {})).toBe(false);
  });
});
