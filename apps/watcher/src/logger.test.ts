import { Writable } from 'node:stream';
import { HttpRequestError, RpcRequestError } from 'viem';
import { describe, expect, it } from 'vitest';
import { createDemoLogger } from './demo/createDemoLogger.js';
import { createLogger } from './logger.js';
import { errorText } from './subjects/sequencer/chainRpc.js';

const KEY = '0123456789abcdef0123456789abcdef';
const URL_WITH_KEY = `https://base-mainnet.infura.io/v3/${KEY}?token=s3cr3tQuery`;

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('log redaction', () => {
  it('redacts the request URL a viem error carries in its message, stack and fields', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'info', destination });
    const error = new HttpRequestError({ url: URL_WITH_KEY, status: 401, details: 'Unauthorized' });
    // The real error does quote the key: that is what must not reach the log.
    expect(error.message).toContain(KEY);
    logger.error({ err: error, url: URL_WITH_KEY }, 'chain poll failed');
    logger.warn({ err: `upstream said ${URL_WITH_KEY}` }, 'text error');
    const out = lines.join('');
    expect(out).not.toContain(KEY);
    expect(out).not.toContain('s3cr3tQuery');
    const first = JSON.parse(lines[0]!) as { err: { type: string; message: string }; url: string };
    expect(first.err.type).toBe('HttpRequestError');
    expect(first.err.message).toContain('https://base-mainnet.infura.io/…?…');
    expect(first.url).toBe('https://base-mainnet.infura.io/…?…');
  });

  it('the demo logger redacts the same way', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const file = join(mkdtempSync(join(tmpdir(), 'perpscope-log-')), 'demo.log');
    const logger = createDemoLogger({ file, level: 'info' });
    logger.info({ err: new Error(`fetch ${URL_WITH_KEY} failed`) }, 'x');
    expect(readFileSync(file, 'utf8')).toContain('https://base-mainnet.infura.io/…?…');
    expect(readFileSync(file, 'utf8')).not.toContain(KEY);
  });
});

describe('errorText', () => {
  it('redacts URLs a provider quotes in a JSON-RPC error before cutting the text', () => {
    const error = new RpcRequestError({
      body: { method: 'eth_getBlockByNumber' },
      url: URL_WITH_KEY,
      error: { code: -32001, message: `key not allowed: ${URL_WITH_KEY}` },
    });
    const text = errorText(error);
    expect(text).toBe('RPC Request failed. key not allowed: https://base-mainnet.infura.io/…?…');
  });
});
