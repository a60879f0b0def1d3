import { describe, expect, it } from 'vitest';
import {
  exchangeHostOf,
  interpretPageAccount,
  noExchangeTabMessage,
} from './interpretPageAccount.js';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
const probe = (
  wallets: { name?: string; accounts: unknown; error?: string | null }[],
  href = 'https://app.hyperliquid.xyz/trade/BTC',
) => ({
  href,
  wallets: wallets.map((w) => ({
    name: w.name ?? 'MetaMask',
    accounts: w.accounts,
    error: w.error ?? null,
  })),
});

describe('exchangeHostOf', () => {
  it('knows the Hyperliquid front-ends and nothing else', () => {
    expect(exchangeHostOf('https://app.hyperliquid.xyz/trade/BTC')).toBe('app.hyperliquid.xyz');
    expect(exchangeHostOf('https://app.trade.xyz/trade/GOLD')).toBe('app.trade.xyz');
    expect(exchangeHostOf('https://app.hyperliquid.xyz.evil.example/')).toBeNull();
    expect(exchangeHostOf('http://app.hyperliquid.xyz/')).toBeNull();
    expect(exchangeHostOf('chrome://newtab/')).toBeNull();
    expect(exchangeHostOf(undefined)).toBeNull();
  });

  it('tells an Aevo tab apart from no exchange tab', () => {
    expect(noExchangeTabMessage('https://app.aevo.xyz/perpetual/eth')).toMatch(
      /^Aevo positions are read from its page/,
    );
    expect(noExchangeTabMessage(undefined)).toMatch(/^No exchange tab: open app\.hyperliquid\.xyz/);
  });
});

describe('interpretPageAccount', () => {
  it('offers the one connected account, in full, with the question', () => {
    const o = interpretPageAccount({
      probe: probe([{ accounts: [B.toUpperCase().replace('0X', '0x')] }]),
      watched: [A],
      labels: {},
    });
    expect(o.kind).toBe('pick');
    expect(o.message).toBe(
      `This page's account: ${B} (connected wallet). Add it to the watched addresses?`,
    );
    expect(o.kind === 'pick' && o.candidates).toEqual([
      { address: B, source: 'wallet', watched: false, label: null },
    ]);
  });

  it('lets the user pick among several accounts, marking the watched ones', () => {
    const o = interpretPageAccount({
      probe: probe([{ accounts: [A, B] }]),
      watched: [A],
      labels: { [A]: 'Main' },
    });
    expect(o.kind).toBe('pick');
    expect(o.message).toBe('This page offers 2 accounts: pick the one you trade from.');
    expect(o.kind === 'pick' && o.candidates.map((c) => [c.address, c.watched, c.label])).toEqual([
      [A, true, 'Main'],
      [B, false, null],
    ]);
  });

  it('says when everything the page offers is watched already', () => {
    const o = interpretPageAccount({
      probe: probe([{ accounts: [A] }]),
      watched: [A],
      labels: { [A]: 'Main' },
    });
    expect(o).toMatchObject({
      kind: 'already-watched',
      message: 'Already watched: Main (0x0000…00a1). Nothing to add.',
    });
  });

  it('offers the account an explorer URL views when no wallet is connected', () => {
    const o = interpretPageAccount({
      probe: probe([{ accounts: [] }], `https://app.hyperliquid.xyz/explorer/address/${B}`),
      watched: [],
      labels: {},
    });
    expect(o.kind === 'pick' && o.candidates).toEqual([
      { address: B, source: 'url', watched: false, label: null },
    ]);
    expect(o.message).toContain('(from the page address)');
  });

  it('tells no wallet apart from a wallet not connected to the site', () => {
    expect(interpretPageAccount({ probe: probe([]), watched: [], labels: {} })).toMatchObject({
      kind: 'no-wallet',
      message: expect.stringMatching(/^No wallet on this page: perpscope found no injected wallet/),
    });
    const locked = interpretPageAccount({
      probe: probe([
        { accounts: [] },
        { name: 'Rabby', accounts: null, error: 'no answer in 2000 ms' },
      ]),
      watched: [],
      labels: {},
    });
    expect(locked.kind).toBe('no-wallet');
    expect(locked.message).toMatch(
      /^No wallet connected on this page: the wallet lists no account for this site\. \(Rabby: no answer in 2000 ms\)/,
    );
  });

  it('drops whatever is not an address and survives a malformed answer', () => {
    const o = interpretPageAccount({
      probe: probe([{ accounts: ['0x1234', 42, { a: 1 }, A] }, { accounts: 'nope' }]),
      watched: [],
      labels: {},
    });
    expect(o.kind === 'pick' && o.candidates.map((c) => c.address)).toEqual([A]);
    expect(interpretPageAccount({ probe: 'garbage', watched: [], labels: {} }).kind).toBe(
      'no-wallet',
    );
  });
});
