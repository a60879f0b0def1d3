// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, type PositionView, type Snapshot } from '../model.js';
import { BADGE_TAG, PANEL_TAG } from '../ui/Overlay.js';
import { hyperliquidSite } from './hyperliquidSite.js';
import { PageController } from './PageController.js';
import {
  accountFromUrl,
  parseAbbreviation,
  readPageAccountHint,
  shownAccount,
} from './pageAccount.js';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
const NOW = 1_700_000_000_000;

describe('accountFromUrl', () => {
  it('reads the full address of an explorer or portfolio URL, lower-cased', () => {
    expect(
      accountFromUrl(
        `https://app.hyperliquid.xyz/explorer/address/${B.toUpperCase().replace('0X', '0x')}`,
      ),
    ).toBe(B);
    expect(accountFromUrl(`https://app.hyperliquid.xyz/portfolio/${A}?tab=positions`)).toBe(A);
  });

  it('reads nothing from trade pages, short or overlong addresses, or garbage', () => {
    expect(accountFromUrl('https://app.hyperliquid.xyz/trade/BTC')).toBeNull();
    expect(accountFromUrl('https://app.hyperliquid.xyz/explorer/address/0x1234')).toBeNull();
    expect(accountFromUrl(`https://app.hyperliquid.xyz/explorer/address/${A}0`)).toBeNull();
    expect(accountFromUrl('not a url')).toBeNull();
  });
});

describe('parseAbbreviation', () => {
  it('accepts the dotted and ellipsis forms', () => {
    expect(parseAbbreviation(' 0x0000...00B2 ')).toEqual({
      kind: 'abbreviated',
      text: '0x0000...00B2',
      prefix: '0000',
      suffix: '00b2',
    });
    expect(parseAbbreviation('0x9…690')?.suffix).toBe('690');
  });

  it('rejects full addresses, prices and words', () => {
    expect(parseAbbreviation(A)).toBeNull();
    expect(parseAbbreviation('0x12')).toBeNull();
    expect(parseAbbreviation('Connect')).toBeNull();
  });
});

describe('shownAccount', () => {
  const labels = { [A]: 'Main', [B]: 'Basis' };
  const abbrev = (t: string) => parseAbbreviation(t);

  it('follows a watched address the URL names, with its label', () => {
    expect(
      shownAccount({
        hint: { kind: 'full', address: B, source: 'url' },
        addresses: [A, B],
        labels,
      }),
    ).toEqual({ address: B, basis: 'page', line: 'Account on this page: Basis (0x0000…00b2)' });
  });

  it('follows the one watched address the header abbreviation matches', () => {
    const s = shownAccount({ hint: abbrev('0x0000...00b2'), addresses: [A, B], labels: {} });
    expect(s).toEqual({ address: B, basis: 'page', line: 'Account on this page: 0x0000…00b2' });
  });

  it('shows no account when the page shows one perpscope does not watch, and says how to add it', () => {
    const s = shownAccount({ hint: abbrev('0x1234...abcd'), addresses: [A, B], labels });
    expect(s.address).toBeNull();
    expect(s.basis).toBe('not-watched');
    expect(s.line).toBe(
      'This page shows 0x1234...abcd, which perpscope does not watch: no badges. To add it, click the perpscope icon → "Use this page\'s account".',
    );
  });

  it('when the page does not tell (or cannot tell two watched addresses apart) shows the first, naming it', () => {
    const expected = {
      address: A,
      basis: 'default',
      line: 'Showing Main (0x0000…00a1): this page does not say which account it shows.',
    };
    expect(shownAccount({ hint: null, addresses: [A, B], labels })).toEqual(expected);
    // `0x00…a1` matches A and A2 alike.
    const A2 = '0x00000000000000000000000000000000000001a1';
    expect(shownAccount({ hint: abbrev('0x00...a1'), addresses: [A, A2], labels })).toEqual(
      expected,
    );
  });

  it('says nothing when no address is watched', () => {
    expect(shownAccount({ hint: null, addresses: [], labels: {} })).toEqual({
      address: null,
      basis: 'none',
      line: null,
    });
  });
});

