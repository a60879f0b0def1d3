/**
 * Coarse risk level used by the HIP-3 stake calculator, ordered `low < medium < high < critical`.
 *
 * @example
 * const level: RiskLevel = 'high'
 */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

const RANK: Readonly<Record<RiskLevel, number>> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * The more severe of two risk levels.
 *
 * @example
 * maxRiskLevel('medium', 'high') // 'high'
 */
export function maxRiskLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * Numeric rank of a level (`low` = 0 … `critical` = 3), for sorting.
 *
 * @example
 * riskLevelRank('critical') // 3
 */
export function riskLevelRank(level: RiskLevel): number {
  return RANK[level];
}
