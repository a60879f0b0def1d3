import { expect, seedSettings, test, USER } from './fixtures.js';

interface HlPos {
  coin: string;
  szi: string;
  positionValue: string;
  marginUsed: string;
  maxLeverage: number;
  leverage: { type: 'cross' | 'isolated'; value: number };
}

async function stateOf(url: string, dex: string) {
  const res = await fetch(`${url}/info`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'clearinghouseState', user: USER, dex }),
  });
  return (await res.json()) as {
    crossMarginSummary: { accountValue: string };
    assetPositions: { position: HlPos }[];
  };
}

/** 5 significant figures with separators, as the popup prints prices (HL's page style). */
const venuePx = (x: number) =>
  Number(x.toPrecision(5)).toLocaleString('en-US', { maximumFractionDigits: 10 });
const pct = (x: number) => `${x.toFixed(Math.abs(x) < 10 ? 2 : 1)}%`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The popup's what-if line against the replay server's accounts. Expected prices are computed
// here from the replay's `clearinghouseState` with the documented formula (research
// perp-math.md §3.9 / hyperliquid.md §3.3, one tier: these notionals are in every table's first
// tier), not with the extension's code: X = (s·q·P + O − C) / (q·(s − mmr)), mmr = 1/(2·maxLeverage),
// P = positionValue/|szi|; after a market order at P a cross account keeps C (no fill PnL, no
// fee); an isolated position reopened at leverage L has C = q·P/L
// (`estimatePostTradeLiquidationPrice`'s TSDoc).
test('what-if: a size change and a leverage change give the new liquidation price; bad input says why', async ({
  context,
  sw,
  hl,
  extensionId,
}) => {
  await seedSettings(sw, {});
  const main = await stateOf(hl.url, '');
  const xyz = await stateOf(hl.url, 'xyz');
  const btc = main.assetPositions.map((a) => a.position).find((p) => p.coin === 'BTC');
  const eth = main.assetPositions.map((a) => a.position).find((p) => p.coin === 'ETH');
  const tsla = xyz.assetPositions.map((a) => a.position).find((p) => p.coin === 'xyz:TSLA');
  if (!btc || !eth || !tsla)
    throw new Error('replay accounts changed: BTC, ETH, xyz:TSLA expected');
  expect(btc.leverage.type).toBe('cross');
  expect(tsla.leverage.type).toBe('isolated');

  // BTC long 0.5 (cross) + 0.5 → long 1; C = accountValue, O = ETH's maintenance at its mark.
  const P = Number(btc.positionValue) / Math.abs(Number(btc.szi));
  const q = Math.abs(Number(btc.szi)) + 0.5;
  const mmr = 1 / (2 * btc.maxLeverage);
  const O = Number(eth.positionValue) / (2 * eth.maxLeverage);
  const C = Number(main.crossMarginSummary.accountValue);
  const liq = (q * P + O - C) / (q * (1 - mmr));
  const dist = ((P - liq) / P) * 100;
  expect(liq).toBeGreaterThan(0);

  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('li.pos')).toHaveCount(3, { timeout: 15_000 });
  await popup.locator('#whatif-position').selectOption(`hyperliquid|${USER}|BTC`);
  await popup.locator('#whatif-input').fill('+0.5');
  const result = popup.locator('#whatif-result');
  await expect(result).toHaveText(
    new RegExp(`^BTC long 1: liq ${esc(venuePx(liq))} · ${esc(pct(dist))} from the mark `),
  );
  const shown = Number(await result.getAttribute('data-liq'));
  expect(Math.abs(shown - liq) / liq).toBeLessThan(1e-9);
  // The popup refreshes every 3 s: the typed change and its result stay.
  await popup.waitForTimeout(3_500);
  await expect(popup.locator('#whatif-input')).toHaveValue('+0.5');
  await expect(result).toHaveText(new RegExp(`^BTC long 1: liq ${esc(venuePx(liq))} `));
  await popup.screenshot({ path: 'test-results/screenshots/popup-what-if.png' });

  // Invalid input: an inline message, no number.
  await popup.locator('#whatif-input').fill('half');
  await expect(popup.locator('#whatif-error')).toHaveText(/"half" is not a size change/);
  await expect(result).toBeHidden();

  // xyz:TSLA isolated long 10 → leverage 2: margin q·P/2.
  const Pt = Number(tsla.positionValue) / Math.abs(Number(tsla.szi));
  const qt = Math.abs(Number(tsla.szi));
  const mmrT = 1 / (2 * tsla.maxLeverage);
  const liqT = (qt * Pt - (qt * Pt) / 2) / (qt * (1 - mmrT));
  await popup.locator('#whatif-position').selectOption(`hyperliquid|${USER}|xyz:TSLA`);
  await popup.locator('#whatif-kind').selectOption('leverage');
  await popup.locator('#whatif-input').fill('2');
  await expect(result).toHaveText(new RegExp(`^xyz:TSLA long ${qt}: liq ${esc(venuePx(liqT))} · `));
  expect(Math.abs(Number(await result.getAttribute('data-liq')) - liqT) / liqT).toBeLessThan(1e-9);
  await popup.locator('#whatif-input').fill(String(tsla.maxLeverage + 1));
  await expect(popup.locator('#whatif-error')).toHaveText(
    new RegExp(`outside 1–${tsla.maxLeverage}`),
  );
});
