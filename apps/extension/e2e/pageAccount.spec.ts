import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { expect, expectedDistances, pct, seedSettings, test, USER } from './fixtures.js';

// Issue 18, Accounts: "Use this page's account" (the toolbar popup reads the exchange tab's
// account on the user's click) and the badges following the account the page shows.
// The wallet is a fake injected into the test page (the outside world), speaking EIP-1193:
// `request({ method })` and `on('accountsChanged')`; it logs every method asked. The test page's
// positions table is static (the same rows whatever the account): badges are told apart by their
// `data-key` (`venue|account|coin`) and by the distance computed from the replay for that account.
const SUB = '0x00000000000000000000000000000000000000b2';
const OTHER = '0x00000000000000000000000000000000000000c3';
const SHOTS = 'test-results/screenshots';

/** Injects the fake wallet (before the page's scripts) holding `accounts`. */
async function fakeWallet(page: Page, accounts: readonly string[]): Promise<void> {
  await page.addInitScript((initial) => {
    let current = [...initial];
    const listeners: ((a: string[]) => void)[] = [];
    const w = window as unknown as Record<string, unknown>;
    w.__walletMethods = [] as string[];
    w.__setAccounts = (next: string[]) => {
      current = [...next];
      for (const l of listeners) l(current);
    };
    w.ethereum = {
      request: async ({ method }: { method: string }) => {
        (w.__walletMethods as string[]).push(method);
        if (method === 'eth_accounts') return [...current];
        throw Object.assign(new Error(`${method} not supported by the test wallet`), {
          code: 4200,
        });
      },
      on: (event: string, cb: (a: string[]) => void) => {
        if (event === 'accountsChanged') listeners.push(cb);
      },
    };
  }, accounts);
}

/** The toolbar popup, opened by clicking the extension's icon over a tab (CDP), driven by script. */
interface ActionPopup {
  evaluate<T>(expression: string): Promise<T>;
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Clicks perpscope's toolbar icon over `page` (CDP `Extensions.triggerAction`, which needs
 * `--enable-unsafe-extension-debugging`): Chromium opens the real action popup and grants activeTab
 * on that tab, as for a user's click. Playwright does not list popup targets, so the popup is
 * driven through a CDP target session.
 */
async function clickToolbarIcon(
  context: BrowserContext,
  extensionId: string,
  page: Page,
): Promise<ActionPopup> {
  const browser = context.browser();
  if (!browser) throw new Error('no browser handle for CDP');
  const cdp: CDPSession = await browser.newBrowserCDPSession();
  const targets = async () =>
    (await cdp.send('Target.getTargets', { filter: [{}] })).targetInfos as {
      targetId: string;
      type: string;
      url: string;
    }[];
  const tab = (await targets()).find((t) => t.type === 'tab' && t.url === page.url());
  if (!tab) throw new Error(`no tab target for ${page.url()}`);
  await cdp.send('Extensions.triggerAction', { id: extensionId, targetId: tab.targetId });
  const popupUrl = `chrome-extension://${extensionId}/popup.html`;
  let popup: { targetId: string } | undefined;
  for (let i = 0; i < 100 && !popup; i += 1) {
    popup = (await targets()).find((t) => t.type === 'page' && t.url === popupUrl);
    if (!popup) await new Promise((r) => setTimeout(r, 50));
  }
  if (!popup) throw new Error('the action popup did not open');
  const { sessionId } = await cdp.send('Target.attachToTarget', {
    targetId: popup.targetId,
    flatten: false,
  });
  let nextId = 1;
  const waiting = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    if (e.sessionId !== sessionId) return;
    const m = JSON.parse(e.message) as {
      id?: number;
      result?: unknown;
      error?: { message: string };
    };
    if (m.id !== undefined) waiting.get(m.id)?.(m);
  });
  const call = async (method: string, params: object): Promise<Record<string, unknown>> => {
    const id = nextId++;
    const answer = new Promise<{ result?: unknown; error?: { message: string } }>((r) =>
      waiting.set(id, r),
    );
    await cdp.send('Target.sendMessageToTarget', {
      sessionId,
      message: JSON.stringify({ id, method, params }),
    });
    const m = await answer;
    if (m.error) throw new Error(`${method}: ${m.error.message}`);
    return m.result as Record<string, unknown>;
  };
  // The popup's own script must have run (its button wired) before it is clicked.
  for (let i = 0; i < 100; i += 1) {
    const r = await call('Runtime.evaluate', {
      expression: 'document.readyState === "complete"',
      returnByValue: true,
    });
    if ((r.result as { value?: boolean }).value) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  return {
    evaluate: async <T>(expression: string) => {
      const r = await call('Runtime.evaluate', {
        expression,
        returnByValue: true,
        awaitPromise: true,
      });
      if (r.exceptionDetails) throw new Error(`popup: ${JSON.stringify(r.exceptionDetails)}`);
      return (r.result as { value: T }).value;
    },
    screenshot: async (path: string) => {
      const r = await call('Page.captureScreenshot', { format: 'png' });
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, Buffer.from(r.data as string, 'base64'));
    },
    close: async () => {
      await cdp.send('Target.closeTarget', { targetId: popup.targetId }).catch(() => {});
      await cdp.detach().catch(() => {});
    },
  };
}

