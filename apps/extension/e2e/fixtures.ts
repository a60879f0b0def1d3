import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  createManualClock,
  type HyperliquidReplay,
  type ReplayAccount,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { type BrowserContext, test as base, chromium, type Worker } from '@playwright/test';
import { HYPERLIQUID_FRONT_ENDS } from '../src/sites.js';

/** Absolute path of the built Chromium extension (`wxt build`). */
export const EXTENSION_DIR = resolve(import.meta.dirname, '../.output/chrome-mv3');

/** The watched test address and its accounts on the replay server (main dex + HIP-3 dex xyz). */
export const USER = '0x00000000000000000000000000000000000000a1';
export const ACCOUNTS: Record<string, ReplayAccount> = {
  '': {
    crossRawUsd: '-20000',
    positions: [
      { coin: 'BTC', szi: '0.5', entryPx: '60000', leverage: { type: 'cross', value: 10 } },
      { coin: 'ETH', szi: '-4', entryPx: '2100', leverage: { type: 'cross', value: 10 } },
    ],
  },
  xyz: {
    crossRawUsd: '0',
    positions: [
      {
        coin: 'xyz:TSLA',
        szi: '10',
        entryPx: '390',
        leverage: { type: 'isolated', value: 5, rawUsd: '-3300' },
      },
    ],
  },
};

const page = (name: string) => readFileSync(resolve(import.meta.dirname, 'pages', name), 'utf8');

/** HIP-3 dexes served by the replay server: every front-end's dex (research/venues.md §3). */
export const HIP3_DEXES = [...new Set(HYPERLIQUID_FRONT_ENDS.flatMap((f) => f.dexes))].filter(
  (d) => d !== '',
);

/**
 * What the routed Hyperliquid API changes in front of the replay server: an optional rewrite of
 * `clearinghouseState` bodies (e.g. a venue liquidation price that disagrees with ours). Account
 * modes (`userAbstraction`, `spotClearinghouseState`) come from the replay server itself.
 */
export interface ApiControl {
  rewriteState:
    | ((state: { assetPositions: { position: Record<string, unknown> }[] }) => void)
    | null;
}

/**
 * A persistent Chromium context with the built extension loaded (Debian chromium, headless), the
 * extension's service worker and id, and a Hyperliquid replay server (@perpscope/devnet) with a
 * manual clock: prices move only when a test says so. The exchange front-ends and the HL API are
 * routed to local pages / the replay server (`context.route` also covers the service worker's
 * fetches in Playwright 1.65 + Chromium 156 — verified by these tests' data arriving).
 */
export const test = base.extend<{
  context: BrowserContext;
  extensionId: string;
  sw: Worker;
  hl: HyperliquidReplay;
  api: ApiControl;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their deps as a pattern.
  api: async ({}, use) => {
    await use({ rewriteState: null });
  },
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their deps as a pattern.
  hl: async ({}, use) => {
    const hl = await startHyperliquidReplay({
      clock: createManualClock(Date.UTC(2026, 1, 6)),
      tickMs: null,
      dexes: ['', ...HIP3_DEXES],
      accounts: { [USER]: ACCOUNTS },
    });
    await use(hl);
    await hl.stop();
  },
  context: async ({ hl, api }, use) => {
    const context = await chromium.launchPersistentContext('', {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        `--disable-extensions-except=${EXTENSION_DIR}`,
        `--load-extension=${EXTENSION_DIR}`,
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        '--no-default-browser-check',
        // Lets CDP's Extensions.triggerAction click the toolbar icon (e2e/pageAccount.spec.ts):
        // the real popup over the exchange tab, with activeTab granted as for a user's click.
        '--enable-unsafe-extension-debugging',
      ],
    });
    await context.route('https://api.hyperliquid.xyz/**', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { type?: string };
      // `connection: close`: a reused keep-alive socket that the replay server closes at the same
      // moment resets the request (ECONNRESET), a race of the test harness, not of the extension.
      const headers = { ...route.request().headers(), connection: 'close' };
      try {
        const res = await route.fetch({ url: `${hl.url}/info`, headers, timeout: 120_000 });
        if (body.type === 'clearinghouseState' && res.ok() && api.rewriteState) {
          const state = await res.json();
          api.rewriteState(state);
          await route.fulfill({ response: res, json: state });
          return;
        }
        await route.fulfill({ response: res });
      } catch (error) {
        // The service worker gave up (its timeout, during a replay hang) or the test ended: nobody
        // waits for this answer. Anything else reaches the extension as a network error.
        if (/abort|closed|disposed|handled|Target/i.test(String(error))) return;
        console.warn('HL API route failed:', String(error).split('\n')[0]);
        await route.abort('failed').catch(() => {});
      }
    });
    await context.route('https://app.hyperliquid.xyz/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: page('hyperliquid.html') }),
    );
    await context.route('https://app.aevo.xyz/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: page('aevo.html') }),
    );
    for (const f of HYPERLIQUID_FRONT_ENDS.filter((x) => x.site === 'hip3'))
      await context.route(`https://${f.host}/**`, (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: page('hip3.html') }),
      );
    // Installing opens the options page (runtime.onInstalled → openOptionsPage). Let that settle
    // first: Chrome reuses an open options tab, so a test navigating its own page to options.html
    // at that moment has its navigation interrupted ("interrupted by another navigation").
    const deadline = Date.now() + 15_000;
    while (!context.pages().some((p) => p.url().endsWith('/options.html'))) {
      if (Date.now() > deadline) throw new Error('the options page did not open on install');
      await new Promise((r) => setTimeout(r, 50));
    }
    await use(context);
    // The service worker may still be fetching through a route: let those go quietly at teardown.
    await context.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  },
  sw: async ({ context }, use) => {
    await use(context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker')));
  },
  extensionId: async ({ sw }, use) => {
    await use(new URL(sw.url()).host);
  },
});
export const expect = test.expect;

