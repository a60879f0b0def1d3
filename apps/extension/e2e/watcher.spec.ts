import {
  GuardedAccountList,
  RiskSummary,
  type RiskSummaryChain,
  type RiskSummaryMarket,
} from '@perpscope/schemas';
import { expect, expectedDistances, seedSettings, test } from './fixtures.js';

// Chain and oracle statuses come from the watcher's `GET /v1/risk-summary` (schema:
// @perpscope/schemas). WATCHER_URL is served by a route handler in this test; every body is
// validated by the shared zod schema first, so it is exactly what the watcher may send.
const WATCHER_URL = 'http://watcher.test:8787';
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const EVIL = '<img src=x onerror="document.title=\'pwned\'">';

function chain(status: RiskSummaryChain['status']): RiskSummaryChain {
  const halted = status === 'halted';
  return {
    chain: 'arbitrum-one',
    chainId: 42161,
    name: `Arbitrum One ${EVIL}`,
    status,
    phase: halted ? 'halted' : 'normal',
    guidance: halted
      ? ['Move execution to a CEX.', 'Keep liquidation distance at least 2× normal.', EVIL]
      : [],
    flags: { reorg: false, safeLagWarn: false, safeLagCrit: false, feedDown: false },
    headAgeSeconds: halted ? 75 : 1,
    statusSinceMs: 0,
  };
}

function market(coin: string, status: RiskSummaryMarket['status']): RiskSummaryMarket {
  return {
    coin,
    dex: coin.includes(':') ? (coin.split(':')[0] ?? '') : '',
    status,
    reasons:
      status === 'critical'
        ? [
            {
              code: 'oracle_dead',
              severity: 'critical',
              message: `oracle silent for 75 s ${EVIL}`,
              sinceMs: null,
            },
          ]
        : [],
    statusSinceMs: null,
    oracle: {
      freshness: status === 'critical' ? 'dead' : 'fresh',
      lastChangeAgeSeconds: 1,
      oraclePx: '1',
      markPx: '1',
      markDeviation: 0,
      deviationTier: 'none',
    },
    funding: { rate1h: '0.0000125', apr: '0.1095', multiplier: null },
    atOpenInterestCap: false,
    lastSampleMs: 0,
  };
}

test('an Arbitrum halt shows the bridge note and changes no Hyperliquid threshold; notifications; remote text stays text; chain lines stay, stale, when the watcher stops answering', async ({
  context,
  sw,
  hl,
}) => {
  let halted = false;
  let down = false;
  await context.route(`${WATCHER_URL}/**`, async (route) => {
    if (down) {
      await route.fulfill({
        status: 500,
        headers: { 'access-control-allow-origin': '*' },
        body: '',
      });
      return;
    }
    const url = new URL(route.request().url());
    if (url.pathname === '/v1/positions') {
      // The guard list (issue 16, `e2e/guard.spec.ts`): this watcher guards no account.
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': '*' },
        body: JSON.stringify(GuardedAccountList.parse({ accounts: [] })),
      });
      return;
    }
    expect(url.pathname).toBe('/v1/risk-summary');
    const body = RiskSummary.parse({
      generatedAtMs: Date.now(),
      chains: [chain(halted ? 'halted' : 'up')],
      markets: [market('BTC', 'ok'), market('xyz:TSLA', halted ? 'critical' : 'ok')],
      unknownCoins: [],
      unknownChains: [],
    });
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify(body),
    });
  });
  await seedSettings(sw, { watcherUrl: WATCHER_URL });
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');
  const chainLine = page.locator('perpscope-panel li.chain');
  // Exact text (remote HTML stays text); the age suffix is checked by freshness.spec.ts.
  await expect(chainLine).toHaveText(new RegExp(`^${esc(`Arbitrum One ${EVIL}`)}: up — normal`), {
    timeout: 15_000,
  });
  await expect(page.locator('perpscope-panel li.market')).toHaveText(/oracle ok( · \d+ s)?$/);
  const btc = (await expectedDistances(hl)).get('BTC')?.pct ?? 0;
  const badge = page.locator('perpscope-badge[data-key$="|BTC"] .b');
  await expect(badge).toHaveAttribute(
    'data-level',
    btc < 7 ? 'critical' : btc < 15 ? 'warn' : 'ok',
  );

  halted = true;
  await expect(chainLine).toHaveText(/^Arbitrum One .*: halted — during a halt/, {
    timeout: 15_000,
  });
  await expect(chainLine).toHaveAttribute('data-status', 'halted');
  // Hyperliquid depends on Arbitrum for its bridge only (research/venues.md §6): its own note, not
  // the watcher's "prices frozen" guidance, and the same thresholds as before the halt.
  await expect(page.locator('perpscope-panel li.g')).toHaveText(
    `Arbitrum One ${EVIL} halted: deposits and withdrawals via the Arbitrum bridge are stalled; Hyperliquid trading, prices and liquidations are unaffected.`,
  );
  await expect(page.locator('perpscope-panel')).not.toContainText(/Move execution|multiplied/);
  await page.waitForTimeout(4_000); // more polls during the halt
  await expect(badge).toHaveAttribute(
    'data-level',
    btc < 7 ? 'critical' : btc < 15 ? 'warn' : 'ok',
  );

  // Remote strings rendered as text: no element was created from them, nothing ran.
  await expect(page.locator('perpscope-panel img, perpscope-badge img')).toHaveCount(0);
  expect(await page.title()).toBe('Hyperliquid (local test page)');

  // Notifications: the halt and the oracle critical, once each (deduplicated on later polls).
  await expect
    .poll(async () => Object.keys(await sw.evaluate(() => chrome.notifications.getAll())).sort(), {
      timeout: 15_000,
    })
    .toEqual(
      expect.arrayContaining([
        'perpscope|chain|arbitrum-one|halted',
        'perpscope|oracle|xyz:TSLA|critical',
      ]),
    );
  const state = (await sw.evaluate(() => chrome.storage.local.get('alertState')))
    .alertState as Record<string, number>;
  const first = state['chain|arbitrum-one|halted'];
  await page.waitForTimeout(4_000); // more polls while still halted
  const later = (await sw.evaluate(() => chrome.storage.local.get('alertState')))
    .alertState as Record<string, number>;
  expect(later['chain|arbitrum-one|halted']).toBe(first);

  // The watcher stops answering: the chain and oracle lines stay, grey "stale · N s", past the
  // threshold (3 polls of 3 s), instead of vanishing or looking current.
  down = true;
  await expect(chainLine).toHaveText(
    /^Arbitrum One .*: stale · \d+ s \(halted — during a halt\)$/,
    {
      timeout: 9_000 + 2 * 3_000,
    },
  );
  await expect(chainLine).toHaveAttribute('data-status', 'stale');
  await expect(page.locator('perpscope-panel li.market')).toHaveText(/oracle stale · \d+ s \(ok\)/);
  await expect(page.locator('perpscope-panel li.note')).toHaveText(/Watcher unreachable/);
});