/** Clicks "Use this page's account" in the popup and returns the result line once it settled. */
async function usePageAccount(popup: ActionPopup): Promise<{ kind: string; text: string }> {
  await popup.evaluate(`document.querySelector('#page-account button.use').click()`);
  let out = { kind: 'reading', text: '' };
  for (let i = 0; i < 100 && (out.kind === 'reading' || out.kind === ''); i += 1) {
    await new Promise((r) => setTimeout(r, 50));
    out = await popup.evaluate(
      `(() => { const p = document.querySelector('#page-account .result'); return { kind: p.dataset.kind ?? '', text: p.textContent }; })()`,
    );
  }
  return out;
}

const choices = (popup: ActionPopup) =>
  popup.evaluate<string[]>(
    `[...document.querySelectorAll('#page-account .choices li')].map((li) => li.textContent)`,
  );

test('"Use this page\'s account": the popup reads the connected wallet on click, lets the user pick among its accounts and adds the pick', async ({
  context,
  sw,
  extensionId,
}) => {
  await seedSettings(sw, { addresses: [USER], labels: { [USER]: 'Main' } });
  const page = await context.newPage();
  await fakeWallet(page, [USER, SUB]);
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');
  await expect(page.locator('#wallet')).toHaveText('0x0000...00a1');
  const before = await page.evaluate(
    () => (window as unknown as { __walletMethods: string[] }).__walletMethods.length,
  );

  const popup = await clickToolbarIcon(context, extensionId, page);
  try {
    // Nothing read before the click.
    expect(
      await page.evaluate(
        () => (window as unknown as { __walletMethods: string[] }).__walletMethods.length,
      ),
    ).toBe(before);
    const r = await usePageAccount(popup);
    expect(r).toEqual({
      kind: 'pick',
      text: 'This page offers 2 accounts: pick the one you trade from.',
    });
    expect(await choices(popup)).toEqual(['Main 0x0000…00a1 — already watched', `+ Watch ${SUB}`]);
    // The extension asked the wallet once, with eth_accounts only (never eth_requestAccounts).
    const methods = await page.evaluate(
      () => (window as unknown as { __walletMethods: string[] }).__walletMethods,
    );
    expect(methods.slice(before)).toEqual(['eth_accounts']);
    await popup.screenshot(`${SHOTS}/popup-page-account-pick.png`);
    // README image.
    await popup.screenshot(resolve(import.meta.dirname, '../docs/page-account.png'));
    // Still nothing added until the pick is clicked.
    expect(
      (
        (await sw.evaluate(() => chrome.storage.local.get('settings'))).settings as {
          addresses: string[];
        }
      ).addresses,
    ).toEqual([USER]);

    await popup.evaluate(
      `document.querySelector('#page-account .choices li[data-address="${SUB}"] button').click()`,
    );
    await expect
      .poll(
        async () =>
          (await sw.evaluate(() => chrome.storage.local.get('settings'))).settings as {
            addresses: string[];
            labels: Record<string, string>;
          },
      )
      .toMatchObject({ addresses: [USER, SUB], labels: { [USER]: 'Main' } });
    expect(
      await popup.evaluate<string>(`document.querySelector('#page-account .result').textContent`),
    ).toMatch(
      /^Added 0x0000…00b2: its positions appear here and on the page within a few seconds\./,
    );
    await popup.screenshot(`${SHOTS}/popup-page-account-added.png`);
  } finally {
    await popup.close();
  }
});

