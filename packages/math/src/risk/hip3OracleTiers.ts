/**
 * The HIP-3 oracle staleness and mark-deviation tiers (SPEC §3.2, research note 4), defined once:
 * {@link hip3StakeAssessment} grades markets by them and the watcher's market evaluation uses them as
 * its defaults and classifies oracle age with {@link hip3OracleFreshness}.
 *
 * - `fallbackAfterMs`: no `setOracle` for 10 s → the mark falls back to the local mark (`stale`);
 * - `deadAfterMs`: 60 s → the feed is dead;
 * - `l1Fraction` 3 %; `l2Fraction` 5 % held `l2HoldMs` 30 s; L3: L2 held `l3HoldMs` 5 min.
 *
 * @example
 * hip3OracleTiers.fallbackAfterMs // 10000
 */
export const hip3OracleTiers = {
  fallbackAfterMs: 10_000,
  deadAfterMs: 60_000,
  l1Fraction: 0.03,
  l2Fraction: 0.05,
  l2HoldMs: 30_000,
  l3HoldMs: 300_000,
} as const;

/** The staleness thresholds {@link hip3OracleFreshness} compares an oracle age with (ms). */
export type Hip3StalenessTiers = { readonly fallbackAfterMs: number; readonly deadAfterMs: number };

/**
 * How fresh an oracle is whose last change is `ageMs` old: `dead` above `deadAfterMs`, `fallback`
 * (the mark fell back to the local mark) above `fallbackAfterMs`, else `fresh`. Thresholds are
 * exclusive: exactly 10 s is still fresh.
 *
 * @example
 * hip3OracleFreshness(12_000) // 'fallback'
 */
export function hip3OracleFreshness(
  ageMs: number,
  tiers: Hip3StalenessTiers = hip3OracleTiers,
): 'fresh' | 'fallback' | 'dead' {
  if (ageMs > tiers.deadAfterMs) return 'dead';
  if (ageMs > tiers.fallbackAfterMs) return 'fallback';
  return 'fresh';
}
