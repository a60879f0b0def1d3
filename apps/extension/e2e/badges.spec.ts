import { resolve } from 'node:path';
import { expect, expectedDistances, pct, seedSettings, test, USER } from './fixtures.js';

const badge = (page: import('@playwright/test').Page, coin: string) =>
  page.locator(`perpscope-badge[data-key$="|${coin}"] .b`);

test('badges show the right liquidation distance on the right rows, follow the mark and survive SPA navigation', async ({
  context,
  sw,
  hl,
}) => {
  const thresholds = { warnPct: 10, criticalPct: 5, haltMultiplier: 2 };
  const level = (d: number) =>
    d < thresholds.criticalPct ? 'critical' : d < thresholds.warnPct ? 'warn' : 'ok';
  await seedSettings(sw, { thresholds });
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');

  const expected = await expectedDistances(hl);
  for (const [coin, e] of expected) {
    // Our formula reproduces HL's own liquidationPx (no disagreement flag expected).
    expect(e.hlLiq).not.toBeNull();
    expect(Math.abs(e.liq - (e.hlLiq ?? 0)) / e.liq).toBeLessThan(1e-4);
    const b = badge(page, coin);
    await expect(b).toHaveText(
      new RegExp(`^Liq ${pct(e.pct).replace('.', '\\.')} · (\\d+\\.\\dσ · )?\\d+ s$`),
      { timeout: 15_000 },
    );
    // The badge sits in the row of its coin (coin cell of the positions table).
    const rowText = await b.evaluate(
      (el) => (el.getRootNode() as ShadowRoot).host.closest('tr')?.textContent ?? '',
    );
    expect(rowText).toContain(coin.replace('xyz:', ''));
  }
  // Colour by threshold.
  const btc = expected.get('BTC')?.pct ?? 0;
  expect(level(btc)).toBe('ok');
  for (const [coin, e] of expected) {
    await expect(badge(page, coin)).toHaveAttribute('data-level', level(e.pct));
  }

  // Funding APR + oracle status line for the market on screen (BTC).
  const apr = Number(hl.ctxOf('BTC')?.funding) * 8760 * 100;
  await expect(page.locator('perpscope-panel li.market')).toHaveText(
    new RegExp(`^BTC funding ${pct(apr).replace('.', '\\.')} APR`),
  );

  // The replay moves BTC's mark down 8 %: the badge follows within a poll.
  const mark0 = Number(hl.ctxOf('BTC')?.markPx);
  hl.setMark('BTC', Math.round(mark0 * 0.92));
  const moved = await expectedDistances(hl);
  const movedBtc = moved.get('BTC')?.pct ?? 0;
  expect(movedBtc).toBeLessThan(btc);
  await expect(badge(page, 'BTC')).toHaveText(
    new RegExp(`^Liq ${pct(movedBtc).replace('.', '\\.')} `),
    { timeout: 15_000 },
  );
  expect(level(movedBtc)).not.toBe('ok');
  await expect(badge(page, 'BTC')).toHaveAttribute('data-level', level(movedBtc));
  // Crossing a threshold raises a notification.
  await expect
    .poll(async () => Object.keys(await sw.evaluate(() => chrome.notifications.getAll())), {
      timeout: 10_000,
    })
    .toContain(`perpscope|liq|hyperliquid|${USER}|BTC|${level(movedBtc)}`);
  // README screenshot: BTC now in the warn band.
  await page.screenshot({ path: resolve(import.meta.dirname, '../docs/badges.png') });

  // SPA navigation: the app replaces the table (new nodes).
  await page.locator('nav a[href="/portfolio"]').click();
  await expect(page.locator('#title')).toHaveText('/portfolio');
  await expect(page.locator('perpscope-badge')).toHaveCount(3, { timeout: 10_000 });
  await expect(badge(page, 'ETH')).toHaveText(
    new RegExp(`^Liq ${pct(moved.get('ETH')?.pct ?? 0).replace('.', '\\.')} `),
  );
  await page.locator('nav a[href="/trade/ETH"]').click();
  await expect(page.locator('perpscope-panel li.market')).toHaveText(/^ETH funding /, {
    timeout: 10_000,
  });
  await expect(page.locator('perpscope-badge')).toHaveCount(3);
});

