import { describe, expect, it } from 'vitest';
import { coinName, dexOf, isHip3Coin, parseCoin, symbolOf } from './coinName.js';

describe('coin names (main dex `BTC`, HIP-3 `dex:COIN`)', () => {
  it.each([
    ['BTC', '', 'BTC'],
    ['xyz:TSLA', 'xyz', 'TSLA'],
    ['hyna:BTC', 'hyna', 'BTC'],
    // Only the first colon separates; a leading colon names no dex.
    ['a:b:c', 'a', 'b:c'],
    [':X', '', ':X'],
    ['', '', ''],
  ])('%s → dex %j, symbol %j', (coin, dex, symbol) => {
    expect(parseCoin(coin)).toEqual({ dex, symbol });
    expect(dexOf(coin)).toBe(dex);
    expect(symbolOf(coin)).toBe(symbol);
    expect(isHip3Coin(coin)).toBe(dex !== '');
  });

  it('builds the name back from its parts', () => {
    expect(coinName({ dex: 'xyz', symbol: 'TSLA' })).toBe('xyz:TSLA');
    expect(coinName({ dex: '', symbol: 'BTC' })).toBe('BTC');
    for (const coin of ['BTC', 'xyz:TSLA', 'a:b:c']) expect(coinName(parseCoin(coin))).toBe(coin);
  });
});
