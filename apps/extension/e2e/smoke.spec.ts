import { expect, test } from './fixtures.js';

// The exchange URL is routed to a local page, so the content script's real `matches` apply
// and nothing leaves the machine.
const PAGE =
  '<!doctype html><html><head><title>Hyperliquid</title></head><body><h1>Trade</h1></body></html>';

test('the built extension starts its service worker and injects its shadow root', async ({
  context,
  extensionId,
}) => {
  expect(extensionId).toMatch(/^[a-p]{32}$/);
  await context.route('https://app.hyperliquid.xyz/**', (route) =>
    route.fulfill({ status: 200, contentType: 'text/html', body: PAGE }),
  );
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade');
  await expect(page.locator('perpscope-root')).toBeAttached();
  await expect(page.locator('.perpscope-status')).toHaveText('perpscope active');
});

test('the popup renders', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(page.locator('#app')).toContainText('perpscope');
});