test('the Aevo page gets distance and health badges from its own numbers, plus the Aevo chain badge', async ({
  context,
  sw,
}) => {
  await context.route(`${WATCHER_URL}/**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      headers: { 'access-control-allow-origin': '*' },
      body: JSON.stringify(
        RiskSummary.parse({
          generatedAtMs: Date.now(),
          chains: [
            {
              ...chain('degraded'),
              chain: 'aevo',
              chainId: 2999,
              name: 'Aevo',
              phase: 'pre-halt',
              guidance: ['Cut L2 beta.'],
            },
          ],
          markets: [],
          unknownCoins: [],
          unknownChains: [],
        }),
      ),
    }),
  );
  await seedSettings(sw, { addresses: [], watcherUrl: WATCHER_URL });
  const page = await context.newPage();
  await page.goto('https://app.aevo.xyz/perpetual/eth');
  // Expected from the page's own numbers (aevo.html): distance |mark − liq| / mark, and
  // health AB + UP − OO − MM = 12500 − 1240.50 − 300 − 2050.25 = 8909.25.
  const eth = ((1919.1 - 1530.4) / 1919.1) * 100;
  const btc = ((79120.5 - 66344) / 66344) * 100;
  const b = (i: string) => page.locator(`perpscope-badge[data-key="aevo|page|${i}"] .b`);
  await expect(b('ETH-PERP')).toHaveText(
    new RegExp(`^Liq ${eth.toFixed(1)}% · health 8909\\.25 · \\d+ s$`),
    { timeout: 15_000 },
  );
  await expect(b('BTC-PERP')).toHaveText(
    new RegExp(`^Liq ${btc.toFixed(1)}% · health 8909\\.25 · \\d+ s$`),
  );
  await expect(b('BTC-PERP')).toHaveAttribute(
    'data-level',
    btc < 7 ? 'critical' : btc < 15 ? 'warn' : 'ok',
  );
  await expect(page.locator('perpscope-panel li.chain')).toHaveText(
    /^Aevo: degraded — before a halt · \d+ s$/,
  );
  // Aevo settles on its rollup (venues.md §6): its own text, not the watcher's prices guidance.
  await expect(page.locator('perpscope-panel li.g')).toHaveText(
    'Aevo degraded: if it halts, Aevo trade settlement, deposits and withdrawals are stalled; whether orders still match is not documented: do not rely on closing a position.',
  );
});
