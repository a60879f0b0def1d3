// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { pageAccountProbe } from './pageAccountProbe.js';

// Fake injected wallets speaking EIP-1193 (`request`) and EIP-6963 (announce on request): the
// outside world of the probe.
const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
type Win = typeof window & { ethereum?: unknown };

describe('pageAccountProbe', () => {
  const methods: string[] = [];
  const wallet = (accounts: unknown, delayMs = 0) => ({
    request: async ({ method }: { method: string }) => {
      methods.push(method);
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      return accounts;
    },
  });
  const listeners: (() => void)[] = [];
  afterEach(() => {
    delete (window as Win).ethereum;
    for (const off of listeners.splice(0)) off();
    methods.length = 0;
  });

  it('asks window.ethereum and each EIP-6963 wallet once, with eth_accounts only', async () => {
    const injected = wallet([A]);
    (window as Win).ethereum = injected;
    const announce = () => {
      // One wallet announces the same object as window.ethereum (asked once), another its own.
      for (const [name, provider] of [
        ['MetaMask', injected],
        ['Rabby', wallet([B])],
      ] as const)
        window.dispatchEvent(
          new CustomEvent('eip6963:announceProvider', { detail: { info: { name }, provider } }),
        );
    };
    window.addEventListener('eip6963:requestProvider', announce);
    listeners.push(() => window.removeEventListener('eip6963:requestProvider', announce));
    const r = await pageAccountProbe(1000);
    expect(r.href).toBe(location.href);
    expect(r.wallets).toEqual([
      { name: 'MetaMask', accounts: [A], error: null },
      { name: 'Rabby', accounts: [B], error: null },
    ]);
    expect(methods).toEqual(['eth_accounts', 'eth_accounts']);
  });

  it('reports no wallet, and a wallet that does not answer in time', async () => {
    expect((await pageAccountProbe(100)).wallets).toEqual([]);
    (window as Win).ethereum = wallet([A], 1_000);
    expect((await pageAccountProbe(100)).wallets).toEqual([
      { name: 'window.ethereum', accounts: null, error: 'no answer in 100 ms' },
    ]);
  });

  it('is self-contained: it runs from its source text alone (executeScript serialises it)', async () => {
    (window as Win).ethereum = wallet([A]);
    // Rebuilt from its text, as the browser does: no closure over this module survives.
    const rebuilt = new Function(
      `return (${pageAccountProbe.toString()})`,
    )() as typeof pageAccountProbe;
    expect((await rebuilt(500)).wallets).toEqual([
      { name: 'window.ethereum', accounts: [A], error: null },
    ]);
  });
});
