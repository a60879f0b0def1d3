import { describe, expect, it } from 'vitest';
import { type ChainView, EMPTY_SNAPSHOT, type MarketView, type PositionView } from '../model.js';
import {
  emptyPositionsText,
  formatAge,
  formatBadge,
  formatChain,
  formatFundingPerDay,
  formatMarket,
  formatPct,
  formatVenuePrice,
  withOracleStatus,
} from './formatBadge.js';

const NOW = 1_000_000;
const at = { nowMs: NOW, staleAfterMs: 9_000 };
const base: PositionView = {
  key: 'hyperliquid|0xa|ETH',
  venue: 'hyperliquid',
  account: '0xa',
  dex: '',
  coin: 'ETH',
  side: 'short',
  size: '4',
  markPx: '1919.1',
  liqPx: '3126.8',
  venueLiqPx: '3158.1',
  liqCheck: 'agree',
  headline: 'ours',
  accountMode: 'default',
  haltMultiplied: false,
  marginMode: 'cross',
  distancePct: 62.93,
  distanceSigma: 2.04,
  level: 'ok',
  healthBufferUsd: null,
  dataAt: NOW - 2_000,
  staleReason: null,
};

describe('formatBadge', () => {
  it('writes distance in % and σ with the age of its inputs', () => {
    expect(formatBadge(base, at)).toMatchObject({ text: 'Liq 62.9% · 2.0σ · 2 s', level: 'ok' });
    expect(formatBadge({ ...base, distanceSigma: null, distancePct: 4.016 }, at).text).toBe(
      'Liq 4.02% · 2 s',
    );
    expect(formatBadge({ ...base, distancePct: null, liqCheck: 'none' }, at).text).toBe(
      'No liq · 2 s',
    );
    expect(formatBadge({ ...base, venue: 'aevo', healthBufferUsd: 8909.25 }, at).text).toBe(
      'Liq 62.9% · 2.0σ · health 8909.25 · 2 s',
    );
  });

  it('names the nearer liquidation price when ours and the venue’s disagree, rounded like the page', () => {
    expect(formatBadge({ ...base, liqCheck: 'disagree', headline: 'ours' }, at).text).toBe(
      'Liq 62.9% · 2.0σ · our liq 3,126.8 (nearer), HL 3,158.1 · 2 s',
    );
    const venueNearer = {
      ...base,
      liqCheck: 'disagree',
      headline: 'venue',
      venueLiqPx: '3100.123456',
    } as const;
    expect(formatBadge(venueNearer, at).text).toBe(
      'Liq 62.9% · 2.0σ · HL liq 3,100.1 (nearer), ours 3,126.8 · 2 s',
    );
    expect(formatBadge(venueNearer, at).label).toContain("the venue's nearer one is used");
  });

  it('says when the account mode is unknown or not handled: the venue’s price only', () => {
    expect(
      formatBadge({ ...base, liqCheck: 'not-computable', accountMode: null, liqPx: null }, at).text,
    ).toBe('Liq 62.9% · 2.0σ · HL liq only (account mode unknown) · 2 s');
    expect(
      formatBadge({ ...base, liqCheck: 'not-computable', accountMode: 'dexAbstraction' }, at).text,
    ).toBe('Liq 62.9% · 2.0σ · HL liq only (dexAbstraction account) · 2 s');
    const pm = {
      ...base,
      liqCheck: 'not-computable',
      accountMode: 'portfolioMargin',
      liqReason: 'portfolio margin: cross positions not solved',
    } as const;
    expect(formatBadge(pm, at).text).toBe(
      'Liq 62.9% · 2.0σ · HL liq only (portfolio margin: cross positions not solved) · 2 s',
    );
    expect(formatBadge(pm, at).label).toContain(
      'ours not computable (portfolio margin: cross positions not solved)',
    );
  });

  it('turns grey "stale · N s" past the threshold or after a failed refresh, withholding the risk colour', () => {
    const critical = { ...base, level: 'critical' } as const;
    expect(formatBadge({ ...critical, dataAt: NOW - 9_000 }, at).level).toBe('critical');
    expect(formatBadge({ ...critical, dataAt: NOW - 9_001 }, at)).toMatchObject({
      text: 'stale · 9 s · Liq 62.9% · 2.0σ',
      level: 'stale',
    });
    const failed = formatBadge({ ...critical, staleReason: 'HTTP 429' }, at);
    expect(failed).toMatchObject({ text: 'stale · 2 s · Liq 62.9% · 2.0σ', level: 'stale' });
    expect(failed.label).toContain('stale: inputs 2 s old (HTTP 429)');
    expect(formatBadge({ ...critical, dataAt: 0 }, at).text).toMatch(/^stale · never · /);
  });
});

describe('formatVenuePrice (research/venues.md §1 cell strings)', () => {
  it.each([
    ['5535.123', '5,535.1'],
    ['3438.8', '3,438.8'],
    ['66344.4', '66,344'],
    ['105234.6', '105,235'],
    ['0.123456', '0.12346'],
  ])('%s → %s', (px, shown) => {
    expect(formatVenuePrice(px)).toBe(shown);
  });
});

describe('formatAge', () => {
  it('uses s, min and h', () => {
    expect([formatAge(42_400, 1), formatAge(300_000, 1), formatAge(3 * 3_600_000, 1)]).toEqual([
      '42 s',
      '5 min',
      '3 h',
    ]);
    expect(formatAge(5, 0)).toBe('never');
  });
});

