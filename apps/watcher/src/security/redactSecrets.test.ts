import { describe, expect, it } from 'vitest';
import { keyShapes } from '../../test/support/keyShapes.js';
import {
  createSecretRedactor,
  redactError,
  redactUrlSecrets,
  redactUrlsInText,
  rpcHostLabel,
} from './redactSecrets.js';

describe('redactUrlSecrets: scheme + host only, by structure', () => {
  it.for(keyShapes)('$shape never survives', ({ url, secret }) => {
    const out = redactUrlSecrets(url);
    expect(out).not.toContain(secret);
    expect(out).toMatch(/^https:\/\/[^/]*(\/…)?(\?…)?$|^https:\/\/[^/]*\/$/);
  });

  it('keeps what identifies the endpoint: scheme, readable host labels, port', () => {
    expect(redactUrlSecrets('https://arb1.arbitrum.io/rpc')).toBe('https://arb1.arbitrum.io/…');
    expect(redactUrlSecrets('https://arb-mainnet.g.alchemy.com/v2/KEY')).toBe(
      'https://arb-mainnet.g.alchemy.com/…',
    );
    expect(redactUrlSecrets('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545');
    expect(redactUrlSecrets('https://user:pw@rpc.example.com:8545/?apikey=s3cr3t#frag')).toBe(
      'https://rpc.example.com:8545/?…',
    );
    expect(redactUrlSecrets('https://3f9a2c41d8e7b605.rpc.example/x')).toBe(
      'https://….rpc.example/…',
    );
    expect(redactUrlSecrets('not a url')).toBe('(invalid url)');
  });

  it('is idempotent (stored URLs are redacted once more when served)', () => {
    for (const { url } of keyShapes) {
      const once = redactUrlSecrets(url);
      expect(redactUrlSecrets(once)).toBe(once);
    }
  });

  it('labels metrics with the position and the redacted host', () => {
    expect(rpcHostLabel('https://arb-mainnet.g.alchemy.com/v2/KEY', 1)).toBe(
      '1:arb-mainnet.g.alchemy.com',
    );
    expect(rpcHostLabel('https://3f9a2c41d8e7b605.rpc.example/', 0)).toBe('0:….rpc.example');
  });
});

describe('redaction in free text', () => {
  it('redacts URLs quoted inside error messages', () => {
    expect(
      redactUrlsInText(
        'HTTP request failed. URL: https://base-mainnet.infura.io/v3/0123456789abcdef Status: 401',
      ),
    ).toBe('HTTP request failed. URL: https://base-mainnet.infura.io/… Status: 401');
  });

  it('a chain redactor also masks its keys quoted without the URL (DNS errors, "invalid key X")', () => {
    const redact = createSecretRedactor(keyShapes.map((k) => k.url));
    for (const { secret } of keyShapes) {
      const text = `getaddrinfo ENOTFOUND ${secret}.rpc.example; provider said: invalid key ${secret}`;
      expect(redact(text), secret).not.toContain(secret);
    }
    // Ordinary words stay.
    expect(redact('fetch failed: connect ECONNREFUSED')).toBe('fetch failed: connect ECONNREFUSED');
  });

  it('redactError applies the redactor to message, stack and cause', () => {
    const redact = createSecretRedactor(['https://k1a2b3c4d5.rpc.example/']);
    const err = new Error('HTTP request failed', {
      cause: new Error('getaddrinfo ENOTFOUND k1a2b3c4d5.rpc.example'),
    });
    expect(JSON.stringify(redactError(err, redact))).not.toContain('k1a2b3c4d5');
  });
});
