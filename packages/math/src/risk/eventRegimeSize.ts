import {
  finiteNumber,
  nonNegativeNumber,
  parseNonNegative,
  unitFractionDecimal,
} from '../internal/args.js';
import { formatDecimal, mul } from '../internal/decimal.js';

/** Parameters of {@link eventRegimeSize}. */
export type EventRegimeSizeParameters = {
  /** Position size or notional before scaling, decimal string ≥ 0. */
  readonly size: string;
  /** The time the size is for, Unix ms (time is a parameter: no clock is read). */
  readonly timeMs: number;
  /** Scheduled macro events (CPI, FOMC, …), Unix ms, any order. */
  readonly eventTimesMs: readonly number[];
  /** Half-width of the window around each event, ms. Default 2 h (`7_200_000`). */
  readonly windowMs?: number;
  /** Size multiplier inside a window, decimal string in [0, 1]. Default `'0.5'`. */
  readonly multiplier?: string;
};

/** Result of {@link eventRegimeSize}. */
export type EventRegimeSize = {
  /**
   * `size × multiplier` inside a window (rounded toward zero), else `size` unchanged: the multiplier
   * applied is the given one when `inEventWindow`, else 1.
   */
  readonly size: string;
  /** Whether `timeMs` is within ±`windowMs` (inclusive) of an event. */
  readonly inEventWindow: boolean;
  /** The event closest to `timeMs`, or `null` without events. */
  readonly nearestEventMs: number | null;
};

/**
 * Event-regime sizing of note 3: trade at 50 % size within ±2 h of CPI/FOMC releases. The
 * events and the current time are parameters, so the same call is reproducible in a backtest.
 *
 * @throws {InvalidDecimalError} `size` or `multiplier` is not a decimal string.
 * @throws {InvalidParameterError} negative size, multiplier outside [0, 1], negative window or a
 *   non-finite time.
 * @example
 * const fomc = Date.UTC(2026, 5, 17, 18, 0)
 * eventRegimeSize({ size: '100000', timeMs: fomc - 3_600_000, eventTimesMs: [fomc] })
 * // { size: '50000', inEventWindow: true, nearestEventMs: fomc }
 */
export function eventRegimeSize(params: EventRegimeSizeParameters): EventRegimeSize {
  const size = parseNonNegative(params.size, 'size');
  const timeMs = finiteNumber('timeMs', params.timeMs);
  const windowMs = nonNegativeNumber('windowMs', params.windowMs ?? 7_200_000);
  const multiplier = unitFractionDecimal('multiplier', params.multiplier ?? '0.5', '[0, 1]');
  let nearest: number | null = null;
  let distance = Number.POSITIVE_INFINITY; // stays ∞ without events: never in a window
  params.eventTimesMs.forEach((e, i) => {
    const d = Math.abs(finiteNumber(`eventTimesMs[${i}]`, e) - timeMs);
    if (d < distance) [nearest, distance] = [e, d];
  });
  const inWindow = distance <= windowMs;
  return {
    size: formatDecimal(inWindow ? mul(size, multiplier, 'trunc') : size),
    inEventWindow: inWindow,
    nearestEventMs: nearest,
  };
}