/** Writes settings (v2 shape, with WXT's version meta) into the extension's storage. */
export async function seedSettings(sw: Worker, overrides: Record<string, unknown>): Promise<void> {
  const settings = {
    addresses: [USER],
    watcherUrl: null,
    thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 2 },
    sites: { hyperliquid: true, hip3: true, aevo: true },
    notifications: { enabled: true, cooldownMinutes: 30 },
    chains: { hyperliquid: ['arbitrum-one', 'hyperevm'], aevo: ['aevo'] },
    timing: { staleAfterPolls: 3, haltHoldMinutes: 30 },
    ...overrides,
  };
  await sw.evaluate(
    (s) => chrome.storage.local.set({ settings: s, settings$: { v: 2 } }),
    settings,
  );
}

/** Badge percentage formatting, as documented for users: 2 decimals below 10 %, 1 above. */
export const pct = (x: number) => `${x.toFixed(Math.abs(x) < 10 ? 2 : 1)}%`;

interface HlPos {
  coin: string;
  szi: string;
  positionValue: string;
  marginUsed: string;
  maxLeverage: number;
  liquidationPx: string | null;
  leverage: { type: 'cross' | 'isolated' };
}

/**
 * Expected liquidation distance per coin, computed here from the replay server's
 * `clearinghouseState` with the documented formula (research/hyperliquid.md §3.3, single tier —
 * these notionals are in every table's first tier) — independently of the extension's code:
 * cross `liq = (s·P·q + MM_other − accountValue) / (q·(s − mmr))`, isolated
 * `liq = (s·P·q − marginUsed) / (q·(s − mmr))`, `mmr = 1/(2·maxLeverage)`, `P = positionValue/|szi|`.
 */
export async function expectedDistances(
  hl: HyperliquidReplay,
  user: string = USER,
): Promise<Map<string, { pct: number; liq: number; hlLiq: number | null }>> {
  const out = new Map<string, { pct: number; liq: number; hlLiq: number | null }>();
  for (const dex of ['', 'xyz']) {
    const res = await fetch(`${hl.url}/info`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'clearinghouseState', user, dex }),
    });
    const state = (await res.json()) as {
      crossMarginSummary: { accountValue: string };
      assetPositions: { position: HlPos }[];
    };
    const ps = state.assetPositions.map((a) => a.position);
    for (const p of ps) {
      const q = Math.abs(Number(p.szi));
      const s = Number(p.szi) > 0 ? 1 : -1;
      const P = Number(p.positionValue) / q;
      const mmr = 1 / (2 * p.maxLeverage);
      let liq: number;
      if (p.leverage.type === 'cross') {
        const mmOther = ps
          .filter((o) => o !== p && o.leverage.type === 'cross')
          .reduce((sum, o) => sum + Number(o.positionValue) / (2 * o.maxLeverage), 0);
        liq =
          (s * P * q + mmOther - Number(state.crossMarginSummary.accountValue)) / (q * (s - mmr));
      } else {
        liq = (s * P * q - Number(p.marginUsed)) / (q * (s - mmr));
      }
      out.set(p.coin, {
        pct: (Math.abs(P - liq) / P) * 100,
        liq,
        hlLiq: p.liquidationPx === null ? null : Number(p.liquidationPx),
      });
    }
  }
  return out;
}
