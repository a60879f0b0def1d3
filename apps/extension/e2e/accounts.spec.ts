import { type HyperliquidReplay, unifiedAccountPreset as unified } from '@perpscope/devnet';
import type { Page, Worker } from '@playwright/test';
import { expect, expectedDistances, pct, seedSettings, test, USER } from './fixtures.js';

// Issue 12: account modes end to end. The replay server serves `userAbstraction`,
// `spotClearinghouseState` and, for its unified account across the main dex and `xyz`, every
// `liquidationPx` from the unified pool (computed in float64 by the replay, independently of
// @perpscope/math). The extension must show our own distance for it, agreeing with the venue's.

const badge = (page: Page, coin: string) =>
  page.locator(`perpscope-badge[data-key$="|${coin}"] .b`);

/** The venue's distance per main-dex coin of `user`, from the replay's own `liquidationPx`. */
async function venueDistances(
  hl: HyperliquidReplay,
  user: string,
): Promise<Map<string, { pct: number; liq: number }>> {
  const res = await fetch(`${hl.url}/info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'clearinghouseState', user, dex: '' }),
  });
  const state = (await res.json()) as {
    assetPositions: {
      position: { coin: string; szi: string; positionValue: string; liquidationPx: string };
    }[];
  };
  const out = new Map<string, { pct: number; liq: number }>();
  for (const { position: p } of state.assetPositions) {
    const mark = Number(p.positionValue) / Math.abs(Number(p.szi));
    const liq = Number(p.liquidationPx);
    out.set(p.coin, { pct: (Math.abs(mark - liq) / mark) * 100, liq });
  }
  return out;
}

/** The positions of the stored snapshot (what the popup and every tab read). */
async function storedPositions(sw: Worker) {
  const { snapshot } = (await sw.evaluate(() => chrome.storage.local.get('snapshot'))) as {
    snapshot?: {
      positions: {
        coin: string;
        account: string;
        liqPx: string | null;
        venueLiqPx: string | null;
        liqCheck: string;
        accountMode: string | null;
      }[];
    };
  };
  return snapshot?.positions ?? [];
}

/** The percentage a badge shows (NaN when it shows none). */
const badgePct = (text: string) => Number(/^Liq (\d+\.\d+)%/.exec(text)?.[1]);

/** Reads the percentage a badge shows and checks it is the venue's distance to the badge's rounding. */
function expectPctNear(text: string, venuePct: number) {
  const m = /^Liq (\d+\.\d+)% · (\d+\.\dσ · )?\d+ s$/.exec(text);
  expect(m, `badge "${text}" shows our distance alone (no flag, no "liq only")`).not.toBeNull();
  const shown = Number(m?.[1]);
  // 2 decimals below 10 %, 1 above: half a unit of the last digit, plus the 0.1 % price tolerance.
  const half = venuePct < 10 ? 0.005 : 0.05;
  expect(Math.abs(shown - venuePct)).toBeLessThanOrEqual(half + venuePct * 0.001);
}

test('a unified account across two dexes: badges show our distance, agreeing with the replay’s liquidationPx, and follow the mark', async ({
  context,
  sw,
  hl,
}) => {
  hl.setUser(unified.user, unified.mode);
  for (const [dex, account] of Object.entries(unified.accounts))
    hl.setAccount(unified.user, dex, account);
  await seedSettings(sw, { addresses: [unified.user] });
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');

  const venue = await venueDistances(hl, unified.user);
  expect([...venue.keys()].sort()).toEqual(['BTC', 'ETH']);
  for (const [coin, v] of venue) {
    const b = badge(page, coin);
    await expect(b).toHaveText(/^Liq \d/, { timeout: 15_000 });
    await expect(b).not.toHaveText(/liq only|nearer|stale/, { timeout: 15_000 });
    expectPctNear((await b.textContent()) ?? '', v.pct);
  }
  // Our own price, checked against the venue's, for every position on both dexes (xyz's isolated
  // XYZ100 has no row on this page; the snapshot holds it).
  await expect
    .poll(async () =>
      (await storedPositions(sw))
        .filter((p) => p.account === unified.user)
        .map((p) => [p.coin, p.accountMode, p.liqCheck])
        .sort(),
    )
    .toEqual([
      ['BTC', 'unifiedAccount', 'agree'],
      ['ETH', 'unifiedAccount', 'agree'],
      ['xyz:XYZ100', 'unifiedAccount', 'agree'],
    ]);
  for (const p of await storedPositions(sw)) {
    expect(p.liqPx).not.toBeNull();
    expect(Math.abs(Number(p.liqPx) - Number(p.venueLiqPx)) / Number(p.venueLiqPx)).toBeLessThan(
      1e-3,
    );
  }
  // The spot total moves with the perps' PnL: a BTC move changes both the pool and every price.
  hl.setMark('BTC', Math.round(Number(hl.ctxOf('BTC')?.markPx) * 0.96));
  const moved = await venueDistances(hl, unified.user);
  expect(moved.get('ETH')?.liq).not.toBeCloseTo(venue.get('ETH')?.liq ?? 0, 2);
  for (const [coin, v] of moved) {
    await expect
      .poll(async () => badgePct((await badge(page, coin).textContent()) ?? ''), {
        timeout: 15_000,
      })
      .toBeCloseTo(v.pct, 1);
    expectPctNear((await badge(page, coin).textContent()) ?? '', v.pct);
  }
});

test('a standard account keeps our perp-state distance, with its mode served by the replay', async ({
  context,
  sw,
  hl,
}) => {
  await seedSettings(sw, {});
  const page = await context.newPage();
  await page.goto('https://app.hyperliquid.xyz/trade/BTC');
  const expected = await expectedDistances(hl);
  for (const coin of ['BTC', 'ETH']) {
    const e = expected.get(coin);
    if (!e) throw new Error(`no ${coin} on the replay`);
    await expect(badge(page, coin)).toHaveText(
      new RegExp(`^Liq ${pct(e.pct).replace('.', '\\.')} · (\\d+\\.\\dσ · )?\\d+ s$`),
      { timeout: 15_000 },
    );
  }
  // The mode came from the replay server itself (no test-side answer in front of it).
  expect(hl.requests.some((r) => r.type === 'userAbstraction' && r.status === 200)).toBe(true);
  expect(
    (await storedPositions(sw)).filter((p) => p.account === USER).map((p) => p.accountMode),
  ).toEqual(['default', 'default', 'default']);
});