test('the popup lists every watched position sorted by distance, with the update time', async ({
  context,
  sw,
  hl,
  extensionId,
}) => {
  await seedSettings(sw, { labels: { [USER]: 'Main account' } });
  const expected = await expectedDistances(hl);
  const order = [...expected.entries()].sort((a, b) => a[1].pct - b[1].pct).map(([coin]) => coin);
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(page.locator('li.pos')).toHaveCount(3, { timeout: 15_000 });
  const names = await page.locator('li.pos .name').allTextContents();
  expect(names.map((n) => n.split(' ')[0])).toEqual(order);
  // Every row carries the age of its inputs.
  for (const d of await page.locator('li.pos .dist').allTextContents())
    expect(d).toMatch(/^Liq .* · \d+ s$/);
  await expect(page.locator('.updated')).toHaveText(/^Updated /);
  // The account's label from the options names it on every row.
  await expect(page.locator('li.pos .venue').first()).toHaveText(/ · Main account · $/);
  await expect(page.locator('li.note')).toHaveText(/No watcher configured/);
  // Funding per day and who pays, computed here from the replay's hourly rate and oracle price:
  // size × oracle × rate × 24, a positive rate paid by longs (research/hyperliquid.md).
  const res = await fetch(`${hl.url}/info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'metaAndAssetCtxs' }),
  });
  const [meta, ctxs] = (await res.json()) as [
    { universe: { name: string }[] },
    { funding: string; oraclePx: string }[],
  ];
  const btcCtx = ctxs[meta.universe.findIndex((u) => u.name === 'BTC')];
  const perDay = 0.5 * Number(btcCtx?.oraclePx) * Number(btcCtx?.funding) * 24;
  const btcRow = page.locator('li.pos[data-key$="|BTC"] .funding');
  await expect(btcRow).toHaveText(
    ` · funding ${perDay > 0 ? '−' : '+'}${Math.abs(perDay).toFixed(2)} USDC/day (you ${perDay > 0 ? 'pay' : 'receive'})`,
  );
});

test('options persist and are validated', async ({ context, extensionId, sw }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await page.getByLabel(/^Addresses \(one per line/).fill('0xnot-an-address');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#addresses-error')).toContainText('40 hex digits');
  await page
    .getByLabel(/^Addresses \(one per line/)
    .fill('0x00000000000000000000000000000000000000A1\n0x00000000000000000000000000000000000000b2');
  await page.getByLabel('Warn below').fill('20');
  await page.getByLabel('Multiplier during a chain halt').fill('3');
  await page.getByLabel('app.aevo.xyz').uncheck();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#status')).toHaveText('Saved.');
  await page.reload();
  await expect(page.getByLabel(/^Addresses \(one per line/)).toHaveValue(
    '0x00000000000000000000000000000000000000a1\n0x00000000000000000000000000000000000000b2',
  );
  await expect(page.getByLabel('Warn below')).toHaveValue('20');
  await expect(page.getByLabel('Multiplier during a chain halt')).toHaveValue('3');
  await expect(page.getByLabel('app.aevo.xyz')).not.toBeChecked();
  // A watcher URL triggers the runtime permission prompt; the settings are saved meanwhile.
  await page.getByLabel('Watcher URL').fill('ftp://watcher');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#watcherUrl-error')).toContainText('http(s)');
  await page.getByLabel('Watcher URL').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('#status')).toHaveText(/^Saved\./);
  const stored = await sw.evaluate(() => chrome.storage.local.get('settings'));
  expect((stored.settings as { watcherUrl: string }).watcherUrl).toBe('http://127.0.0.1:9');
  expect(
    (stored.settings as { thresholds: { haltMultiplier: number } }).thresholds.haltMultiplier,
  ).toBe(3);
});

test('HIP-3 front-ends get the same badges, and a site switched off gets none', async ({
  context,
  sw,
  hl,
}) => {
  await context.route('https://app.trade.xyz/**', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><title>trade.xyz</title><table><tr><td>Market</td><td>Size</td><td>Position Value</td><td>Liq. Price</td></tr><tr><td>TSLA xyz 5x</td><td>10 TSLA</td><td>3,995.20 USDC</td><td>330.00</td></tr></table>',
    }),
  );
  await seedSettings(sw, {});
  const tsla = (await expectedDistances(hl)).get('xyz:TSLA')?.pct ?? 0;
  const page = await context.newPage();
  await page.goto('https://app.trade.xyz/trade/TSLA');
  await expect(badge(page, 'xyz:TSLA')).toHaveText(
    new RegExp(`^Liq ${pct(tsla).replace('.', '\\.')} `),
    { timeout: 15_000 },
  );
  await expect(page.locator('perpscope-panel h2')).toHaveText('perpscope · HIP-3');

  await seedSettings(sw, { sites: { hyperliquid: true, hip3: false, aevo: true } });
  await expect(page.locator('perpscope-badge, perpscope-panel')).toHaveCount(0, {
    timeout: 10_000,
  });
});
