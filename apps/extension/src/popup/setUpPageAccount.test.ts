// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { type PageAccountDeps, setUpPageAccount } from './setUpPageAccount.js';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
const HL = 'https://app.hyperliquid.xyz/trade/BTC';

function mount(deps: Partial<PageAccountDeps>) {
  document.body.innerHTML =
    '<section id="pa"><button class="use">Use this page\'s account</button><p class="result"></p><ul class="choices"></ul></section>';
  const root = document.getElementById('pa') as HTMLElement;
  const full: PageAccountDeps = {
    activeTab: async () => ({ id: 7, url: HL }),
    probe: async () => ({
      href: HL,
      wallets: [{ name: 'MetaMask', accounts: [A, B], error: null }],
    }),
    watched: async () => ({ addresses: [A], labels: { [A]: 'Main' } }),
    add: async () => 'added',
    ...deps,
  };
  setUpPageAccount(root, full);
  const result = () => root.querySelector('.result') as HTMLElement;
  return {
    root,
    result,
    click: async () => {
      (root.querySelector('button.use') as HTMLButtonElement).click();
      await vi.waitFor(() => expect(result().dataset.kind).not.toBe('reading'));
    },
  };
}

describe('setUpPageAccount', () => {
  it('reads nothing before the click', () => {
    const probe = vi.fn();
    const activeTab = vi.fn();
    mount({ probe, activeTab });
    expect(activeTab).not.toHaveBeenCalled();
    expect(probe).not.toHaveBeenCalled();
  });

  it('on a page that is no exchange says so and injects nothing', async () => {
    const probe = vi.fn();
    const ui = mount({ activeTab: async () => ({ id: 3, url: 'https://example.com/' }), probe });
    await ui.click();
    expect(ui.result().dataset.kind).toBe('no-exchange-tab');
    expect(probe).not.toHaveBeenCalled();
  });

  it('offers the unwatched account of several, and adds it only on its own click', async () => {
    const add = vi.fn(async () => 'added' as const);
    const ui = mount({ add });
    await ui.click();
    expect(ui.result().textContent).toBe(
      'This page offers 2 accounts: pick the one you trade from.',
    );
    const items = [...ui.root.querySelectorAll('.choices li')];
    expect(items.map((li) => li.textContent)).toEqual([
      'Main 0x0000…00a1 — already watched',
      `+ Watch ${B}`,
    ]);
    expect(add).not.toHaveBeenCalled();
    (ui.root.querySelector(`.choices li[data-address="${B}"] button`) as HTMLButtonElement).click();
    await vi.waitFor(() => expect(ui.result().dataset.kind).toBe('added'));
    expect(add).toHaveBeenCalledWith(B);
    expect(ui.result().textContent).toMatch(/^Added 0x0000…00b2: its positions appear/);
  });

  it('says when the watched list is full, and when the page cannot be read', async () => {
    const ui = mount({ add: async () => 'full' });
    await ui.click();
    (ui.root.querySelector('.choices button') as HTMLButtonElement).click();
    await vi.waitFor(() => expect(ui.result().dataset.kind).toBe('error'));
    expect(ui.result().textContent).toBe(
      'perpscope watches at most 10 addresses: remove one in the options first.',
    );

    const broken = mount({
      probe: async () => Promise.reject(new Error('Cannot access contents of the page')),
    });
    await broken.click();
    expect(broken.result().textContent).toBe(
      'Could not read the page: Cannot access contents of the page. Reload the exchange page and try again.',
    );
  });
});
