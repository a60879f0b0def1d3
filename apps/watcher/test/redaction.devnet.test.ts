import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetWatcher, startDevnetWatcher, waitFor } from './support/devnetWatcher.js';

/*
 * RPC URLs carry provider API keys in their path (Alchemy/Infura style) or query. The watcher is
 * pointed at keyed URLs of a real anvil chain — one healthy, one answering garbage (logged once as a
 * malformed payload), one answering a JSON-RPC error that quotes the request URL (as providers do
 * when they reject a key) — and no log line, API answer, metric, event or stored error may contain
 * the key. The logger here has no redacting serializers: the call sites themselves must redact.
 */
const PATH_KEY = 'pathKeyAbCdEfGhIjKlMnOpQrSt0123';
const QUERY_KEY = 'queryKeyZyXwVuTsRqPo9876';
const keyed = (url: string, i: number) =>
  `${url.replace(/\/$/, '')}/v2/${PATH_KEY}${i}?apikey=${QUERY_KEY}${i}`;
const leaks = (text: string) => text.includes(PATH_KEY) || text.includes(QUERY_KEY);

const logLines: string[] = [];
const dbPath = join(mkdtempSync(join(tmpdir(), 'perpscope-redact-')), 'w.db');
// A provider that rejects the key and quotes the URL it was called with.
const echo = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        error: { code: -32001, message: `key not allowed: http://${req.headers.host}${req.url}` },
      }),
    );
  });
});
let dw: DevnetWatcher;

beforeAll(async () => {
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  const sink = new Writable({
    write(chunk, _enc, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  dw = await startDevnetWatcher({
    specs: [{ name: 'keyed', chainId: 1401, blockTime: 1, rpcCount: 2 }],
    timing: { pollIntervalMs: 250, graceSeconds: 4 },
    dbPath,
    logger: pino({ level: 'debug' }, sink),
    overrides: (c) => ({
      rpcUrls: [keyed(c.rpcUrls[0]!, 0), keyed(c.rpcUrls[1]!, 1), keyed(echoUrl, 2)],
    }),
  });
  dw.chain('keyed').setRpcFault(1, 'garbage');
}, 60_000);

afterAll(async () => {
  await dw?.stop();
  echo.close();
});

describe('RPC URL redaction (real anvil, keyed URLs)', () => {
  it('keeps provider keys out of logs, the API, metrics, events and stored errors', async () => {
    const chainId = dw.chain('keyed').chainId;
    await waitFor(
      'the garbage endpoint logged as malformed',
      () => logLines.some((l) => l.includes('malformed RPC payload rejected')),
      15_000,
    );
    await waitFor(
      'the echoing endpoint recorded as failing',
      async () => {
        const d = await dw.get<{ rpcs: { health: string; lastError: string | null }[] }>(
          `/v1/chains/${chainId}`,
        );
        return d.rpcs[2]?.lastError?.includes('key not allowed') === true;
      },
      15_000,
    );
    const malformed = logLines.find((l) => l.includes('malformed RPC payload rejected'))!;
    // The endpoint stays identifiable: host and the non-secret path.
    expect(JSON.parse(malformed).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2\/…\?…$/);
    for (const line of logLines) expect(leaks(line), line).toBe(false);

    for (const path of [`/v1/chains/${chainId}`, '/v1/chains', '/v1/incidents', '/metrics']) {
      const text = await (await fetch(`${dw.watcher.url}${path}`)).text();
      expect(leaks(text), path).toBe(false);
    }
    expect(dw.events.length).toBeGreaterThan(0);
    for (const e of dw.events) expect(leaks(JSON.stringify(e)), e.kind).toBe(false);

    // What is stored is what the API and alerts are built from: no key there either.
    const db = new Database(dbPath, { readonly: true });
    try {
      const errors = db
        .prepare('select last_error as e from rpc_endpoints where last_error is not null')
        .all() as { e: string }[];
      expect(errors.some((r) => r.e.includes('key not allowed'))).toBe(true);
      for (const r of errors) expect(leaks(r.e), r.e).toBe(false);
    } finally {
      db.close();
    }
  });
});
