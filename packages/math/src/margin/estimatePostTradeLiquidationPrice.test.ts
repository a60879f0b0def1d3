import { describe, expect, it } from 'vitest';
import { estimatePostTradeLiquidationPrice } from './estimatePostTradeLiquidationPrice.js';
import { liquidationPrice } from './liquidationPrice.js';
import { hyperliquidMarginTable } from './marginTable.js';

describe('post-trade liquidation estimate', () => {
  const table = hyperliquidMarginTable({ id: 20, marginTables: [] });
  it('opening from flat equals the direct solve on the resulting position', () => {
    const r = estimatePostTradeLiquidationPrice({
      position: null,
      order: { side: 'long', size: '1', price: '100' },
      markPrice: '100',
      marginMode: 'isolated',
      collateral: '0',
      leverage: 10,
      marginTable: table,
    });
    expect(r.position).toEqual({ side: 'long', size: '1', entryPrice: '100' });
    expect(r.liquidationPrice).toBe(
      liquidationPrice({
        side: 'long',
        size: '1',
        price: '100',
        collateral: '10',
        marginTable: table,
      }),
    );
  });
  it('increasing averages the entry; cross collateral gains the fill-vs-mark PnL', () => {
    const r = estimatePostTradeLiquidationPrice({
      position: { side: 'long', size: '1', entryPrice: '100' },
      order: { side: 'long', size: '1', price: '110' },
      markPrice: '112',
      marginMode: 'cross',
      collateral: '50',
      leverage: 10,
      marginTable: table,
    });
    expect(r.position).toEqual({ side: 'long', size: '2', entryPrice: '105' });
    expect(r.liquidationPrice).toBe(
      liquidationPrice({
        side: 'long',
        size: '2',
        price: '112',
        collateral: '52',
        marginTable: table,
      }),
    );
  });
  it('a flip resets the entry to the fill price; closing leaves no position', () => {
    const flip = estimatePostTradeLiquidationPrice({
      position: { side: 'long', size: '1', entryPrice: '100' },
      order: { side: 'short', size: '3', price: '100' },
      markPrice: '100',
      marginMode: 'cross',
      collateral: '100',
      leverage: 10,
      marginTable: table,
    });
    expect(flip.position).toEqual({ side: 'short', size: '2', entryPrice: '100' });
    const close = estimatePostTradeLiquidationPrice({
      position: { side: 'short', size: '2', entryPrice: '100' },
      order: { side: 'long', size: '2', price: '100' },
      markPrice: '100',
      marginMode: 'cross',
      collateral: '100',
      leverage: 10,
      marginTable: table,
    });
    expect(close).toEqual({ position: null, liquidationPrice: null });
  });
});
