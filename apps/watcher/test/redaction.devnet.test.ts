import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevnetWatcher, startDevnetWatcher, waitFor } from './support/devnetWatcher.js';
import { keyShapes } from './support/keyShapes.js';

/*
 * RPC URLs carry provider API keys in their path, query or subdomain, in every shape (issue 14
 * item 5). The watcher is pointed at a real anvil chain through keyed URLs of each shape (path and
 * query keys on anvil itself, one endpoint answering garbage, one answering a JSON-RPC error that
 * quotes the request URL as providers do, subdomain keys on host names that do not resolve so the
 * DNS error quotes them bare) and no log line, API answer, metric, event, stored row — nor a byte
 * of the database and WAL files — may contain a key. user:password URLs are refused by the config
 * (test/cli.test.ts). The logger here has no redacting serializers: the call sites must redact.
 */
const logLines: string[] = [];
const dbPath = join(mkdtempSync(join(tmpdir(), 'perpscope-redact-')), 'w.db');
const secrets = keyShapes.filter((k) => k.shape !== 'user:password').map((k) => k.secret);
const ECHO_KEY = 'echoKeyAbCdEf0123456789';
const GARBAGE_KEY = 'gbg7Key42';
const leaked = (text: string) => {
  const lower = text.toLowerCase();
  return [...secrets, ECHO_KEY, GARBAGE_KEY].filter((s) => lower.includes(s.toLowerCase()));
};

/** One keyed URL per shape: path and query keys reach anvil, subdomain keys a name that cannot resolve. */
function keyedUrls(anvil: string, port: number): string[] {
  const base = anvil.replace(/\/$/, '');
  return keyShapes.flatMap((k) => {
    if (k.shape === 'user:password') return [];
    if (k.shape.includes('subdomain')) return [`http://${k.secret}.rpc.localhost:${port}/`];
    if (k.shape === 'query apikey') return [`${base}/?network=arbitrum&apikey=${k.secret}`];
    return [`${base}/v2/${k.secret}`];
  });
}

// A provider that rejects the key and quotes the URL it was called with.
const echo = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        error: {
          code: -32001,
          message: `key not allowed: http://${req.headers.host}${req.url} (key ${ECHO_KEY})`,
        },
      }),
    );
  });
});
let dw: DevnetWatcher;

beforeAll(async () => {
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoPort = (echo.address() as AddressInfo).port;
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
      rpcUrls: [
        ...keyedUrls(c.rpcUrls[0]!, echoPort),
        `${c.rpcUrls[1]!.replace(/\/$/, '')}/v2/${GARBAGE_KEY}`,
        `http://127.0.0.1:${echoPort}/v2/${ECHO_KEY}?apikey=${ECHO_KEY}`,
      ],
    }),
  });
  dw.chain('keyed').setRpcFault(1, 'garbage');
}, 60_000);

afterAll(async () => {
  await dw?.stop();
  echo.close();
});

describe('RPC URL redaction (real anvil, a table of key shapes)', () => {
  it('keeps every key out of logs, the API, metrics, events, stored rows and the database files', async () => {
    const chainId = dw.chain('keyed').chainId;
    const endpoints = keyedUrls('http://x', 1).length + 2;
    await waitFor(
      'the garbage endpoint logged as malformed',
      () => logLines.some((l) => l.includes('malformed RPC payload rejected')),
      15_000,
    );
    await waitFor(
      'the echoing and unresolvable endpoints recorded as failing',
      async () => {
        const d = await dw.get<{ rpcs: { health: string; lastError: string | null }[] }>(
          `/v1/chains/${chainId}`,
        );
        return (
          d.rpcs[endpoints - 1]?.lastError?.includes('key not allowed') === true &&
          d.rpcs.filter((r) => r.health === 'failing').length >= 4
        );
      },
      20_000,
    );
    await waitFor(
      'chain up',
      async () => {
        const d = await dw.get<{ status: string }>(`/v1/chains/${chainId}`);
        return d.status === 'up';
      },
      15_000,
    );
    const malformed = logLines.find((l) => l.includes('malformed RPC payload rejected'))!;
    // The endpoint stays identifiable: scheme, host and port.
    expect(JSON.parse(malformed).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/…$/);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(leaked(line), line).toEqual([]);

    const detail = await dw.get<{ rpcs: { url: string }[] }>(`/v1/chains/${chainId}`);
    expect(detail.rpcs.map((r) => r.url)).toContain(
      `http://….rpc.localhost:${(echo.address() as AddressInfo).port}/`,
    );
    for (const path of [`/v1/chains/${chainId}`, '/v1/chains', '/v1/incidents', '/metrics']) {
      const text = await (await fetch(`${dw.watcher.url}${path}`)).text();
      expect(leaked(text), path).toEqual([]);
    }
    expect(dw.events.length).toBeGreaterThan(0);
    for (const e of dw.events) expect(leaked(JSON.stringify(e)), e.kind).toEqual([]);

    // Every stored row (config, endpoints, errors, state, events) — what the API and alerts read.
    const db = new Database(dbPath, { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      const errors = db
        .prepare('SELECT last_error AS e FROM rpc_endpoints WHERE last_error IS NOT NULL')
        .all() as { e: string }[];
      expect(errors.some((r) => r.e.includes('key not allowed'))).toBe(true);
      for (const { name } of tables) {
        const rows = JSON.stringify(db.prepare(`SELECT * FROM "${name}"`).all());
        expect(leaked(rows), name).toEqual([]);
      }
    } finally {
      db.close();
    }
    // Nor anywhere in the files: free pages and the WAL keep what was ever written.
    for (const file of [dbPath, `${dbPath}-wal`])
      expect(leaked(readFileSync(file).toString('latin1')), file).toEqual([]);
  }, 60_000);
});
