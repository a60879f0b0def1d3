import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevnetChain, startDevnetChain } from '@perpscope/devnet';
import { expect, expectedDistances, pct, seedSettings, test } from './fixtures.js';
import { freePort, startWatcherProcess, type WatcherProcess } from './watcherProcess.js';

// Issue 11's open e2e, closed by issue 18's user-declared dependency: the user says Hyperliquid
// depends on a chain for `prices` (the built-in table lists no such chain for it). A real
// perpscope-watcher watches an anvil devnet chain; the chain halts, recovers and is up again:
// the threshold multiplier (here 3×) applies from the halt, holds through `recovering` and after
// the chain is `up` until the hold time has passed, and the notification says "3×".
test('a halt of a `prices` dependency multiplies the threshold and keeps it through recovering until the hold time; the notification says 3×', async ({
  context,
  sw,
  hl,
  extensionId,
}) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), 'ext18-e2e-prices-'));
  let chain: DevnetChain | null = null;
  let watcher: WatcherProcess | null = null;
  try {
    chain = await startDevnetChain({
      name: 'devnet-l2',
      chainId: 31_902,
      blockTime: 1,
      rpcCount: 2,
      uptimeFeed: false,
    });
    const port = await freePort();
    writeFileSync(
      join(dir, 'watcher.json'),
      JSON.stringify({
        server: { host: '127.0.0.1', port },
        database: { path: join(dir, 'watcher.db') },
        log: { level: 'warn' },
        security: { extensionIds: [extensionId] },
        hip3: { enabled: false },
        chains: [
          {
            key: 'devnet-l2',
            chainId: chain.chainId,
            name: 'Devnet L2',
            class: 'op-stack',
            blockTimeMs: 1000,
            rpcUrls: [...chain.rpcUrls],
            uptimeFeed: null,
            pollIntervalMs: 500,
            traits: { systemTxsPerBlock: 0 },
            thresholds: {
              degradedAfterSeconds: 3,
              haltedAfterSeconds: 6,
              recoveryGraceSeconds: 10,
            },
          },
        ],
      }),
    );
    watcher = await startWatcherProcess({
      args: ['run', '--config', join(dir, 'watcher.json')],
      port,
      cwd: dir,
      env: { PERPSCOPE_LOG_LEVEL: 'warn' },
    });

    // Thresholds around BTC's real distance: `ok` normally, `warn` at 3× (not `critical`).
    const btc = (await expectedDistances(hl)).get('BTC')?.pct ?? 0;
    expect(btc).toBeGreaterThan(1);
    const warnPct = Number((btc * 0.5).toFixed(2));
    const criticalPct = Number((btc * 0.2).toFixed(2));
    await seedSettings(sw, {
      watcherUrl: watcher.url,
      chains: { hyperliquid: ['devnet-l2'], aevo: [] },
      dependencies: { hyperliquid: { 'devnet-l2': 'prices' }, aevo: {} },
      thresholds: { warnPct, criticalPct, haltMultiplier: 3 },
      timing: { staleAfterPolls: 3, haltHoldMinutes: 0.5 },
    });
    // Record notification options as the background creates them.
    await sw.evaluate(() => {
      const g = globalThis as unknown as { __notes: string[] };
      g.__notes = [];
      type Create = (id: string, o: { title: string; message: string }) => Promise<string>;
      const api = chrome.notifications as unknown as { create: Create };
      const create = api.create.bind(api);
      api.create = (id, o) => {
        g.__notes.push(`${o.title} | ${o.message}`);
        return create(id, o);
      };
    });

    const page = await context.newPage();
    await page.goto('https://app.hyperliquid.xyz/trade/BTC');
    const line = page.locator('perpscope-panel li.chain');
    const badge = page.locator('perpscope-badge[data-key$="|BTC"] .b');
    await expect(line).toHaveText(/^Devnet L2: up — normal · \d+ s$/, { timeout: 30_000 });
    await expect(badge).toHaveAttribute('data-level', 'ok');

    await chain.halt();
    await expect(line).toHaveText(/^Devnet L2: halted — /, { timeout: 30_000 });
    await expect(badge).toHaveAttribute('data-level', 'warn', { timeout: 10_000 });
    await expect(page.locator('perpscope-panel')).toContainText(
      'Halt of a chain this venue prices on: liquidation thresholds multiplied.',
    );
    // The per-position halt guidance, in one line.
    await expect(page.locator('perpscope-panel li.pos').filter({ hasText: /^BTC / })).toHaveText(
      `BTC ${pct(btc)} — during this halt keep ≥ ${pct(warnPct * 3)}`,
    );
    await expect
      .poll(() => sw.evaluate(() => (globalThis as unknown as { __notes: string[] }).__notes), {
        timeout: 15_000,
      })
      .toContainEqual(
        `BTC long: liquidation distance low | hyperliquid ${btc.toFixed(1)}% from liquidation (chain halt: thresholds 3×)`,
      );

    await chain.resume();
    await expect(line).toHaveText(/^Devnet L2: recovering — /, { timeout: 30_000 });
    await expect(badge).toHaveAttribute('data-level', 'warn');
    await expect(line).toHaveText(/^Devnet L2: up — /, { timeout: 40_000 });
    // Up again, but not yet for the hold time (30 s): still multiplied.
    await expect(badge).toHaveAttribute('data-level', 'warn');
    const upAt = Date.now();
    await expect(badge).toHaveAttribute('data-level', 'ok', { timeout: 60_000 });
    // Released by the hold, not by the recovery: at least ~30 s after `up` was first seen
    // (minus the page's 3 s poll and the watcher's reporting delay).
    expect(Date.now() - upAt).toBeGreaterThan(20_000);
  } finally {
    await watcher?.stop();
    await chain?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
