import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevnetChain, startDevnetChain } from '@perpscope/devnet';
import { expect, expectedDistances, pct, seedSettings, test, USER } from './fixtures.js';
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
    // The per-position halt guidance, in one line, with what reaches the halt distance: the
    // collateral to add and the share to cut, computed here from the replay's state with the
    // documented formula (research perp-math.md §3.9, one tier): BTC is a cross long (s = 1) of q
    // at mark P with account value C and ETH's maintenance O beside it; the target is
    // X* = P·(1 − K/100), K = warn × 3. Add: C* = q·X*·mmr + O + q·(P − X*), add C* − C (rounded up
    // to the cent). Cut: q' = (C − O)/(X*·mmr + P·K/100), cut 1 − q'/q (rounded up to a percent).
    const keep = warnPct * 3;
    const plan = await expectedHaltPlan(hl.url, keep);
    const haltLine = page.locator('perpscope-panel li.pos').filter({ hasText: /^BTC / });
    await expect(haltLine).toHaveText(
      new RegExp(
        `^BTC ${pct(btc).replace('.', '\\.')} — during this halt keep ≥ ${pct(keep).replace('.', '\\.')}: add ([\\d,]+(\\.\\d\\d)?) USDC or cut (\\d+)%$`,
      ),
    );
    const [, amount = '', , cut = ''] =
      /: add ([\d,]+(\.\d\d)?) USDC or cut (\d+)%$/.exec((await haltLine.textContent()) ?? '') ??
      [];
    // Rounded up to the cent: at most 0.01 above the exact amount, never below it.
    const shown = Number(amount.replace(/,/g, ''));
    expect(shown - plan.add).toBeGreaterThanOrEqual(-1e-6);
    expect(shown - plan.add).toBeLessThanOrEqual(0.01 + 1e-6);
    expect(Number(cut)).toBe(Math.ceil(plan.cutPct - 1e-9));
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

/** BTC's halt amounts from the replay's main-dex state (formula in the test above). */
async function expectedHaltPlan(url: string, keepPct: number) {
  const res = await fetch(`${url}/info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'clearinghouseState', user: USER, dex: '' }),
  });
  type Pos = {
    coin: string;
    szi: string;
    positionValue: string;
    maxLeverage: number;
    leverage: { type: string };
  };
  const state = (await res.json()) as {
    crossMarginSummary: { accountValue: string };
    assetPositions: { position: Pos }[];
  };
  const ps = state.assetPositions.map((a) => a.position);
  const btc = ps.find((p) => p.coin === 'BTC');
  if (!btc || Number(btc.szi) <= 0 || btc.leverage.type !== 'cross')
    throw new Error('the replay account changed: BTC cross long expected');
  const q = Number(btc.szi);
  const P = Number(btc.positionValue) / q;
  const mmr = 1 / (2 * btc.maxLeverage);
  const O = ps
    .filter((p) => p !== btc && p.leverage.type === 'cross')
    .reduce((sum, p) => sum + Number(p.positionValue) / (2 * p.maxLeverage), 0);
  const C = Number(state.crossMarginSummary.accountValue);
  const X = P * (1 - keepPct / 100);
  const add = q * X * mmr + O + q * (P - X) - C;
  const kept = (C - O) / (X * mmr + (P * keepPct) / 100);
  return { add, cutPct: (1 - kept / q) * 100 };
}
