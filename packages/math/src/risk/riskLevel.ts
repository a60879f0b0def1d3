/**
 * Coarse risk level used by the HIP-3 stake calculator, ordered `low < medium < high < critical`.
 *
 * @example
 * const level: RiskLevel = 'high'
 */
export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

/**
 * The levels by rank (`RISK_LEVELS[0]` = `low` … `RISK_LEVELS[3]` = `critical`). Internal: the
 * calculator works on ranks and maps them back to names once, at the output.
 *
 * @example
 * RISK_LEVELS[Math.max(1, 2)] // 'high'
 */
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];
