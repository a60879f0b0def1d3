import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dailyLossLimit } from './dailyLossLimit.js';
import { eventRegimeSize } from './eventRegimeSize.js';

const H = 3_600_000;
const fomc = Date.UTC(2026, 5, 17, 18, 0);
const cpi = Date.UTC(2026, 5, 10, 12, 30);

describe('eventRegimeSize', () => {
  it('halves size within ±2 h of CPI/FOMC, edges included (note 3)', () => {
    expect(
      eventRegimeSize({ size: '100000', timeMs: fomc - H, eventTimesMs: [cpi, fomc] }),
    ).toEqual({
      size: '50000',
      inEventWindow: true,
      nearestEventMs: fomc,
    });
    expect(
      eventRegimeSize({ size: '3', timeMs: cpi + 2 * H, eventTimesMs: [cpi, fomc] }).size,
    ).toBe('1.5');
    expect(
      eventRegimeSize({ size: '3', timeMs: cpi + 2 * H + 1, eventTimesMs: [cpi, fomc] }),
    ).toEqual({
      size: '3',
      inEventWindow: false,
      nearestEventMs: cpi,
    });
    expect(eventRegimeSize({ size: '3', timeMs: cpi, eventTimesMs: [] }).nearestEventMs).toBeNull();
  });

  it('takes a custom window and multiplier', () => {
    const r = eventRegimeSize({
      size: '0.000000000000000003',
      timeMs: fomc + 30 * 60_000,
      eventTimesMs: [fomc],
      windowMs: H,
      multiplier: '0.25',
    });
    expect(r.size).toBe('0'); // 0.75e-18 truncated toward zero: never sizes up
    const quarter = { timeMs: fomc - H, eventTimesMs: [fomc], windowMs: H, multiplier: '0.25' };
    expect(eventRegimeSize({ size: '100', ...quarter })).toMatchObject({
      size: '25',
      inEventWindow: true,
    });
    expect(eventRegimeSize({ size: '100', ...quarter, windowMs: H - 1 }).size).toBe('100');
    expect(() =>
      eventRegimeSize({ size: '1', timeMs: 0, eventTimesMs: [], multiplier: '2' }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'multiplier' }),
    );
    expect(() => eventRegimeSize({ size: '-1', timeMs: 0, eventTimesMs: [] })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'size' }),
    );
  });

  it('halves within the window and never outside (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: -10 * H, max: 10 * H }), { maxLength: 5 }),
        fc.integer({ min: -10 * H, max: 10 * H }),
        (units, offsets, t) => {
          const size = (units / 100).toFixed(2);
          const events = offsets.map((o) => fomc + o);
          const r = eventRegimeSize({ size, timeMs: fomc + t, eventTimesMs: events });
          const inside = events.some((e) => Math.abs(e - (fomc + t)) <= 2 * H);
          const expected = inside ? (units / 200).toFixed(3) : size;
          return r.inEventWindow === inside && Number(r.size) === Number(expected);
        },
      ),
    );
  });
});

describe('dailyLossLimit', () => {
  it('breaches at −0.8 % of the day start, inclusive (note 3)', () => {
    expect(dailyLossLimit({ dayStartEquity: '1000000', equity: '991500' })).toEqual({
      pnl: '-8500',
      limitPnl: '-8000',
      remaining: '0',
      breached: true,
    });
    expect(dailyLossLimit({ dayStartEquity: '1000000', equity: '992000' }).breached).toBe(true);
    const ok = dailyLossLimit({ dayStartEquity: '1000000', equity: '992000.01' });
    expect(ok.breached).toBe(false);
    expect(ok.remaining).toBe('0.01');
    const up = dailyLossLimit({ dayStartEquity: '250', equity: '260', limitFraction: '0.02' });
    expect(up).toMatchObject({ pnl: '10', limitPnl: '-5', remaining: '15', breached: false });
  });

  it('validates inputs', () => {
    expect(() => dailyLossLimit({ dayStartEquity: '0', equity: '1' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'dayStartEquity' }),
    );
    expect(() =>
      dailyLossLimit({ dayStartEquity: '1', equity: '1', limitFraction: '-0.008' }),
    ).toThrow(
      expect.objectContaining({ name: 'Math.InvalidParameterError', parameter: 'limitFraction' }),
    );
    expect(() => dailyLossLimit({ dayStartEquity: '1', equity: 'NaN' })).toThrow(
      expect.objectContaining({ name: 'Math.InvalidDecimalError', parameter: 'equity' }),
    );
  });
});
