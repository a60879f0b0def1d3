// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDisplayedNumber } from './findTable.js';
import { readAevoAccount, readAevoPositions } from './readAevoPage.js';

const load = (name: string) => {
  document.body.innerHTML = readFileSync(resolve(process.cwd(), 'test/snapshots', name), 'utf8');
  return document;
};

describe('readAevoPositions / readAevoAccount', () => {
  it('reads positions and the health inputs from the Aevo page', () => {
    const doc = load('aevo-positions.html');
    expect(readAevoPositions(doc)?.map((r) => r.position)).toEqual([
      { instrument: 'ETH-PERP', side: 'long', size: '3.5', markPx: '1919.10', liqPx: '1530.40' },
      {
        instrument: 'BTC-PERP',
        side: 'short',
        size: '0.25',
        markPx: '66344.00',
        liqPx: '79120.50',
      },
    ]);
    expect(readAevoAccount(doc)).toEqual({
      balance: '12500.00',
      unrealizedPnl: '-1240.50',
      openOrdersMargin: '300.00',
      maintenanceMargin: '2050.25',
    });
  });

  it('handles renamed columns, side from the size sign and other account labels', () => {
    const doc = load('aevo-positions-renamed.html');
    expect(readAevoPositions(doc)?.map((r) => r.position)).toEqual([
      { instrument: 'SOL-PERP', side: 'short', size: '120', markPx: '150.25', liqPx: '171.9' },
    ]);
    expect(readAevoAccount(doc)).toEqual({
      balance: '5000',
      unrealizedPnl: '250.5',
      openOrdersMargin: '0',
      maintenanceMargin: '400',
    });
  });

  it('returns null without a positions table', () => {
    expect(readAevoPositions(load('hl-no-positions.html'))).toBeNull();
  });
});

describe('parseDisplayedNumber', () => {
  it('parses displayed amounts and rejects text', () => {
    expect(parseDisplayedNumber('$1,234.50')).toBe('1234.50');
    expect(parseDisplayedNumber('−$12.3')).toBe('-12.3');
    expect(parseDisplayedNumber('0.5 BTC')).toBe('0.5');
    expect(parseDisplayedNumber('12.3 USDC')).toBe('12.3');
    expect(parseDisplayedNumber('n/a')).toBeNull();
    expect(parseDisplayedNumber('1.2.3')).toBeNull();
  });
});
