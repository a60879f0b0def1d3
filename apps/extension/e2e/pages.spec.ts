import type { Page } from '@playwright/test';
import { HYPERLIQUID_FRONT_ENDS } from '../src/sites.js';
import { expect, seedSettings, test } from './fixtures.js';

// The real pages' structure (research/venues.md §1–3) with the built extension: badges only on the
// positions tab, no perp line on spot pages, each HIP-3 front-end's URL read as its dex's market.

const badges = (page: Page) => page.locator('perpscope-badge');
const NOT_RECOGNISED = 'Positions table not recognised on this page: positions listed here.';

test('switching the account tabs moves badges onto the positions tab only', async ({
  context,
  sw,
}) => {
  await seedSettings(sw, {});
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');
  await expect(badges(page)).toHaveCount(3, { timeout: 15_000 });
  // Every badge sits in a row of the positions table (its header has Position Value).
  for (const host of await badges(page).all())
    expect(await host.evaluate((h) => h.closest('table')?.textContent ?? '')).toContain(
      'Position Value',
    );
  for (const tab of ['Open Orders', 'Trade History', 'Funding History']) {
    await page.getByRole('tab', { name: tab }).click();
    await expect(page.getByRole('tab', { name: tab })).toHaveAttribute('aria-selected', 'true');
    // The same coins are on screen under Coin and Size columns, and get no badge.
    await expect(page.locator('#positions tr')).toHaveCount(4);
    await expect(page.locator('#positions')).toContainText('BTC');
    // Let a page poll and the mutation-triggered re-render run before counting.
    await page.waitForTimeout(3_500);
    await expect(badges(page)).toHaveCount(0);
    await expect(page.locator('perpscope-panel li.note', { hasText: NOT_RECOGNISED })).toHaveCount(
      1,
    );
    await expect(page.locator('perpscope-panel li.pos')).toHaveCount(3);
  }
  await page.getByRole('tab', { name: 'Positions' }).click();
  await expect(badges(page)).toHaveCount(3, { timeout: 5_000 });
  await expect(page.locator('perpscope-panel li.note', { hasText: NOT_RECOGNISED })).toHaveCount(0);
  await expect(page.locator('perpscope-panel li.pos')).toHaveCount(0);
});

test('a spot page shows no perp line; a perp page does', async ({ context, sw }) => {
  await seedSettings(sw, {});
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/HYPE');
  await expect(page.locator('perpscope-panel li.market')).toHaveText(/^HYPE funding /, {
    timeout: 15_000,
  });
  await page.goto('https://app.hyperliquid.xyz/trade/HYPE/USDC');
  await expect(page.locator('#title')).toHaveText('/trade/HYPE/USDC');
  // The panel is up (badges on the positions table) and carries no HYPE perp line.
  await expect(badges(page)).toHaveCount(3, { timeout: 15_000 });
  await expect(page.locator('perpscope-panel h2')).toHaveText('perpscope · Hyperliquid');
  await expect(page.locator('perpscope-panel li.market')).toHaveCount(0);
  await page.goto('https://app.hyperliquid.xyz/trade/@107');
  await expect(badges(page)).toHaveCount(3, { timeout: 15_000 });
  await expect(page.locator('perpscope-panel li.market')).toHaveCount(0);
});

// One market per front-end, named the way its URLs name markets (bare symbols, ?market=).
const HIP3_PAGES: Record<string, { path: string; coin: string }> = {
  'app.trade.xyz': { path: '/trade?market=TSLA', coin: 'xyz:TSLA' },
  'trade.usefelix.xyz': { path: '/trade/COIN', coin: 'flx:COIN' },
  'app.hyena.trade': { path: '/trade/ADA', coin: 'hyna:ADA' },
  'trade.dreamcash.xyz': { path: '/trade/AMZN', coin: 'cash:AMZN' },
  'markets.xyz': { path: '/trade/AAPL', coin: 'km:AAPL' },
};

test('each HIP-3 front-end shows its own dex’s market for the symbol in its URL', async ({
  context,
  sw,
  hl,
}) => {
  const hosts = HYPERLIQUID_FRONT_ENDS.filter((f) => f.site === 'hip3').map((f) => f.host);
  // Every listed front-end has a case here.
  expect([...hosts].sort()).toEqual(Object.keys(HIP3_PAGES).sort());
  await seedSettings(sw, { addresses: [] });
  const page = await context.newPage();
  for (const host of hosts) {
    const { path, coin } = HIP3_PAGES[host] ?? { path: '', coin: '' };
    expect(hl.ctxOf(coin), `${coin} is served by the replay`).toBeDefined();
    const apr = Number(hl.ctxOf(coin)?.funding) * 8760 * 100;
    await page.goto(`https://${host}${path}`);
    await expect(page.locator('perpscope-panel h2')).toHaveText('perpscope · HIP-3', {
      timeout: 15_000,
    });
    await expect(page.locator('perpscope-panel li.market')).toHaveText(
      new RegExp(
        `^${coin} funding ${apr.toFixed(Math.abs(apr) < 10 ? 2 : 1).replace('.', '\\.')}% APR`,
      ),
      { timeout: 15_000 },
    );
  }
});
