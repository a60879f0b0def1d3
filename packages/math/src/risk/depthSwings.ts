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
  const {
    snapshots,
    windowMs,
    collapseFraction = 0.5,
    swingFraction = 0.3,
    minSwings = 4,
  } = params;
  timeSeries('snapshots', snapshots, 2);
  positiveNumber('windowMs', windowMs);
  openUnitNumber('collapseFraction', collapseFraction);
  openUnitNumber('swingFraction', swingFraction);
  positiveInteger('minSwings', minSwings);

  const depths = snapshots.map((s, i) =>
    nonNegativeDecimalNumber(`snapshots[${i}].depth`, s.depth),
  );
  const time = (i: number) => (snapshots[i] as DepthSnapshot).timeMs;

  // One walk over every pair (start k, end m) inside a window: the largest fall 1 − dₘ/dₖ
  // (latest start, then earliest end, wins a tie; a fall from 0 is NaN/−∞ and never wins), and
  // the longest direction-alternating chain of swings starting at k. The swing ending at m is the
  // change from m − 1 (+1 up, −1 down, 0 when smaller than `swingFraction` of the larger depth;
  // NaN, so none, for the first snapshot or two empty ones).
  let drop = 0;
  let from = 0;
  let to = 0;
  let swingCount = 0;
  for (let k = depths.length; k--; ) {
    let count = 0;
    let last = 0;
    for (let m = k; m < depths.length && time(m) - time(k) <= windowMs; m++) {
      const a = depths[m - 1] as number;
      const b = depths[m] as number;
      const fall = 1 - b / (depths[k] as number);
      if (fall > drop) [drop, from, to] = [fall, k, m];
      const swing = Math.abs(b - a) / Math.max(a, b) >= swingFraction ? Math.sign(b - a) : 0;
      if (swing && swing !== last) {
        count++;
        last = swing;
      }
    }
    if (count > swingCount) swingCount = count;
  }

  return {
    maxDrop: drop
      ? {
          fromTimeMs: time(from),
          toTimeMs: time(to),
          fromDepth: (snapshots[from] as DepthSnapshot).depth,
          toDepth: (snapshots[to] as DepthSnapshot).depth,
          dropFraction: drop,
        }
      : null,
    collapsed: drop >= collapseFraction,
    swingCount,
    spoofingSuspected: swingCount >= minSwings,
  };
}
