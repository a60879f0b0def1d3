import { resolve } from 'node:path';
import { type BrowserContext, test as base, chromium } from '@playwright/test';

/** Absolute path of the built Chromium extension (`wxt build`). */
export const EXTENSION_DIR = resolve(import.meta.dirname, '../.output/chrome-mv3');

/**
 * A persistent Chromium context with the built extension loaded (Debian chromium, headless),
 * plus the extension id read from its service worker URL. Recipe: research/toolchain.md §7.
 */
export const test = base.extend<{ context: BrowserContext; extensionId: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their deps as a pattern.
  context: async ({}, use) => {
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
      ],
    });
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await use(new URL(worker.url()).host);
  },
});
export const expect = test.expect;
