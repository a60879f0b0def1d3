import { describe, expect, it } from 'vitest';
import { marketHours, newYorkWallClock } from './marketHours.js';

describe('marketHours', () => {
  it('treats main-dex and crypto HIP-3 coins as 24/7', () => {
    expect(marketHours('BTC', Date.UTC(2026, 1, 7, 12))).toBeNull();
    expect(marketHours('hyna:ETH', Date.UTC(2026, 1, 7, 12))).toBeNull();
  });
  it('equities: open Tue 10:00 New York (15:00 UTC in February), closed on Saturday and at 08:00', () => {
    expect(marketHours('xyz:TSLA', Date.UTC(2026, 1, 10, 15))).toEqual({
      kind: 'equity',
      open: true,
    });
    expect(marketHours('xyz:TSLA', Date.UTC(2026, 1, 7, 15))).toEqual({
      kind: 'equity',
      open: false,
    });
    expect(marketHours('xyz:TSLA', Date.UTC(2026, 1, 10, 13))).toEqual({
      kind: 'equity',
      open: false,
    });
  });
  it('commodities follow Globex: closed Saturday, open Sunday after 18:00 ET, daily break 17–18', () => {
    expect(marketHours('xyz:GOLD', Date.UTC(2026, 1, 7, 20))?.open).toBe(false);
    expect(marketHours('xyz:GOLD', Date.UTC(2026, 1, 8, 23, 30))?.open).toBe(true);
    expect(marketHours('xyz:GOLD', Date.UTC(2026, 1, 10, 22, 30))?.open).toBe(false);
  });
});

describe('newYorkWallClock', () => {
  // The reference: ICU's tzdata as Node ships it. The function exists so the watcher does not load
  // this formatter (see its TSDoc); the test does, to check the hard-coded rules against tzdata.
  const icu = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/New_York',
    weekday: 'short',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const reference = (ms: number) => {
    const parts = Object.fromEntries(icu.formatToParts(ms).map((p) => [p.type, p.value]));
    return { day: parts.weekday, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
  };
  const mismatches = (instants: Iterable<number>) => {
    const out: string[] = [];
    for (const ms of instants) {
      const got = newYorkWallClock(ms);
      const want = reference(ms);
      if (got.day !== want.day || got.minutes !== want.minutes)
        out.push(
          `${new Date(ms).toISOString()}: ${JSON.stringify(got)} ≠ ICU ${JSON.stringify(want)}`,
        );
    }
    return out;
  };

  it('agrees with ICU minute by minute for three hours either side of every transition, 2007–2040', () => {
    function* aroundTransitions() {
      for (let year = 2007; year <= 2040; year++) {
        // The transitions fall on a Sunday in 8–14 March and 1–7 November; scan those weeks.
        for (const [month, firstDay] of [
          [2, 8],
          [10, 1],
        ] as const) {
          for (let day = firstDay; day < firstDay + 7; day++) {
            if (new Date(Date.UTC(year, month, day)).getUTCDay() !== 0) continue;
            for (let m = 3 * 60; m <= 9 * 60; m++) yield Date.UTC(year, month, day, 0, m);
          }
        }
      }
    }
    expect(mismatches(aroundTransitions())).toEqual([]);
  });

  it('agrees with ICU every 97 minutes from 2007 to 2040 (every weekday and minute of the day)', () => {
    function* sweep() {
      for (let ms = Date.UTC(2007, 0, 1); ms < Date.UTC(2041, 0, 1); ms += 97 * 60_000) yield ms;
    }
    expect(mismatches(sweep())).toEqual([]);
  });

  it('reads the 2026 transitions: 01:59 EST → 03:00 EDT on 8 March, 01:59 EDT → 01:00 EST on 1 November', () => {
    expect(newYorkWallClock(Date.UTC(2026, 2, 8, 6, 59))).toEqual({
      day: 'Sun',
      minutes: 1 * 60 + 59,
    });
    expect(newYorkWallClock(Date.UTC(2026, 2, 8, 7, 0))).toEqual({ day: 'Sun', minutes: 3 * 60 });
    expect(newYorkWallClock(Date.UTC(2026, 10, 1, 5, 59))).toEqual({
      day: 'Sun',
      minutes: 1 * 60 + 59,
    });
    expect(newYorkWallClock(Date.UTC(2026, 10, 1, 6, 0))).toEqual({ day: 'Sun', minutes: 1 * 60 });
  });
});
