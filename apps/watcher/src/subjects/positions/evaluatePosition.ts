/**
 * The position guard's pure evaluator: a position's level from its liquidation distance, with
 * hysteresis, the halt multiplier and the oracle escalation. No clock, no I/O.
 *
 * @module
 */

import {
  KnownPositionLevel,
  PositionLevel,
  positionLevelSeverity,
  severityRank,
} from '@perpscope/schemas';

/** Levels of a guarded position (`PositionLevel` of `@perpscope/schemas`); `unknown` = no current data. */
export const positionLevels: readonly PositionLevel[] = PositionLevel.options;

/** A level that is judged on distance (`KnownPositionLevel` of `@perpscope/schemas`: not `unknown`). */
export type DistanceLevel = KnownPositionLevel;

/** Where a distance level sits on the one severity scale (`ok` lowest). */
const rank = (level: DistanceLevel): number => severityRank(positionLevelSeverity(level));

/** The distance levels from calm to worst, ordered by the one severity scale. */
const byRank: readonly DistanceLevel[] = [...KnownPositionLevel.options].sort(
  (a, b) => rank(a) - rank(b),
);

/** What the evaluator knows of the market's oracle (from the HIP-3 watch), when it watches it. */
export type OracleCondition = {
  /** The HIP-3 market status (`ok | watch | warn | critical | halted | unknown`). */
  status: string;
  /** Reason codes of that status (`oracle_dead`, `oracle_fallback`, …). */
  reasonCodes: readonly string[];
};

/** Parameters of {@link evaluatePosition}. */
export type EvaluatePositionParameters = {
  /** Distance from mark to liquidation in percent of mark; `null` = no liquidation price. */
  distancePct: number | null;
  /** The distance-only level of the previous evaluation (hysteresis), `null` for a new position. */
  previousBaseLevel: DistanceLevel | null;
  warnPct: number;
  criticalPct: number;
  /** Percentage points beyond a threshold needed to leave its level. */
  hysteresisPct: number;
  /** ≥ 1: thresholds are multiplied by it (a chain the venue prices on is halted or recovering). */
  multiplier: number;
  /** Why the multiplier applies (chain names), for the reasons. */
  multiplierReason?: string;
  oracle: OracleCondition | null;
};

/** What {@link evaluatePosition} decides. */
export type PositionEvaluation = {
  /** Level from the distance alone (kept for the next evaluation's hysteresis). */
  baseLevel: DistanceLevel;
  /** Level after the oracle escalation: what is presented and alerted. */
  level: DistanceLevel;
  /** Thresholds in force (after the multiplier), percent. */
  warnPct: number;
  criticalPct: number;
  reasons: string[];
};

/** Oracle conditions that escalate a position one level: a stale (fallback/dead) or critical oracle. */
export function oracleEscalates(oracle: OracleCondition | null): boolean {
  if (!oracle) return false;
  return (
    oracle.status === 'critical' ||
    oracle.status === 'halted' ||
    oracle.reasonCodes.includes('oracle_dead') ||
    oracle.reasonCodes.includes('oracle_fallback')
  );
}

/**
 * Level of one position. Entering a level needs `distance < threshold`; leaving it (towards `ok`)
 * needs `distance ≥ threshold + hysteresisPct`, so a distance wobbling around a threshold crosses it
 * once. A position without a liquidation price is `ok`. A stale or critical oracle of its market
 * escalates it one level (`ok → warn`, `warn → critical`), with the reason.
 *
 * @example evaluatePosition({ distancePct: 8, previousBaseLevel: 'ok', warnPct: 10, criticalPct: 5,
 *   hysteresisPct: 1, multiplier: 1, oracle: null }).level // 'warn'
 */
export function evaluatePosition(p: EvaluatePositionParameters): PositionEvaluation {
  const m = Math.max(p.multiplier, 1);
  const warnPct = p.warnPct * m;
  const criticalPct = p.criticalPct * m;
  const reasons: string[] = [];
  let baseLevel: DistanceLevel = 'ok';
  if (p.distancePct !== null) {
    const d = p.distancePct;
    const prev = p.previousBaseLevel ?? 'ok';
    // The level the distance reaches without hysteresis, then held while within the band.
    const raw: DistanceLevel = d < criticalPct ? 'critical' : d < warnPct ? 'warn' : 'ok';
    baseLevel = raw;
    if (rank(raw) < rank(prev)) {
      if (prev === 'critical' && d < criticalPct + p.hysteresisPct) baseLevel = 'critical';
      else if (prev !== 'ok' && d < warnPct + p.hysteresisPct)
        baseLevel = rank(raw) < rank('warn') ? 'warn' : raw;
    }
    if (baseLevel !== 'ok')
      reasons.push(
        `liquidation ${fmt(d)} % away (${baseLevel} below ${fmt(baseLevel === 'critical' ? criticalPct : warnPct)} %)`,
      );
  }
  if (m > 1)
    reasons.push(
      `thresholds ×${fmt(m)} while ${p.multiplierReason ?? 'a chain the venue prices on'} is halted or recovering`,
    );
  let level = baseLevel;
  if (oracleEscalates(p.oracle) && p.oracle) {
    level = byRank[Math.min(byRank.indexOf(baseLevel) + 1, byRank.length - 1)] as DistanceLevel;
    reasons.push(
      `oracle ${p.oracle.status}${p.oracle.reasonCodes.length ? ` (${p.oracle.reasonCodes.join(', ')})` : ''}: escalated one level`,
    );
  }
  return { baseLevel, level, warnPct, criticalPct, reasons };
}

const fmt = (x: number) => String(Math.round(x * 100) / 100);
