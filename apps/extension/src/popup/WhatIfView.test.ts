// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, type PositionBasis, type PositionView, type Snapshot } from '../model.js';
import { WhatIfView } from './WhatIfView.js';

const NOW = 1_000_000;
const basis: PositionBasis = {
  marginMode: 'cross',
  side: 'long',
  size: '1',
  entryPx: '50000',
  markPx: '60000',
  collateral: '10000',
  otherMaintenanceMargin: '0',
  leverage: 10,
  maxLeverage: 40,
  marginTiers: [{ lowerBound: '0', maxLeverage: 40 }],
  collateralSymbol: 'USDC',
};
const position = (coin: string, over: Partial<PositionView>): PositionView => ({
  key: `hyperliquid|0xa|${coin}`,
  venue: 'hyperliquid',
  account: '0xa',
  dex: '',
  coin,
  side: 'long',
  size: '1',
  markPx: '60000',
  liqPx: '50632.9',
  venueLiqPx: '50632.9',
  liqCheck: 'agree',
  headline: 'ours',
  accountMode: 'default',
  haltMultiplied: false,
  marginMode: 'cross',
  distancePct: 15.6,
  distanceSigma: null,
  level: 'ok',
  healthBufferUsd: null,
  dataAt: NOW - 1_000,
  staleReason: null,
  basis,
  basisReason: null,
  ...over,
});
const snap = (positions: PositionView[]): Snapshot => ({ ...EMPTY_SNAPSHOT, positions });

function setup(s: Snapshot) {
  const root = document.createElement('div');
  document.body.replaceChildren(root);
  const view = new WhatIfView(root);
  view.update(s, NOW);
  const q = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const type = (text: string) => {
    const input = q<HTMLInputElement>('#whatif-input');
    input.value = text;
    input.dispatchEvent(new Event('input'));
  };
  const choose = (id: string, value: string) => {
    const select = q<HTMLSelectElement>(id);
    select.value = value;
    select.dispatchEvent(new Event('change'));
  };
  return { root, view, q, type, choose };
}

describe('WhatIfView', () => {
  it('shows the new liquidation price and distance; keeps the input across refreshes', () => {
    const { q, type, view } = setup(snap([position('BTC', {})]));
    type('+1');
    // Hand-derived (research perp-math.md §3.9, one tier, mmr 0.0125): size 2, equity 10,000 →
    // X = (120,000 − 10,000)/(2·0.9875) = 55,696.20…, distance 7.17 %.
    expect(q('#whatif-result').textContent).toBe(
      'BTC long 2: liq 55,696 · 7.17% from the mark 60,000',
    );
    expect(Number(q<HTMLElement>('#whatif-result').dataset.liq)).toBeCloseTo(110_000 / 1.975, 9);
    view.update(snap([position('BTC', {}), position('ETH', { basis: null })]), NOW);
    expect(q<HTMLInputElement>('#whatif-input').value).toBe('+1');
    expect(q<HTMLSelectElement>('#whatif-position').value).toBe('hyperliquid|0xa|BTC');
    expect(q('#whatif-result').textContent).toMatch(/^BTC long 2: liq 55,696/);
  });

  it('inputs past the freshness threshold: the result says stale and how old', () => {
    const { q, type, view } = setup(snap([position('BTC', {})]));
    type('+1');
    view.update(snap([position('BTC', {})]), NOW + 20_000); // 21 s old, threshold 9 s
    expect(q('#whatif-result').textContent).toBe(
      'stale · 21 s · BTC long 2: liq 55,696 · 7.17% from the mark 60,000',
    );
  });

  it('invalid input: an inline message, no number', () => {
    const { q, type, choose } = setup(snap([position('BTC', {})]));
    type('two');
    expect(q('#whatif-error').textContent).toMatch(/"two" is not a size change/);
    expect(q('#whatif-result').textContent).toBe('');
    expect(q('#whatif-input').getAttribute('aria-invalid')).toBe('true');
    choose('#whatif-kind', 'leverage');
    type('80');
    expect(q('#whatif-error').textContent).toMatch(/outside 1–40/);
  });

  it('a mode the math cannot represent says so instead of a perp-only figure', () => {
    const reason =
      'not available for portfolioMargin accounts (portfolio margin: cross positions not solved)';
    const { q, type } = setup(snap([position('BTC', { basis: null, basisReason: reason })]));
    type('+1');
    expect(q('#whatif-result').textContent).toBe(`What-if ${reason}.`);
    expect(q<HTMLElement>('#whatif-result').dataset.liq).toBeUndefined();
  });
});
