import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, seedSettings, test, USER } from './fixtures.js';
import { freePort, startWatcherProcess, type WatcherProcess } from './watcherProcess.js';

// The README's walk-through (apps/extension/README.md, "From a fresh clone to badges"), step by
// step: the built extension is loaded (step 3) → its options open by themselves (step 4) → the
// demo watcher runs (step 5, `perpscope-watcher demo`, here on a free port) → the address and
// the watcher URL are entered and the connection tested, chains picked from the watcher's own
// list (step 6) → the exchange page shows badges and the demo's chain lines (step 7) — with no
// CORS configuration and no host permission granted: the demo admits every extension.
const SHOTS = 'test-results/screenshots';

async function testConnection(options: Page, url: string): Promise<string> {
  await options.fill('#watcherUrl', url);
  await options.click('#test-connection');
  const line = options.locator('#connection');
  await expect(line).not.toHaveText(/^(Testing…)?$/, { timeout: 20_000 });
  return (await line.textContent()) ?? '';
}

test('README walk-through: install opens the options; test connection tells down, CORS, wrong URL and unknown chains apart; the demo watcher feeds the badges', async ({
  context,
  extensionId,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'ext18-e2e-demo-'));
  let demo: WatcherProcess | null = null;
  let noCors: Server | null = null;
  try {
    // Step 4: installing opened the options page with the three-step checklist.
    await expect
      .poll(() => context.pages().some((p) => p.url().endsWith('/options.html')), {
        timeout: 15_000,
      })
      .toBe(true);
    const options = context.pages().find((p) => p.url().endsWith('/options.html'));
    if (!options) throw new Error('no options page');
    await expect(options.locator('#setup li')).toHaveCount(3);
    await expect(options.locator('#setup li[data-step="address"]')).toHaveAttribute(
      'data-done',
      'false',
    );
    await options.screenshot({ path: `${SHOTS}/options-first-run.png`, fullPage: true });

    // Step 5: the demo watcher (three anvil chains + the HIP-3 replay) on a free port.
    demo = await startWatcherProcess({
      args: ['demo'],
      port: await freePort(),
      cwd: dir,
      env: { PERPSCOPE_DB: join(dir, 'demo.db') },
      timeoutMs: 90_000,
    });

    // Step 6: address, watcher URL, test connection.
    await options.fill('#addresses', USER);
    await expect(options.locator('#setup li[data-step="address"]')).toHaveAttribute(
      'data-done',
      'true',
    );
    // Nothing listening.
    const closed = await freePort();
    expect(await testConnection(options, `http://127.0.0.1:${closed}`)).toMatch(
      new RegExp(`^Watcher down: nothing answers at http://127\\.0\\.0\\.1:${closed}\\.`),
    );
    // Something answers but sends no CORS header for this extension (a watcher whose
    // security.extensionIds does not name it): the fix names this extension's id.
    noCors = createServer((_req, res) => res.end('{"chains":[]}'));
    await new Promise<void>((ok) => noCors?.listen(0, '127.0.0.1', ok));
    const noCorsPort = (noCors.address() as { port: number }).port;
    const blocked = await testConnection(options, `http://127.0.0.1:${noCorsPort}`);
    expect(blocked).toMatch(
      /^Permission missing: the watcher at .* answers, but the browser blocks/,
    );
    expect(blocked).toContain(`security.extensionIds: [${extensionId}]`);
    await expect(options.locator('#connection')).toHaveAttribute('data-kind', 'blocked');
    // The demo under a path it does not serve.
    expect(await testConnection(options, `${demo.url}/perpscope`)).toBe(
      `Wrong URL: ${demo.url}/perpscope/v1/chains answered HTTP 404. Use the watcher's root URL (as printed when it starts), including any path prefix.`,
    );
    // The right URL, but the default chains (mainnet ids) are unknown to the demo.
    expect(await testConnection(options, demo.url)).toBe(
      'Connected, but the watcher does not watch arbitrum-one, hyperevm, aevo: those chain badges would stay "unknown". It watches: op-devnet, arb-devnet, fast-devnet.',
    );
    // Chains come from the watcher's own list.
    await options.fill('#chains\\.hyperliquid', '');
    await options.fill('#chains\\.aevo', '');
    await options.click('#watcher-chains button[data-chain="op-devnet"][data-site="hyperliquid"]');
    await expect(options.locator('#chains\\.hyperliquid')).toHaveValue('op-devnet');
    // Not in perpscope's table for Hyperliquid: the page asks how Hyperliquid depends on it.
    await expect(options.locator('#chains-unlisted')).toContainText(
      'op-devnet: perpscope does not know how Hyperliquid depends on it',
    );
    expect(await testConnection(options, demo.url)).toBe(
      'Connected: the watcher watches op-devnet, arb-devnet, fast-devnet.',
    );
    await expect(options.locator('#setup li[data-done="true"]')).toHaveCount(3);
    await options.screenshot({ path: `${SHOTS}/options-connected.png`, fullPage: true });
    // README image: the options after a successful test (step 6).
    await options.screenshot({ path: resolve(import.meta.dirname, '../docs/options.png') });
    await options.click('button[type="submit"]');
    await expect(options.locator('#status')).toHaveText(/^Saved\./);

    // Step 7: the exchange page. No host permission was granted (the prompt is never answered
    // here): the demo's CORS admits the extension by itself.
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('https://app.hyperliquid.xyz/trade/BTC');
    await expect(page.locator('perpscope-badge[data-key$="|BTC"] .b')).toHaveText(/^Liq /, {
      timeout: 20_000,
    });
    const chainLine = page.locator('perpscope-panel li.chain');
    await expect(chainLine).toHaveText(/^op-devnet: (up|degraded|halted|recovering) — /, {
      timeout: 30_000,
    });
    await expect(page.locator('perpscope-panel')).not.toContainText('Watcher unreachable');
    await page.screenshot({ path: `${SHOTS}/badges-demo.png` });
  } finally {
    await demo?.stop();
    await new Promise<void>((ok) => (noCors ? noCors.close(() => ok()) : ok()));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('after an extension reload an open exchange tab says to reload the page instead of going blank', async ({
  context,
  sw,
}) => {
  await seedSettings(sw, {});
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');
  await expect(page.locator('perpscope-badge[data-key$="|BTC"] .b')).toHaveText(/^Liq /, {
    timeout: 15_000,
  });
  // The worker goes away with the reload: its evaluate may fail, the reload happens anyway.
  await sw.evaluate(() => chrome.runtime.reload()).catch(() => {});
  await expect(page.locator('perpscope-panel')).toContainText(
    'perpscope was updated — reload this page to see its badges again.',
    { timeout: 15_000 },
  );
  await expect(page.locator('perpscope-badge')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/reload-hint.png` });
});
