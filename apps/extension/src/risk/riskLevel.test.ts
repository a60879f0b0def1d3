import { describe, expect, it } from 'vitest';
import type { RiskLevel } from '../model.js';
import { compareRiskLevels, riskLevel } from './riskLevel.js';

const thresholds = { warnPct: 15, criticalPct: 7, haltMultiplier: 2 };

describe('riskLevel', () => {
  it('colours a distance by the thresholds, multiplied while a chain is halted', () => {
    expect(riskLevel({ distancePct: 12, thresholds, haltActive: false })).toBe('warn');
    expect(riskLevel({ distancePct: 12, thresholds, haltActive: true })).toBe('critical');
    expect(riskLevel({ distancePct: 40, thresholds, haltActive: false })).toBe('ok');
    expect(riskLevel({ distancePct: null, thresholds, haltActive: false })).toBe('unknown');
  });
});

describe('compareRiskLevels (the one severity scale of @perpscope/schemas)', () => {
  it('orders ok < unknown < warn < critical, as the watcher’s status page ranks guarded positions', () => {
    const levels: RiskLevel[] = ['critical', 'ok', 'warn', 'unknown'];
    expect(levels.sort(compareRiskLevels)).toEqual(['ok', 'unknown', 'warn', 'critical']);
    expect(compareRiskLevels('warn', 'warn')).toBe(0);
  });
});
