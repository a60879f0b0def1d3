import { parseCoin } from '@perpscope/hyperliquid';

/** Reference-market context of a non-24h asset. */
export type MarketHours = { kind: 'equity' | 'commodity'; open: boolean };

// Base symbols (after the `dex:` prefix) that track assets with trading hours. Equities follow the
// NYSE session; commodities, indices and FX follow CME Globex (Sun 18:00 – Fri 17:00 ET, daily
// 17:00–18:00 break). Holidays are ignored — the flag is context, not an alarm.
const COMMODITY = new Set([
  'GOLD',
  'SILVER',
  'CL',
  'OIL',
  'WTI',
  'USOIL',
  'BRENTOIL',
  'COPPER',
  'GAS',
  'NATGAS',
  'PLATINUM',
  'PALLADIUM',
  'CORN',
  'WHEAT',
  'SOY',
  'URANIUM',
  'ALUMINIUM',
  'GOLDJM',
  'SILVERJM',
  'XYZ100',
  'USA100',
  'USA500',
  'US500',
  'USTECH',
  'SMALL2000',
  'DXY',
  'EUR',
  'JPY',
  'USBOND',
  'USENERGY',
  'KR200',
  'JP225',
]);
const CRYPTO = new Set([
  'BTC',
  'ETH',
  'SOL',
  'HYPE',
  'XRP',
  'DOGE',
  'ADA',
  'BNB',
  'BCH',
  'LTC',
  'LINK',
  'SUI',
  'ENA',
  'ZEC',
  'XMR',
  'XPL',
  'PUMP',
  'FARTCOIN',
  'IP',
  'LIT',
  'LIGHTER',
  'BASED',
  'USDE',
  'BTCD',
  'OTHERS',
  'TOTAL2',
]);

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const HOUR_MS = 3_600_000;

/** UTC ms of the `n`-th Sunday (1-based) of `month` (0-based) in `year`, at `utcHour`:00 UTC. */
function nthSundayUtc(year: number, month: number, n: number, utcHour: number): number {
  const firstWeekday = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return Date.UTC(year, month, 1 + ((7 - firstWeekday) % 7) + 7 * (n - 1), utcHour);
}

let dstYear = Number.NaN;
let dstStart = 0;
let dstEnd = 0;

/**
 * New York's weekday and minute of the day at `ms`, by the US Eastern rules in force since 2007
 * (15 U.S.C. 260a as amended by the Energy Policy Act of 2005): EDT (UTC−4) from 02:00 EST on the
 * second Sunday of March to 02:00 EDT on the first Sunday of November, EST (UTC−5) otherwise.
 * Instants before 2007 get the same rules (the watcher only asks about now).
 *
 * Computed instead of asked of `Intl.DateTimeFormat` with `timeZone: 'America/New_York'`: that
 * formatter maps ICU's time-zone and locale data into the process (Node 22: +6 MB of the `node`
 * binary's resident pages in a bare script, −5 MB in the watcher without it; ARCHITECTURE.md run
 * L), for one weekday and one minute. The test checks this function against that formatter (ICU's
 * tzdata) minute by minute around every transition from 2007 to 2040, so a change of the rules
 * shows up there.
 */
export function newYorkWallClock(ms: number): { day: (typeof WEEKDAYS)[number]; minutes: number } {
  const year = new Date(ms).getUTCFullYear(); // the transitions are far from New Year's
  if (year !== dstYear) {
    dstYear = year;
    dstStart = nthSundayUtc(year, 2, 2, 7); // 02:00 EST = 07:00 UTC
    dstEnd = nthSundayUtc(year, 10, 1, 6); // 02:00 EDT = 06:00 UTC
  }
  const local = new Date(ms + (ms >= dstStart && ms < dstEnd ? -4 : -5) * HOUR_MS);
  return {
    day: WEEKDAYS[local.getUTCDay()] ?? 'Sun',
    minutes: local.getUTCHours() * 60 + local.getUTCMinutes(),
  };
}

// Every market asks for the same minute, so remember the last one.
let cachedMinute = Number.NaN;
let cached: { day: string; minutes: number } = { day: '', minutes: 0 };

function newYorkTime(ms: number): { day: string; minutes: number } {
  const minute = Math.floor(ms / 60_000);
  if (minute === cachedMinute) return cached;
  cachedMinute = minute;
  cached = newYorkWallClock(ms);
  return cached;
}

/**
 * Market-hours context for a HIP-3 coin (`xyz:TSLA`), or `null` for assets that trade 24/7
 * (crypto, main-dex coins). Unknown HIP-3 symbols are treated as equities: most builder dexes list
 * stocks, and a wrong "closed" flag is harmless context.
 *
 * @example marketHours('xyz:TSLA', Date.UTC(2026, 1, 7, 15)) // { kind: 'equity', open: false } (a Saturday)
 */
export function marketHours(coin: string, nowMs: number): MarketHours | null {
  const { dex, symbol } = parseCoin(coin);
  if (dex === '') return null;
  const base = symbol.toUpperCase();
  if (CRYPTO.has(base)) return null;
  const { day, minutes } = newYorkTime(nowMs);
  if (COMMODITY.has(base)) {
    const open =
      day === 'Sat'
        ? false
        : day === 'Sun'
          ? minutes >= 18 * 60
          : day === 'Fri'
            ? minutes < 17 * 60
            : minutes < 17 * 60 || minutes >= 18 * 60;
    return { kind: 'commodity', open };
  }
  const weekday = day !== 'Sat' && day !== 'Sun';
  return { kind: 'equity', open: weekday && minutes >= 9 * 60 + 30 && minutes < 16 * 60 };
}
