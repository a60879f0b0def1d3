import { resolve } from 'node:path';
import { expect, seedSettings, test } from './fixtures.js';

const SHOTS = 'test-results/screenshots';

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('the panel stays off the margin summary at 1280×720, collapses to a pill, drags, and remembers both per site', async ({
  context,
  sw,
}) => {
  await seedSettings(sw, {});
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');
  const box = page.locator('perpscope-panel section.p');
  await expect(box.locator('li.market')).toHaveText(/^BTC funding/, { timeout: 15_000 });
  const summary = await page.locator('#account-summary').boundingBox();
  if (!summary) throw new Error('no margin summary on the test page');
  // The default corner (bottom-right) is where the summary is: the panel sits above it instead.
  await expect
    .poll(async () => {
      const b = await box.boundingBox();
      return b !== null && !overlaps(b, summary) && b.y + b.height <= summary.y;
    })
    .toBe(true);
  await page.screenshot({ path: `${SHOTS}/panel-1280x720.png` });
  // README image: the panel above the (assumed) margin summary at 1280×720.
  await page.screenshot({ path: resolve(import.meta.dirname, '../docs/panel.png') });

  // Collapse to a pill that still says the worst state in words.
  await box.locator('button.toggle').click();
  const pill = box.locator('button.toggle');
  await expect(pill).toHaveText(
    /^perpscope · (ok|stale|watch|unknown|warn|critical|degraded|halted|recovering)$/,
  );
  await expect(box.locator('li')).toHaveCount(0);
  const pillBox = await box.boundingBox();
  expect(pillBox?.width).toBeLessThan(200);
  expect(pillBox && overlaps(pillBox, summary)).toBe(false);
  await page.screenshot({ path: `${SHOTS}/panel-pill.png` });
  // Collapsed is remembered for this site.
  await page.reload();
  await expect(box.locator('button.toggle')).toHaveText(/^perpscope · /, { timeout: 15_000 });
  await expect(box.locator('li')).toHaveCount(0);

  // Expand, then drag by the title to the top-left area.
  await box.locator('button.toggle').click();
  await expect(box.locator('li.market')).toBeVisible();
  const title = box.locator('h2');
  const t = await title.boundingBox();
  const before = await box.boundingBox();
  if (!t || !before) throw new Error('no panel title');
  // Where the pointer grabs the panel, relative to its corner.
  const grab = { x: t.x + 10 - before.x, y: t.height / 2 + t.y - before.y };
  await page.mouse.move(t.x + 10, t.y + t.height / 2);
  await page.mouse.down();
  await page.mouse.move(200, 300, { steps: 5 });
  await page.mouse.move(210 + grab.x, 120 + grab.y, { steps: 5 });
  await page.mouse.up();
  const dropped = await box.boundingBox();
  expect(dropped).not.toBeNull();
  expect(Math.abs((dropped?.x ?? 0) - 210)).toBeLessThanOrEqual(3);
  expect(Math.abs((dropped?.y ?? 0) - 120)).toBeLessThanOrEqual(3);
  const stored = await sw.evaluate(() => chrome.storage.local.get('panelLayout'));
  expect(stored.panelLayout).toMatchObject({
    'app.hyperliquid.xyz': { collapsed: false },
  });
  // A new load puts it where it was dropped.
  await page.reload();
  await expect(box.locator('li.market')).toBeVisible({ timeout: 15_000 });
  await expect
    .poll(async () => {
      const b = await box.boundingBox();
      return b ? [Math.round(b.x), Math.round(b.y)] : null;
    })
    .toEqual([Math.round(dropped?.x ?? 0), Math.round(dropped?.y ?? 0)]);
  // Another site keeps its own default placement.
  const other = await context.newPage();
  await other.setViewportSize({ width: 1280, height: 720 });
  await other.goto('https://app.trade.xyz/trade/GOLD');
  const otherBox = other.locator('perpscope-panel section.p');
  await expect(otherBox.locator('li').first()).toBeVisible({ timeout: 15_000 });
  const ob = await otherBox.boundingBox();
  expect((ob?.x ?? 0) + (ob?.width ?? 0)).toBeGreaterThan(1200);
});
