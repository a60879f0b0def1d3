import { describe, expect, it } from 'vitest';
import { redactUrlSecrets, redactUrlsInText } from './redactSecrets.js';

describe('redactUrlSecrets', () => {
  it('drops key-like path segments, user info and query strings, keeps public endpoints', () => {
    expect(redactUrlSecrets('https://arb1.arbitrum.io/rpc')).toBe('https://arb1.arbitrum.io/rpc');
    expect(redactUrlSecrets('https://arb-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWx')).toBe(
      'https://arb-mainnet.g.alchemy.com/v2/…',
    );
    expect(redactUrlSecrets('https://user:pw@rpc.example.com:8545/?apikey=s3cr3t')).toBe(
      'https://rpc.example.com:8545/?…',
    );
    expect(
      redactUrlSecrets(
        'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
      ),
    ).toBe('https://hooks.slack.com/services/T00000000/B00000000/…');
  });

  it('redacts URLs quoted inside error messages', () => {
    expect(
      redactUrlsInText(
        'HTTP request failed. URL: https://base-mainnet.infura.io/v3/0123456789abcdef0123456789abcdef Status: 401',
      ),
    ).toBe('HTTP request failed. URL: https://base-mainnet.infura.io/v3/… Status: 401');
  });
});