test('"Use this page\'s account" says what is missing: no exchange tab, no wallet, a wallet not connected, an account already watched', async ({
  context,
  sw,
  extensionId,
}) => {
  await seedSettings(sw, { addresses: [USER], labels: { [USER]: 'Main' } });
  await context.route('https://example.com/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: '<title>elsewhere</title><p>not an exchange</p>',
    }),
  );
  const attempt = async (setUp: (page: Page) => Promise<void>, url: string, shot: string) => {
    const page = await context.newPage();
    await setUp(page);
    await page.goto(url);
    const popup = await clickToolbarIcon(context, extensionId, page);
    try {
      const r = await usePageAccount(popup);
      await popup.screenshot(`${SHOTS}/${shot}`);
      return { ...r, choices: await choices(popup) };
    } finally {
      await popup.close();
      await page.close();
    }
  };

  const elsewhere = await attempt(
    async () => {},
    'https://example.com/',
    'popup-page-account-no-exchange.png',
  );
  expect(elsewhere.kind).toBe('no-exchange-tab');
  expect(elsewhere.text).toMatch(/^No exchange tab: open app\.hyperliquid\.xyz/);

  const noWallet = await attempt(
    async () => {},
    'https://app.hyperliquid.xyz/trade/ETH',
    'popup-page-account-no-wallet.png',
  );
  expect(noWallet.kind).toBe('no-wallet');
  expect(noWallet.text).toMatch(/^No wallet on this page: perpscope found no injected wallet/);

  const notConnected = await attempt(
    (p) => fakeWallet(p, []),
    'https://app.hyperliquid.xyz/trade/ETH',
    'popup-page-account-not-connected.png',
  );
  expect(notConnected.kind).toBe('no-wallet');
  expect(notConnected.text).toMatch(
    /^No wallet connected on this page: the wallet lists no account for this site\./,
  );

  const watched = await attempt(
    (p) => fakeWallet(p, [USER]),
    'https://app.hyperliquid.xyz/trade/ETH',
    'popup-page-account-watched.png',
  );
  expect(watched).toEqual({
    kind: 'already-watched',
    text: 'Already watched: Main (0x0000…00a1). Nothing to add.',
    choices: ['Main 0x0000…00a1 — already watched'],
  });
});

test('the badges follow the account the page shows, and the panel says which account it shows', async ({
  context,
  sw,
  hl,
}) => {
  // SUB holds an ETH long on the replay; USER (fixtures) holds BTC, ETH short and xyz:TSLA.
  hl.setAccount(SUB, '', {
    crossRawUsd: '-3000',
    positions: [{ coin: 'ETH', szi: '2', entryPx: '2000', leverage: { type: 'cross', value: 5 } }],
  });
  await seedSettings(sw, { addresses: [USER, SUB], labels: { [USER]: 'Main', [SUB]: 'Basis' } });
  const page = await context.newPage();
  await fakeWallet(page, []);
  await page.goto('https://app.hyperliquid.xyz/trade/ETH');
  const accountLine = page.locator('perpscope-panel li.account');
  const badges = page.locator('perpscope-badge');
  const eth = page.locator('perpscope-badge[data-key$="|ETH"]');

  // No wallet connected: the page does not tell, so the first watched account, named.
  await expect(accountLine).toHaveText(
    'Showing Main (0x0000…00a1): this page does not say which account it shows.',
    { timeout: 15_000 },
  );
  await expect(badges).toHaveCount(3);
  await expect(eth).toHaveAttribute('data-key', `hyperliquid|${USER}|ETH`);

  // The wallet connects SUB: the header shows 0x0000...00b2 and the badges follow it.
  await page.evaluate(
    (a) => (window as unknown as { __setAccounts: (x: string[]) => void }).__setAccounts([a]),
    SUB,
  );
  await expect(page.locator('#wallet')).toHaveText('0x0000...00b2');
  await expect(accountLine).toHaveText('Account on this page: Basis (0x0000…00b2)', {
    timeout: 10_000,
  });
  await expect(badges).toHaveCount(1);
  await expect(eth).toHaveAttribute('data-key', `hyperliquid|${SUB}|ETH`);
  const subEth = (await expectedDistances(hl, SUB)).get('ETH')?.pct ?? Number.NaN;
  const userEth = (await expectedDistances(hl)).get('ETH')?.pct ?? Number.NaN;
  expect(pct(subEth)).not.toBe(pct(userEth));
  await expect(eth.locator('.b')).toHaveText(
    new RegExp(`^Liq ${pct(subEth).replace('.', '\\.')} `),
  );
  await page.screenshot({ path: `${SHOTS}/badge-follows-page-account.png` });
  await page.screenshot({
    path: resolve(import.meta.dirname, '../docs/badge-follows-account.png'),
  });

  // An account perpscope does not watch: no badges (another account's numbers would mislead).
  await page.evaluate(
    (a) => (window as unknown as { __setAccounts: (x: string[]) => void }).__setAccounts([a]),
    OTHER,
  );
  await expect(accountLine).toHaveText(
    'This page shows 0x0000...00c3, which perpscope does not watch: no badges. To add it, click the perpscope icon → "Use this page\'s account".',
    { timeout: 10_000 },
  );
  await expect(badges).toHaveCount(0);

  // The explorer URL names a full address: it wins over the header (the page views that account).
  // SPA navigation, so the header still shows the unwatched wallet account.
  await page.evaluate((path) => {
    history.pushState({}, '', path);
    dispatchEvent(new PopStateEvent('popstate'));
  }, `/explorer/address/${USER}`);
  await expect(page.locator('#wallet')).toHaveText('0x0000...00c3');
  await expect(accountLine).toHaveText('Account on this page: Main (0x0000…00a1)', {
    timeout: 15_000,
  });
  await expect(badges).toHaveCount(3);
  await expect(eth).toHaveAttribute('data-key', `hyperliquid|${USER}|ETH`);
});
