import { positionLevelSeverity, severityRank } from '@perpscope/schemas';
import type { RiskLevel } from '../model.js';

/** Badge thresholds on the liquidation distance (percent of mark). */
export interface Thresholds {
  readonly warnPct: number;
  readonly criticalPct: number;
  readonly haltMultiplier: number;
}

/**
 * Colour level of a liquidation distance. While a watched chain is halted the thresholds are
 * multiplied by `haltMultiplier` (SPEC §0 note 1: keep at least 2× the normal distance).
 *
 * @example
 * riskLevel({ distancePct: 12, thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 2 }, haltActive: false }) // 'warn'
 */
export function riskLevel(params: {
  readonly distancePct: number | null;
  readonly thresholds: Thresholds;
  readonly haltActive: boolean;
}): RiskLevel {
  const { distancePct, thresholds, haltActive } = params;
  if (distancePct === null || !Number.isFinite(distancePct)) return 'unknown';
  const k = haltActive ? thresholds.haltMultiplier : 1;
  if (distancePct < thresholds.criticalPct * k) return 'critical';
  if (distancePct < thresholds.warnPct * k) return 'warn';
  return 'ok';
}

/**
 * Orders two risk levels on perpscope's one severity scale (`positionLevelSeverity` of
 * `@perpscope/schemas`, shared with the watcher's position guard): `ok` < `unknown` < `warn` <
 * `critical`. Negative when `a` is less severe than `b`, 0 when equal, positive when more.
 *
 * @example compareRiskLevels('critical', 'warn') > 0 // true
 */
export function compareRiskLevels(a: RiskLevel, b: RiskLevel): number {
  return severityRank(positionLevelSeverity(a)) - severityRank(positionLevelSeverity(b));
}
