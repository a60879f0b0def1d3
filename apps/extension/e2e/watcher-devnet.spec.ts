import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type DevnetChain,
  type HyperliquidReplay,
  startDevnetChain,
  startHyperliquidReplay,
} from '@perpscope/devnet';
import { expect, seedSettings, test } from './fixtures.js';

// The real pieces: an anvil-backed devnet L2 (@perpscope/devnet) watched by a running
// perpscope-watcher process (apps/watcher, its CLI with a config file), whose CORS allow-list
// names this extension's id. The extension reaches it over real HTTP; only the exchange page and
// the HL API are routed as in the other specs.
const WATCHER_BIN = resolve(import.meta.dirname, '../../watcher/bin/perpscope-watcher.mjs');

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => ok(port));
    });
  });
}

async function waitForHealthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`watcher exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`watcher did not become healthy at ${url}:\n${log()}`);
}

test('a running watcher on devnet: an oracle stall and a chain halt reach the page badges and notifications', async ({
  context,
  sw,
  extensionId,
}) => {
  test.setTimeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-e2e-watcher-'));
  let chain: DevnetChain | null = null;
  let watcher: ChildProcess | null = null;
  let feed: HyperliquidReplay | null = null;
  let output = '';
  try {
    chain = await startDevnetChain({
      name: 'devnet-l2',
      chainId: 31_901,
      blockTime: 1,
      rpcCount: 2,
      uptimeFeed: false,
    });
    // The watcher's HIP-3 feed: a replay server in real time (the HL API the extension reads is the
    // fixture's, frozen unless a test moves it; both speak the same coin names). The deployer writes
    // every 1 s so a healthy oracle never comes near the compressed fallback threshold below, even
    // on a loaded machine (at the default 3 s cadence a 2 s threshold flags healthy markets).
    feed = await startHyperliquidReplay({ dexes: ['xyz'], oracleIntervalMs: 1_000 });
    const port = await freePort();
    const config = {
      server: { host: '127.0.0.1', port },
      database: { path: join(dir, 'watcher.db') },
      log: { level: 'warn' },
      security: { extensionIds: [extensionId] },
      hip3: {
        enabled: true,
        apiUrl: feed.url,
        wsUrl: feed.wsUrl,
        explorerUrl: feed.url,
        dexes: ['xyz'],
        explorer: { enabled: false },
        // Compressed: the mark falls back after 5 s without an oracle change, dead after 8 s; the
        // watcher requires a silent stream to read as no data no later than that (ctxs arrive
        // every second, so 8 s of silence is never the stall under test).
        thresholds: { fallbackAfterSeconds: 5, deadAfterSeconds: 8, sampleStaleSeconds: 8 },
      },
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
          // Compressed like the devnet scenarios: degraded after 3 s without a head, halted after 6 s.
          thresholds: { degradedAfterSeconds: 3, haltedAfterSeconds: 6, recoveryGraceSeconds: 15 },
        },
      ],
    };
    writeFileSync(join(dir, 'watcher.json'), JSON.stringify(config));
    watcher = spawn(process.execPath, [WATCHER_BIN, 'run', '--config', join(dir, 'watcher.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PERPSCOPE_LOG_LEVEL: 'warn' },
    });
    watcher.stdout?.on('data', (d) => (output += d));
    watcher.stderr?.on('data', (d) => (output += d));
    const url = `http://127.0.0.1:${port}`;
    await waitForHealthy(url, watcher, () => output);

    await seedSettings(sw, { watcherUrl: url, chains: { hyperliquid: ['devnet-l2'], aevo: [] } });
    const page = await context.newPage();
    await page.goto('https://app.hyperliquid.xyz/trade/xyz:TSLA');
    const line = page.locator('perpscope-panel li.chain');
    await expect(line).toHaveText(/^Devnet L2: up — normal · \d+ s$/, { timeout: 30_000 });

    // Oracle: the deployer stops publishing xyz:TSLA; the watcher marks the market critical.
    const market = page.locator('perpscope-panel li.market');
    await expect(market).toHaveText(/^xyz:TSLA funding .* · oracle ok · \d+ s$/, {
      timeout: 30_000,
    });
    feed.apply({ type: 'oracleStall', coin: 'xyz:TSLA' });
    await expect(market).toHaveText(/^xyz:TSLA funding .* · oracle critical · \d+ s$/, {
      timeout: 30_000,
    });
    await expect(market).toHaveAttribute('data-status', 'critical');
    await expect
      .poll(async () => Object.keys(await sw.evaluate(() => chrome.notifications.getAll())), {
        timeout: 15_000,
      })
      .toContain('perpscope|oracle|xyz:TSLA|critical');

    await chain.halt();
    await expect(line).toHaveText(/^Devnet L2: halted — during a halt · \d+ s$/, {
      timeout: 30_000,
    });
    await expect(line).toHaveAttribute('data-status', 'halted');
    // Hyperliquid does not depend on this chain (research/venues.md §6): no guidance, no multiplier.
    await expect(page.locator('perpscope-panel li.g')).toHaveCount(0);
    await expect(page.locator('perpscope-panel')).not.toContainText(/multiplied/);
    await expect
      .poll(async () => Object.keys(await sw.evaluate(() => chrome.notifications.getAll())), {
        timeout: 15_000,
      })
      .toContain('perpscope|chain|devnet-l2|halted');
  } finally {
    // Wait for the watcher to finish its last write before its database directory is removed.
    if (watcher && watcher.exitCode === null && watcher.signalCode === null) {
      const exited = new Promise((r) => watcher?.once('exit', r));
      watcher.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (watcher.exitCode === null && watcher.signalCode === null) watcher.kill('SIGKILL');
    }
    await chain?.stop();
    await feed?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
