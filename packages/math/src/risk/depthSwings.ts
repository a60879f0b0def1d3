import {
  nonNegativeDecimalNumber,
  openUnitNumber,
  positiveInteger,
  positiveNumber,
} from '../internal/args.js';
import { timeSeries } from './timeSeries.js';

/**
 * A depth observation: time and depth (e.g. `totalQuote` of `bookDepth` at ±3 %).
 *
 * @example
 * const snapshot: DepthSnapshot = { timeMs: 1_782_131_344_546, depth: '13721117.04011' }
 */
export type DepthSnapshot = {
  /** Observation time, Unix ms. */
  readonly timeMs: number;
  /** Depth, decimal string ≥ 0 (any unit, the same for every snapshot). */
  readonly depth: string;
};

/** Parameters of {@link depthSwings}. */
export type DepthSwingsParameters = {
  /** Depth snapshots, `timeMs` non-decreasing; at least 2. */
  readonly snapshots: readonly DepthSnapshot[];
  /** How fast the swings must follow each other, ms (e.g. `60_000`). */
  readonly windowMs: number;
  /**
   * A change between consecutive snapshots of at least this fraction (of the larger of the two)
   * is a swing. Default `0.3`.
   */
  readonly swingFraction?: number;
  /** This many direction-alternating swings within `windowMs` flag spoofing. Default `4`. */
  readonly minSwings?: number;
};

/** Result of {@link depthSwings}. */
export type DepthSwings = {
  /** Most direction-alternating swings found within any `windowMs` span. */
  readonly swingCount: number;
  /** `swingCount ≥ minSwings`: liquidity appears and vanishes faster than real makers quote. */
  readonly spoofingSuspected: boolean;
};

/**
 * Spoofing heuristic over successive depth snapshots (note 4: "spoofing (fast depth swings)"):
 * consecutive changes of at least `swingFraction` (relative to the larger of the two depths) are
 * swings; the longest chain of swings with alternating direction inside one `windowMs` span is
 * counted, and `minSwings` or more flags the pattern of depth being posted and pulled repeatedly.
 *
 * This is a heuristic with tunable thresholds, not a proof of manipulation.
 *
 * @throws {EmptySeriesError} fewer than 2 snapshots.
 * @throws {UnsortedSeriesError} a snapshot goes back in time.
 * @throws {InvalidParameterError} `windowMs` ≤ 0, `swingFraction` outside (0, 1), `minSwings` < 1, a
 *   non-finite time or a negative depth.
 * @throws {InvalidDecimalError} a depth is not a decimal string.
 * @example
 * depthSwings({
 *   snapshots: [
 *     { timeMs: 0, depth: '1000000' }, { timeMs: 5_000, depth: '200000' },
 *     { timeMs: 10_000, depth: '1000000' }, { timeMs: 15_000, depth: '150000' },
 *     { timeMs: 20_000, depth: '900000' },
 *   ],
 *   windowMs: 60_000,
 * })
 * // { swingCount: 4, spoofingSuspected: true }
 */
export function depthSwings(params: DepthSwingsParameters): DepthSwings {
  const { snapshots, windowMs, swingFraction = 0.3, minSwings = 4 } = params;
  timeSeries('snapshots', snapshots, 2);
  positiveNumber('windowMs', windowMs);
  openUnitNumber('swingFraction', swingFraction);
  positiveInteger('minSwings', minSwings);
  const depths = snapshots.map((s, i) =>
    nonNegativeDecimalNumber(`snapshots[${i}].depth`, s.depth),
  );

  // For each start k, the chain of alternating swings inside [t_k, t_k + windowMs]. The swing
  // ending at m is the change from m − 1 (+1 up, −1 down, 0 when smaller than `swingFraction` of
  // the larger depth; NaN, so none, for the first snapshot or two empty ones), at m's time. Past
  // the last snapshot the time difference is NaN, which ends the walk.
  let swingCount = 0;
  snapshots.forEach(({ timeMs }, k) => {
    let count = 0;
    let last = 0;
    for (let m = k; (snapshots[m]?.timeMs as number) - timeMs <= windowMs; m++) {
      const a = depths[m - 1] as number;
      const b = depths[m] as number;
      const swing = Math.abs(b - a) / Math.max(a, b) >= swingFraction ? Math.sign(b - a) : 0;
      if (swing && swing !== last) {
        count++;
        last = swing;
      }
    }
    swingCount = Math.max(swingCount, count);
  });
  return { swingCount, spoofingSuspected: swingCount >= minSwings };
}
