import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFetchTransport } from './createFetchTransport.js';
import { HlHttpError } from './HyperliquidError.js';

// A local HTTP server standing in for the API (no test reaches the internet): it answers by the
// request `type` — JSON as HL does, a 429 with an empty body as its rate limiter does, or text.
let server: Server;
let url: string;
const received: unknown[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const parsed = JSON.parse(body) as { type: string };
      received.push({ path: req.url, type: req.headers['content-type'], body: parsed });
      if (parsed.type === 'limited') return res.writeHead(429).end();
      if (parsed.type === 'text') return res.writeHead(200).end('not json');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('createFetchTransport', () => {
  it('POSTs JSON to {apiUrl}/{endpoint} and resolves with the parsed answer', async () => {
    const t = createFetchTransport({ apiUrl: url, fetch });
    await expect(t.request('info', { type: 'perpDexs' })).resolves.toEqual({ ok: true });
    await expect(t.request('explorer', { type: 'userDetails' })).resolves.toEqual({ ok: true });
    expect(received.slice(0, 2)).toEqual([
      { path: '/info', type: 'application/json', body: { type: 'perpDexs' } },
      { path: '/explorer', type: 'application/json', body: { type: 'userDetails' } },
    ]);
  });

  it('sends explorer requests to rpcUrl and answers as text with requestText', async () => {
    const t = createFetchTransport({ apiUrl: 'http://127.0.0.1:9', rpcUrl: url, fetch });
    const before = received.length;
    await expect(t.requestText?.('explorer', { type: 'userDetails' })).resolves.toEqual({
      status: 200,
      text: '{"ok":true}',
    });
    await expect(t.request('explorer', { type: 'text' })).rejects.toThrow(
      'Hyperliquid explorer text: response is not JSON',
    );
    expect(received.slice(before)).toEqual([
      { path: '/explorer', type: 'application/json', body: { type: 'userDetails' } },
      { path: '/explorer', type: 'application/json', body: { type: 'text' } },
    ]);
    await expect(t.requestText?.('info', { type: 'perpDexs' })).rejects.toThrow(
      /^Hyperliquid info perpDexs: network error \(/,
    );
  });

  it('names the request and the failure: HTTP status, not JSON, network error', async () => {
    const t = createFetchTransport({ apiUrl: url, fetch });
    const limited = await t.request('info', { type: 'limited', dex: 'xyz' }).catch((e) => e);
    expect(limited).toBeInstanceOf(HlHttpError);
    expect(limited).toMatchObject({
      message: 'Hyperliquid info limited dex=xyz: HTTP 429',
      status: 429,
    });
    await expect(t.request('info', { type: 'text' })).rejects.toThrow(
      'Hyperliquid info text: response is not JSON',
    );
    const down = createFetchTransport({ apiUrl: 'http://127.0.0.1:9', fetch });
    await expect(down.request('info', { type: 'perpDexs' })).rejects.toThrow(
      /^Hyperliquid info perpDexs: network error \(/,
    );
  });
});
