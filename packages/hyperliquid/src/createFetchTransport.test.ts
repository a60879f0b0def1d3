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
let longClosedEarly: boolean | null = null;
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
      if (parsed.type === 'cut') {
        // Half an answer, then the connection drops.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"txs":[');
        setTimeout(() => res.destroy(), 20);
        return;
      }
      if (parsed.type === 'long') {
        // A long answer written in pieces, with time between them.
        res.writeHead(200, { 'content-type': 'application/json' });
        let n = 0;
        const t = setInterval(() => {
          n += 1;
          if (n === 10 || res.destroyed) {
            clearInterval(t);
            if (!res.destroyed) res.end('0]');
            return;
          }
          res.write(n === 1 ? '[' : `${n},`);
        }, 5);
        res.on('close', () => {
          longClosedEarly = n < 10;
        });
        return;
      }
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

  it('sends explorer requests to rpcUrl and hands the body over as it arrives with requestChunks', async () => {
    const t = createFetchTransport({ apiUrl: 'http://127.0.0.1:9', rpcUrl: url, fetch });
    const before = received.length;
    const text = async (endpoint: 'info' | 'explorer', type: string) => {
      const answer = await t.requestChunks?.(endpoint, { type });
      if (!answer) throw new Error('no requestChunks');
      const parts: Uint8Array[] = [];
      for await (const chunk of answer.chunks) parts.push(chunk);
      return { status: answer.status, text: Buffer.concat(parts).toString(), parts: parts.length };
    };
    await expect(text('explorer', 'userDetails')).resolves.toEqual({
      status: 200,
      text: '{"ok":true}',
      parts: 1,
    });
    const long = await text('explorer', 'long');
    expect(long.text).toBe('[2,3,4,5,6,7,8,9,0]');
    expect(long.parts).toBeGreaterThan(1);
    await expect(t.request('explorer', { type: 'text' })).rejects.toThrow(
      'Hyperliquid explorer text: response is not JSON',
    );
    expect(received.slice(before)).toEqual([
      { path: '/explorer', type: 'application/json', body: { type: 'userDetails' } },
      { path: '/explorer', type: 'application/json', body: { type: 'long' } },
      { path: '/explorer', type: 'application/json', body: { type: 'text' } },
    ]);
    await expect(text('info', 'perpDexs')).rejects.toThrow(
      /^Hyperliquid info perpDexs: network error \(/,
    );
  });

  it('requestChunks: onChunkRead hears each chunk once its consumer is done with it', async () => {
    const events: string[] = [];
    const t = createFetchTransport({
      apiUrl: url,
      fetch,
      onChunkRead: (bytes) => events.push(`read ${bytes}`),
    });
    const answer = await t.requestChunks?.('explorer', { type: 'long' });
    if (!answer) throw new Error('no requestChunks');
    let total = 0;
    for await (const chunk of answer.chunks) {
      events.push(`got ${chunk.byteLength}`);
      total += chunk.byteLength;
    }
    expect(total).toBe('[2,3,4,5,6,7,8,9,0]'.length);
    // Every chunk handed over is then reported with its size, before the next one arrives.
    expect(events.length).toBeGreaterThan(2);
    for (let i = 0; i < events.length; i += 2) {
      const size = (events[i] as string).slice('got '.length);
      expect(events.slice(i, i + 2)).toEqual([`got ${size}`, `read ${size}`]);
    }
    // `request` reads the answer whole: no chunks to report.
    events.length = 0;
    await t.request('info', { type: 'perpDexs' });
    expect(events).toEqual([]);
  });

  it('requestChunks: a connection lost mid-body is a network error; stopping early releases it', async () => {
    const t = createFetchTransport({ apiUrl: url, fetch });
    const cut = await t.requestChunks?.('explorer', { type: 'cut' });
    const error = await (async () => {
      for await (const _ of cut?.chunks ?? []) {
        // read on until the connection drops
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HlHttpError);
    expect(error).toMatchObject({ status: null });
    expect((error as Error).message).toMatch(/^Hyperliquid explorer cut: network error \(/);
    // A consumer that stops (the reader found the answer malformed) cancels the body.
    longClosedEarly = null;
    const long = await t.requestChunks?.('explorer', { type: 'long' });
    for await (const _ of long?.chunks ?? []) break;
    await expect.poll(() => longClosedEarly, { timeout: 2000 }).toBe(true);
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
