import { InvalidParameterError } from '../errors.js';
import { type DecimalString, parsePositive } from '../internal/args.js';
import { type Fixed, formatDecimal, WAD } from '../internal/decimal.js';
import { medianFixed } from '../internal/median.js';

/** One HIP-3 `setOracle` call as observed (time in ms since epoch, prices as decimal strings). */
export type SetOracleUpdate = {
  readonly timeMs: number;
  readonly oraclePx: DecimalString;
  /** The deployer's mark inputs (0–2 prices); their median is the deployer's intended mark. */
  readonly markPxs: readonly DecimalString[];
  readonly externalPerpPx?: DecimalString;
};

/** A start-of-day reference price valid from `fromMs` until the next entry. */
export type DayOpenPrice = { readonly fromMs: number; readonly price: DecimalString };

/** Which HIP-3 `setOracle` rule a violation breaks. */
export type SetOracleRule =
  /**
   * Less than 2.5 s after the previous update — or after the exchange's stale-mark fallback, which the docs
   * say "counts as an update for purposes of the maximal update frequency".
   */
  | 'tooFrequent'
  /** More than 10 s after the previous update: the mark fell back to the local mark meanwhile. */
  | 'stale'
  /** The deployer mark moved more than 1 % from the previous update's mark (the exchange clamps it). */
  | 'markMoveOverLimit'
  /** A price above 10× or below 1/10 of the start-of-day price (the exchange clamps it). */
  | 'outsideDailyClamp';

/** One rule violation, pointing at the offending update. */
export type SetOracleViolation = {
  /** Index of the offending update in the input. */
  readonly index: number;
  readonly rule: SetOracleRule;
  /** Which price broke `outsideDailyClamp`/`markMoveOverLimit`, or `'interval'` for timing rules. */
  readonly subject: 'interval' | 'oraclePx' | 'markPx' | 'externalPerpPx';
  /**
   * The measured value (decimal string): interval in ms (for `tooFrequent` after a fallback: ms since the
   * fallback), relative mark move, or price / day-open ratio.
   */
  readonly value: DecimalString;
};

/** Thresholds of the rules (HL docs "HIP-3 deployer actions"); override to test stricter policies. */
export type SetOracleLimits = {
  /** Default 2,500 ms. */
  readonly minIntervalMs?: number;
  /** Default 10,000 ms. */
  readonly staleAfterMs?: number;
  /** Default `'0.01'` (1 %). */
  readonly maxMarkMove?: DecimalString;
  /** Default `'10'` (10× start of day). */
  readonly dailyClampFactor?: DecimalString;
};

/**
 * Checks a sequence of HIP-3 `setOracle` updates (sorted by time) against the deployer rules:
 * ≥ 2.5 s between calls (a stale-mark fallback counts as a call); a gap > 10 s means the mark fell back to
 * the local mark; deployer mark moves
 * > 1 % per update; oracle/mark/external prices outside 10× (or 1/10) of the start-of-day price.
 * Returns every violation (in input order); an empty array means the sequence follows the rules.
 *
 * @throws {InvalidParameterError} when timestamps decrease or an update has no day-open price.
 * @example
 * checkSetOracleUpdates({ updates: [
 *   { timeMs: 0, oraclePx: '100', markPxs: ['100'] },
 *   { timeMs: 1000, oraclePx: '100', markPxs: ['102'] },
 * ], dayOpenPrices: [{ fromMs: 0, price: '100' }] })
 * // [{ index: 1, rule: 'tooFrequent', … }, { index: 1, rule: 'markMoveOverLimit', … }]
 */
export function checkSetOracleUpdates(params: {
  updates: readonly SetOracleUpdate[];
  dayOpenPrices: readonly DayOpenPrice[];
  limits?: SetOracleLimits;
}): SetOracleViolation[] {
  const limits = params.limits ?? {};
  const minInterval = limits.minIntervalMs ?? 2_500;
  const staleAfter = limits.staleAfterMs ?? 10_000;
  const maxMove = parsePositive(limits.maxMarkMove ?? '0.01', 'limits.maxMarkMove');
  const factor = parsePositive(limits.dailyClampFactor ?? '10', 'limits.dailyClampFactor');
  const days = params.dayOpenPrices.map((d, i) => ({
    fromMs: d.fromMs,
    price: parsePositive(d.price, `dayOpenPrices[${i}].price`),
  }));
  const violations: SetOracleViolation[] = [];
  let prevTime: number | undefined;
  let prevMark: Fixed | undefined;
  for (const [i, u] of params.updates.entries()) {
    if (!Number.isFinite(u.timeMs) || (prevTime !== undefined && u.timeMs < prevTime)) {
      throw new InvalidParameterError(`updates[${i}].timeMs`, 'must be finite and non-decreasing');
    }
    if (prevTime !== undefined) {
      const gap = u.timeMs - prevTime;
      if (gap < minInterval) {
        violations.push({ index: i, rule: 'tooFrequent', subject: 'interval', value: String(gap) });
      } else if (gap > staleAfter) {
        violations.push({ index: i, rule: 'stale', subject: 'interval', value: String(gap) });
        // A fallback happened every `staleAfter` ms of silence; the last one also rate-limits this update.
        const sinceFallback = gap - Math.floor(gap / staleAfter) * staleAfter;
        if (sinceFallback < minInterval) {
          violations.push({
            index: i,
            rule: 'tooFrequent',
            subject: 'interval',
            value: String(sinceFallback),
          });
        }
      }
    }
    const dayOpen = dayOpenAt(days, u.timeMs, i);
    const checkClamp = (px: Fixed, subject: SetOracleViolation['subject']) => {
      // px > factor·open or px·factor < open, compared without division.
      if (px * WAD > factor * dayOpen || px * factor < dayOpen * WAD) {
        const ratio = (px * WAD) / dayOpen;
        violations.push({
          index: i,
          rule: 'outsideDailyClamp',
          subject,
          value: formatDecimal(ratio),
        });
      }
    };
    checkClamp(parsePositive(u.oraclePx, `updates[${i}].oraclePx`), 'oraclePx');
    if (u.externalPerpPx !== undefined) {
      checkClamp(parsePositive(u.externalPerpPx, `updates[${i}].externalPerpPx`), 'externalPerpPx');
    }
    if (u.markPxs.length > 2) {
      throw new InvalidParameterError(`updates[${i}].markPxs`, 'must hold at most 2 prices');
    }
    if (u.markPxs.length > 0) {
      const mark = medianFixed(
        u.markPxs.map((p, j) => parsePositive(p, `updates[${i}].markPxs[${j}]`)),
      );
      checkClamp(mark, 'markPx');
      if (prevMark !== undefined) {
        const move = mark > prevMark ? mark - prevMark : prevMark - mark;
        if (move * WAD > maxMove * prevMark) {
          violations.push({
            index: i,
            rule: 'markMoveOverLimit',
            subject: 'markPx',
            value: formatDecimal((move * WAD) / prevMark),
          });
        }
      }
      prevMark = mark;
    }
    prevTime = u.timeMs;
  }
  return violations;
}

function dayOpenAt(days: readonly { fromMs: number; price: Fixed }[], t: number, i: number): Fixed {
  let found: Fixed | undefined;
  for (const d of days) {
    if (d.fromMs <= t) found = d.price;
    else break;
  }
  if (found === undefined) {
    throw new InvalidParameterError(`updates[${i}]`, `has no day-open price at or before ${t}`);
  }
  return found;
}
