import { describe, expect, it } from 'vitest';
import { formatDependencies, parseAddressLines, parseDependencies } from './readOptionsForm.js';

describe('parseAddressLines', () => {
  it('reads one address per line with an optional label, and comma-separated addresses', () => {
    const a = '0x00000000000000000000000000000000000000A1';
    const b = '0x00000000000000000000000000000000000000b2';
    expect(parseAddressLines(`${a} Main account\n\n  ${b}, 0xc  Vault  `)).toEqual({
      addresses: [a, b, '0xc'],
      labels: { [a.toLowerCase()]: 'Main account', '0xc': 'Vault' },
    });
  });
});

describe('dependencies field', () => {
  it('round-trips chain=kind lists', () => {
    const d = parseDependencies('op-devnet=prices, my-l2 = status');
    expect(d).toEqual({ 'op-devnet': 'prices', 'my-l2': 'status' });
    expect(formatDependencies(d)).toBe('op-devnet=prices, my-l2=status');
  });
});
