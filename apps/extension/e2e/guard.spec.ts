import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, seedSettings, test, USER } from './fixtures.js';
import { freePort, startWatcherProcess, type WatcherProcess } from './watcherProcess.js';

/** A watched address the watcher does not guard (no positions on the replay server). */
const OTHER = '0x00000000000000000000000000000000000000b2';

// Issue 16: a real perpscope-watcher guards USER (its position guard reads the same replay server
// as the extension, through `hip3.apiUrl`); the popup says the guard is on for USER, "not
// guarded" for OTHER, and once the watcher is gone, stale — never "Guard on" from an old answer.
test('the popup says which addresses the watcher guards 24/7, and stale once the watcher is gone', async ({
  context,
  sw,
  hl,
  extensionId,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'guardpopup-e2e-'));
  let watcher: WatcherProcess | null = null;
  try {
    const port = await freePort();
    writeFileSync(
      join(dir, 'watcher.json'),
      JSON.stringify({
        server: { host: '127.0.0.1', port },
        database: { path: join(dir, 'watcher.db') },
        log: { level: 'warn' },
        security: { extensionIds: [extensionId] },
        // Both Hyperliquid URLs point at the replay: the guard's account stream (positions.transport
        // defaults to ws) must never reach the real API from a test.
        hip3: { enabled: false, apiUrl: hl.url, wsUrl: hl.wsUrl },
        chains: [],
        positions: {
          accounts: [{ address: USER, label: 'main' }],
          thresholds: { warnPct: 12, criticalPct: 6 },
          pollIntervalSeconds: 1,
        },
      }),
    );
    watcher = await startWatcherProcess({
      args: ['run', '--config', join(dir, 'watcher.json')],
      port,
      cwd: dir,
      env: { PERPSCOPE_LOG_LEVEL: 'warn' },
    });
    await seedSettings(sw, {
      addresses: [USER, OTHER],
      labels: { [USER]: 'Main' },
      watcherUrl: watcher.url,
    });

    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const guards = popup.locator('li.guard');
    await expect(guards.nth(0)).toHaveText(
      /^Main: Guard on — the watcher alerts you even with the browser closed · (ok|warn|critical) · warn 12% \/ critical 6% · \d+ s$/,
      { timeout: 30_000 },
    );
    await expect(guards.nth(0)).toHaveAttribute('data-guard', 'on');
    await expect(guards.nth(1)).toHaveText('0x0000…00b2: Not guarded by your watcher');
    await popup.screenshot({ path: 'test-results/screenshots/popup-guard-on.png' });

    // The watcher goes away: the line turns stale with its age, and no longer says "Guard on".
    await watcher.stop();
    await expect(guards.nth(0)).toHaveText(/^Main: Guard stale · \d+ s \(last: on\)$/, {
      timeout: 30_000,
    });
    await expect(guards.nth(0)).toHaveAttribute('data-guard', 'stale');
    await expect(popup.locator('text=Guard on')).toHaveCount(0);
  } finally {
    await watcher?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