describe('market and chain lines', () => {
  const market: MarketView = {
    coin: 'BTC',
    dex: '',
    markPx: '1',
    oraclePx: '1',
    fundingApr: 0.1095,
    markOracleDevPct: -0.06,
    oracleStatus: 'ok',
    oracleReason: null,
    oracleAt: NOW - 1_000,
    oracleStaleReason: null,
    staleAfterMs: 45_000,
    dataAt: NOW - 1_000,
    staleReason: null,
  };
  it('formats market lines and percentages, with ages, stale past the threshold', () => {
    expect(formatPct(9.999)).toBe('10.00%');
    expect(formatPct(-3.2345)).toBe('-3.23%');
    expect(formatMarket(market, at)).toBe(
      'BTC funding 10.9% APR · mark−oracle -0.06% · oracle ok · 1 s',
    );
    // Market data is refreshed every 15 s: stale after 3 of its own intervals, not 3 page polls.
    expect(formatMarket({ ...market, dataAt: NOW - 30_000 }, at)).toBe(
      'BTC funding 10.9% APR · mark−oracle -0.06% · oracle ok · 30 s',
    );
    expect(formatMarket({ ...market, dataAt: NOW - 46_000, oracleAt: NOW - 42_000 }, at)).toBe(
      'BTC stale · 46 s (funding 10.9% APR · mark−oracle -0.06%) · oracle stale · 42 s (ok)',
    );
    expect(formatMarket({ ...market, oracleStaleReason: 'watcher: HTTP 500' }, at)).toBe(
      'BTC funding 10.9% APR · mark−oracle -0.06% · oracle stale · 1 s (ok) · 1 s',
    );
  });
  it('keeps a chain line visible as stale when the watcher stopped answering', () => {
    const chain: ChainView = {
      id: 'arbitrum-one',
      name: 'Arbitrum One',
      status: 'halted',
      phase: 'during a halt',
      guidance: '',
      impacts: [],
      dataAt: NOW - 42_000,
      staleReason: 'watcher: HTTP 500',
    };
    expect(formatChain(chain, at)).toBe('Arbitrum One: stale · 42 s (halted — during a halt)');
    expect(formatChain({ ...chain, dataAt: NOW, staleReason: null }, at)).toBe(
      'Arbitrum One: halted — during a halt · 0 s',
    );
  });
});

describe('emptyPositionsText', () => {
  const A = '0x00000000000000000000000000000000000000a1';
  it('says exactly what is missing', () => {
    expect(emptyPositionsText(EMPTY_SNAPSHOT)).toBe(
      'No address watched: add the address you trade from in the perpscope options (Accounts).',
    );
    // An address with no open position is not told to add an address.
    expect(emptyPositionsText({ ...EMPTY_SNAPSHOT, addresses: [A], updatedAt: NOW })).toBe(
      'No open positions on 0x0000…00a1. Badges appear next to a position once one is open.',
    );
    expect(emptyPositionsText({ ...EMPTY_SNAPSHOT, addresses: [A, A], updatedAt: 0 })).toBe(
      'Reading the positions of 0x0000…00a1 and 1 more…',
    );
    expect(
      emptyPositionsText({ ...EMPTY_SNAPSHOT, addresses: [A], problems: ['HL: HTTP 429'] }),
    ).toBe('Positions of 0x0000…00a1 could not be read: HL: HTTP 429');
  });
});

describe('formatFundingPerDay', () => {
  const market: MarketView = {
    coin: 'ETH',
    dex: '',
    markPx: '2000',
    oraclePx: '2000',
    fundingApr: 0.1095, // 0.00125 % per hour
    markOracleDevPct: 0,
    oracleStatus: 'ok',
    oracleReason: null,
    oracleAt: NOW,
    oracleStaleReason: null,
    staleAfterMs: 45_000,
    dataAt: NOW,
    staleReason: null,
  };
  it('gives USDC per day and who pays: positive funding, longs pay and shorts receive', () => {
    // 4 ETH × 2000 × 0.0000125 × 24 = 2.40 per day.
    expect(formatFundingPerDay({ ...base, side: 'long' }, market)).toBe(
      'funding −2.40 USDC/day (you pay)',
    );
    expect(formatFundingPerDay({ ...base, side: 'short' }, market)).toBe(
      'funding +2.40 USDC/day (you receive)',
    );
    expect(
      formatFundingPerDay({ ...base, side: 'short' }, { ...market, fundingApr: -0.1095 }),
    ).toBe('funding −2.40 USDC/day (you pay)');
  });
  it('uses the dex collateral and says nothing without a rate', () => {
    expect(formatFundingPerDay({ ...base, side: 'long', dex: 'flx' }, market)).toBe(
      'funding −2.40 USDH/day (you pay)',
    );
    expect(formatFundingPerDay(base, { ...market, fundingApr: null })).toBeNull();
    expect(formatFundingPerDay(base, undefined)).toBeNull();
  });
});

describe('withOracleStatus', () => {
  const fresh = formatBadge({ ...base, dataAt: NOW, level: 'ok' }, at);
  const market = { oracleStatus: 'critical' } as MarketView;
  it('makes a calm badge critical and says why when the oracle is critical or halted', () => {
    const b = withOracleStatus(fresh, market);
    expect(b.level).toBe('critical');
    expect(b.text).toBe(`oracle critical · ${fresh.text}`);
    expect(withOracleStatus(fresh, { oracleStatus: 'halted' } as MarketView).level).toBe(
      'critical',
    );
  });
  it('leaves it alone otherwise, and a stale badge grey', () => {
    expect(withOracleStatus(fresh, { oracleStatus: 'warn' } as MarketView)).toBe(fresh);
    expect(withOracleStatus(fresh, undefined)).toBe(fresh);
    const stale = formatBadge({ ...base, dataAt: 1 }, at);
    expect(withOracleStatus(stale, market)).toBe(stale);
  });
});