describe('readPageAccountHint', () => {
  afterEach(() => {
    history.replaceState({}, '', '/');
    document.body.innerHTML = '';
  });

  it('prefers the URL, then an abbreviated address in the header', () => {
    document.body.innerHTML = '<header><button><span>0x0000...00b2</span></button></header>';
    expect(readPageAccountHint(document)).toMatchObject({ kind: 'abbreviated', suffix: '00b2' });
    history.replaceState({}, '', `/explorer/address/${A}`);
    expect(readPageAccountHint(document)).toEqual({ kind: 'full', address: A, source: 'url' });
  });

  it('ignores abbreviated addresses below the header band (tables of other traders)', () => {
    document.body.innerHTML = '<table><tr><td id="t">0x1234...abcd</td></tr></table>';
    const td = document.getElementById('t') as HTMLElement;
    td.getBoundingClientRect = () => new DOMRect(0, 400, 100, 20);
    expect(readPageAccountHint(document)).toBeNull();
  });
});

// The badge follows the page's account: two watched addresses both hold ETH (A short, B long).
// The header markup (`<header>` with the abbreviated connected address) is ASSUMED: no capture of
// Hyperliquid's header exists (see pageAccount.ts); the positions table is the evidenced snapshot.
describe('PageController with two watched accounts', () => {
  const eth = (account: string, side: 'long' | 'short', distancePct: number): PositionView => ({
    key: `hyperliquid|${account}|ETH`,
    venue: 'hyperliquid',
    account,
    dex: '',
    coin: 'ETH',
    side,
    size: '1',
    markPx: '100',
    liqPx: '90',
    venueLiqPx: '90',
    liqCheck: 'agree',
    marginMode: 'cross',
    distancePct,
    distanceSigma: null,
    level: 'ok',
    healthBufferUsd: null,
    headline: 'ours',
    accountMode: 'default',
    haltMultiplied: false,
    dataAt: NOW - 1_000,
    staleReason: null,
  });
  const SNAP: Snapshot = {
    ...EMPTY_SNAPSHOT,
    updatedAt: NOW,
    addresses: [A, B],
    labels: { [A]: 'Main', [B]: 'Basis' },
    positions: [eth(A, 'short', 20), eth(B, 'long', 30)],
  };
  const table = readFileSync(resolve(process.cwd(), 'test/snapshots/hl-positions.html'), 'utf8');

  function render(header: string) {
    document.body.innerHTML = `<header>${header}</header>${table}`;
    const controller = new PageController({
      doc: document,
      site: hyperliquidSite({
        send: async () => ({ ok: true, data: SNAP }),
        kind: 'hyperliquid',
        pollMs: 3000,
      }),
      timers: { setTimeout: () => 0, setInterval: () => 0 },
      now: () => NOW,
    });
    return controller;
  }
  const keys = () =>
    [...document.querySelectorAll(BADGE_TAG)].map((b) => b.getAttribute('data-key'));
  const firstLine = () =>
    document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('li.account')?.textContent;

  it('badges the account the header shows, not the first watched one', async () => {
    await render('<button>0x0000...00b2</button>').poll();
    expect(keys()).toEqual([`hyperliquid|${B}|ETH`]);
    expect(firstLine()).toBe('Account on this page: Basis (0x0000…00b2)');
  });

  it('without a header address shows the first watched account and names it', async () => {
    await render('<button>Connect</button>').poll();
    expect(keys()).toEqual([`hyperliquid|${A}|ETH`]);
    expect(firstLine()).toBe(
      'Showing Main (0x0000…00a1): this page does not say which account it shows.',
    );
  });

  it('puts no badge when the header shows an account perpscope does not watch', async () => {
    await render('<button>0x1234...abcd</button>').poll();
    expect(keys()).toEqual([]);
    expect(firstLine()).toMatch(
      /^This page shows 0x1234\.\.\.abcd, which perpscope does not watch/,
    );
  });
});
