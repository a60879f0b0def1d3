import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnection } from './testConnection.js';

const EXT = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
let server: Server;
let base = '';

beforeAll(async () => {
  // A watcher-like server under a path prefix, and a 404 everywhere else.
  server = createServer((req, res) => {
    if (req.url === '/perpscope/v1/chains') {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          chains: [
            { key: 'op-devnet', name: 'OP devnet', chainId: 10901, status: 'up' },
            { key: 'arb-devnet', name: 'Arb devnet', chainId: 10902, status: 'up' },
          ],
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end('<html>not here</html>');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

const run = (watcherUrl: string, chainIds: string[] = []) =>
  testConnection({ watcherUrl, chainIds, extensionOrigin: EXT, fetch, timeoutMs: 2000 });

describe('testConnection', () => {
  it('lists the watcher chains and names the unknown chain ids', async () => {
    const r = await run(`${base}/perpscope/`, ['op-devnet', 'arbitrum-one', 'hyperevm']);
    expect(r.kind).toBe('ok');
    if (r.kind !== 'ok') return;
    expect(r.chains.map((c) => c.key)).toEqual(['op-devnet', 'arb-devnet']);
    expect(r.unknownChains).toEqual(['arbitrum-one', 'hyperevm']);
    expect(r.message).toBe(
      'Connected, but the watcher does not watch arbitrum-one, hyperevm: those chain badges would stay "unknown". It watches: op-devnet, arb-devnet.',
    );
    expect((await run(`${base}/perpscope`, ['op-devnet'])).message).toBe(
      'Connected: the watcher watches op-devnet, arb-devnet.',
    );
  });

  it('says wrong URL when something else answers', async () => {
    const r = await run(base);
    expect(r.kind).toBe('wrong-url');
    expect(r.message).toBe(
      `Wrong URL: ${base}/v1/chains answered HTTP 404. Use the watcher's root URL (as printed when it starts), including any path prefix.`,
    );
  });

  it('says down when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((ok) => closed.close(() => ok()));
    const r = await run(`http://127.0.0.1:${port}`);
    expect(r.kind).toBe('down');
    expect(r.message).toContain(`nothing answers at http://127.0.0.1:${port}`);
  });

  it('says permission missing, with the config line for this extension, when only an opaque request gets through', async () => {
    // What a browser does when CORS blocks the read: the normal request fails, `no-cors` resolves.
    const corsBlocked = (async (_url: URL, init?: RequestInit) => {
      if (init?.mode === 'no-cors') return new Response(null, { status: 200 });
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const chromium = await testConnection({
      watcherUrl: base,
      chainIds: [],
      extensionOrigin: EXT,
      fetch: corsBlocked,
    });
    expect(chromium.kind).toBe('blocked');
    expect(chromium.message).toContain(
      'add security.extensionIds: [abcdefghijklmnopabcdefghijklmnop] to the watcher',
    );
    const firefox = await testConnection({
      watcherUrl: base,
      chainIds: [],
      extensionOrigin: 'moz-extension://0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d',
      fetch: corsBlocked,
    });
    expect(firefox.message).toContain(
      'security.corsOrigins: [moz-extension://0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d]',
    );
  });

  it('refuses a non-http URL before fetching', async () => {
    expect((await run('ftp://x')).kind).toBe('invalid-url');
  });
});
