import { UnsortedSeriesError } from '../errors.js';
import {
  finiteNumber,
  minLength,
  nonNegativeDecimalNumber,
  openUnitNumber,
  positiveInteger,
  positiveNumber,
} from '../internal/args.js';

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
  /** How fast a move must be to count, ms (e.g. `60_000`). */
  readonly windowMs: number;
  /** A fall of at least this fraction of depth within `windowMs` is a collapse. Default `0.5`. */
  readonly collapseFraction?: number;
  /**
   * A change between consecutive snapshots of at least this fraction (of the larger of the two)
   * is a swing. Default `0.3`.
   */
  readonly swingFraction?: number;
  /** This many direction-alternating swings within `windowMs` flag spoofing. Default `4`. */
  readonly minSwings?: number;
};

/** The largest fall in depth within one window. */
export type DepthDrop = {
  readonly fromTimeMs: number;
  readonly toTimeMs: number;
  /** Depth before the fall (decimal string as given). */
  readonly fromDepth: string;
  /** Depth after the fall (decimal string as given). */
  readonly toDepth: string;
  /** `1 − toDepth / fromDepth`, in (0, 1]. */
  readonly dropFraction: number;
};

/** Result of {@link depthSwings}. */
export type DepthSwings = {
  /** Largest fall within any `windowMs` span, or `null` if depth never fell. */
  readonly maxDrop: DepthDrop | null;
  /** `maxDrop.dropFraction ≥ collapseFraction`. */
  readonly collapsed: boolean;
  /** Most direction-alternating swings found within any `windowMs` span. */
  readonly swingCount: number;
  /** `swingCount ≥ minSwings`: liquidity appears and vanishes faster than real makers quote. */
  readonly spoofingSuspected: boolean;
};

/**
 * Depth-collapse and spoofing heuristic over successive depth snapshots (note 4: "spoofing
 * (fast depth swings)"; note 5: liquidity collapse when makers withdraw).
 *
 * - **Collapse**: the largest fall `1 − dⱼ/dᵢ` over pairs `i < j` with `tⱼ − tᵢ ≤ windowMs`; flagged
 *   when it reaches `collapseFraction`.
 * - **Spoofing**: consecutive changes of at least `swingFraction` (relative to the larger of the two
 *   depths) are swings; the longest chain of swings with alternating direction inside one window is
 *   counted, and `minSwings` or more flags the pattern of depth being posted and pulled repeatedly.
 *
 * This is a heuristic with tunable thresholds, not a proof of manipulation.
 *
 * @throws {EmptySeriesError} fewer than 2 snapshots.
 * @throws {UnsortedSeriesError} a snapshot goes back in time.
 * @throws {InvalidParameterError} `windowMs` ≤ 0, fractions outside (0, 1), `minSwings` < 1, or a negative depth.
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
 * // { maxDrop: { fromTimeMs: 10000, toTimeMs: 15000, dropFraction: 0.85, … }, collapsed: true,
 * //   swingCount: 4, spoofingSuspected: true }
 */
export function depthSwings(params: DepthSwingsParameters): DepthSwings {
  const { snapshots, windowMs } = params;
  const collapseFraction = params.collapseFraction ?? 0.5;
  const swingFraction = params.swingFraction ?? 0.3;
  const minSwings = params.minSwings ?? 4;
  minLength('snapshots', snapshots, 2);
  positiveNumber('windowMs', windowMs);
  openUnitNumber('collapseFraction', collapseFraction);
  openUnitNumber('swingFraction', swingFraction);
  positiveInteger('minSwings', minSwings);

  const times: number[] = [];
  const depths: number[] = [];
  for (let i = 0; i < snapshots.length; i++) {
    const s = snapshots[i] as DepthSnapshot;
    finiteNumber(`snapshots[${i}].timeMs`, s.timeMs);
    if (i > 0 && s.timeMs < (times[i - 1] as number)) throw new UnsortedSeriesError('snapshots', i);
    times.push(s.timeMs);
    depths.push(nonNegativeDecimalNumber(`snapshots[${i}].depth`, s.depth));
  }

  let maxDrop: DepthDrop | null = null;
  // For each end point, the best start is the highest depth still inside the window.
  for (let j = 1; j < depths.length; j++) {
    const dj = depths[j] as number;
    for (let i = j - 1; i >= 0 && (times[j] as number) - (times[i] as number) <= windowMs; i--) {
      const di = depths[i] as number;
      if (di <= 0 || dj >= di) continue;
      const drop = 1 - dj / di;
      if (maxDrop === null || drop > maxDrop.dropFraction) {
        maxDrop = {
          fromTimeMs: times[i] as number,
          toTimeMs: times[j] as number,
          fromDepth: (snapshots[i] as DepthSnapshot).depth,
          toDepth: (snapshots[j] as DepthSnapshot).depth,
          dropFraction: drop,
        };
      }
    }
  }

  // Swings between consecutive snapshots: +1 up, −1 down, at the later snapshot's time.
  const swings: { timeMs: number; direction: 1 | -1 }[] = [];
  for (let i = 1; i < depths.length; i++) {
    const a = depths[i - 1] as number;
    const b = depths[i] as number;
    const larger = Math.max(a, b);
    if (larger > 0 && Math.abs(b - a) / larger >= swingFraction) {
      swings.push({ timeMs: times[i] as number, direction: b > a ? 1 : -1 });
    }
  }
  let swingCount = 0;
  for (let start = 0; start < swings.length; start++) {
    const first = swings[start] as (typeof swings)[number];
    let count = 1;
    let last = first.direction;
    for (let k = start + 1; k < swings.length; k++) {
      const s = swings[k] as (typeof swings)[number];
      if (s.timeMs - first.timeMs > windowMs) break;
      if (s.direction !== last) {
        count++;
        last = s.direction;
      }
    }
    if (count > swingCount) swingCount = count;
  }

  return {
    maxDrop,
    collapsed: maxDrop !== null && maxDrop.dropFraction >= collapseFraction,
    swingCount,
    spoofingSuspected: swingCount >= minSwings,
  };
}
