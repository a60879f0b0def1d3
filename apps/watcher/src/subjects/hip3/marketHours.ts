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

const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

// formatToParts costs ~10 µs; every market asks for the same minute, so remember the last one.
let cachedMinute = Number.NaN;
let cached = { day: '', minutes: 0 };

function newYorkTime(ms: number): { day: string; minutes: number } {
  const minute = Math.floor(ms / 60_000);
  if (minute === cachedMinute) return cached;
  let day = '';
  let h = 0;
  let m = 0;
  for (const p of nyParts.formatToParts(ms)) {
    if (p.type === 'weekday') day = p.value;
    else if (p.type === 'hour') h = Number(p.value);
    else if (p.type === 'minute') m = Number(p.value);
  }
  cachedMinute = minute;
  cached = { day, minutes: h * 60 + m };
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
