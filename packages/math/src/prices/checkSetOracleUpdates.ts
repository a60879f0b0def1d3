import { UnsortedSeriesError } from '../errors.js';
import { type DecimalString, fail, finiteNumber, parsePositive } from '../internal/args.js';
import { abs, div, type Fixed, formatDecimal } from '../internal/decimal.js';
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

/**
 * Checks a sequence of HIP-3 `setOracle` updates (sorted by time) against the deployer rules of the HL
 * docs "HIP-3 deployer actions": ≥ 2.5 s between calls (a stale-mark fallback counts as a call); a gap
 * > 10 s means the mark fell back to the local mark; deployer mark moves > 1 % per update; oracle/mark/
 * external prices outside 10× (or 1/10) of the start-of-day price in force at the update (the latest
 * `dayOpenPrices` entry with `fromMs` ≤ `timeMs`). Returns every violation (in input order); an empty
 * array means the sequence follows the rules. Ratios are rounded half-even at 18 decimals.
 *
 * @throws {UnsortedSeriesError} when `updates[].timeMs` or `dayOpenPrices[].fromMs` decrease.
 * @throws {InvalidParameterError} when a time is not finite, an update precedes every day-open price,
 * an update has more than 2 `markPxs`, or a price is ≤ 0.
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
}): SetOracleViolation[] {
  const days = params.dayOpenPrices;
  const opens = days.map((d, i) => {
    timeAt('dayOpenPrices', days, i, 'fromMs');
    return parsePositive(d.price, `dayOpenPrices[${i}].price`);
  });
  const violations: SetOracleViolation[] = [];
  let day = -1;
  let prevMark: Fixed | undefined;
  for (const [index, u] of params.updates.entries()) {
    const add = (rule: SetOracleRule, subject: SetOracleViolation['subject'], value: string) =>
      violations.push({ index, rule, subject, value });
    const t = timeAt('updates', params.updates, index, 'timeMs');
    if (index) {
      const gap = t - params.updates[index - 1]!.timeMs;
      if (gap > 10_000) add('stale', 'interval', `${gap}`);
      // After a stale gap the exchange fell back every 10 s; the last fallback counts as an
      // update for the 2.5 s rule, so the interval that matters is the time since it.
      const interval = gap > 10_000 ? gap % 10_000 : gap;
      if (interval < 2_500) add('tooFrequent', 'interval', `${interval}`);
    }
    while ((days[day + 1]?.fromMs ?? t + 1) <= t) day++;
    const open = opens[day] ?? fail(`updates[${index}].timeMs`, 'in dayOpenPrices', t);
    const checkClamp = (px: Fixed, subject: SetOracleViolation['subject']) => {
      // Outside [open / 10, 10·open], compared without division.
      if (px > 10n * open || 10n * px < open)
        add('outsideDailyClamp', subject, formatDecimal(div(px, open)));
    };
    for (const subject of ['oraclePx', 'externalPerpPx'] as const) {
      const px = u[subject];
      if (px !== undefined) checkClamp(parsePositive(px, `updates[${index}].${subject}`), subject);
    }
    const marks = parseMarks(`updates[${index}].markPxs`, u.markPxs);
    if (marks.length) {
      const mark = medianFixed(marks);
      checkClamp(mark, 'markPx');
      if (prevMark !== undefined && 100n * abs(mark - prevMark) > prevMark)
        add('markMoveOverLimit', 'markPx', formatDecimal(div(abs(mark - prevMark), prevMark)));
      prevMark = mark;
    }
  }
  return violations;
}

/** Parses 0–2 deployer mark prices (`parameter` names the list in errors). Package-internal. */
export function parseMarks(parameter: string, marks: readonly DecimalString[]): Fixed[] {
  if (marks.length > 2) fail(parameter, 'at most 2 prices', marks.length);
  return marks.map((p, j) => parsePositive(p, `${parameter}[${j}]`));
}

/**
 * Throws unless `items[i][key]` is a finite number not below `items[i - 1][key]` (a time series in
 * order); returns it. Package-internal (also used by `ema150s`).
 */
export function timeAt<K extends string>(
  parameter: string,
  items: readonly { readonly [k in K]: number }[],
  i: number,
  key: K,
): number {
  const t = finiteNumber(`${parameter}[${i}].${key}`, items[i]![key]);
  if (t < (items[i - 1]?.[key] ?? t)) throw new UnsortedSeriesError(parameter, i);
  return t;
}
