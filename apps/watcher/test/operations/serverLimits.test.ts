import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { Env } from '../../src/env.js';
import { type RunningWatcher, startWatcher } from '../../src/runtime/startWatcher.js';

/*
 * HTTP hardening suite, part 2: slow headers against a small connection cap, on raw node:net
 * sockets to 127.0.0.1 (port 0). The attack of issue 14 opened 21,000 slow-header connections;
 * here 40 against a cap of 8 show the same three properties: the cap holds, `/healthz` keeps
 * answering during the flood, and the slow sockets are closed after `headersTimeoutMs`.
 */
const CAP = 8;
const HEADERS_TIMEOUT_MS = 1_000;
let watcher: RunningWatcher;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'perpscope-limits-'));
  watcher = await startWatcher({
    config: parseConfig({
      raw: {
        server: {
          port: 0,
          headersTimeoutMs: HEADERS_TIMEOUT_MS,
          requestTimeoutMs: 2_000,
          maxConnections: CAP,
          maxEventStreams: CAP,
          maxEventStreamsPerClient: CAP,
        },
        database: { path: join(dir, 'w.db') },
        chains: [],
      },
      source: 'test',
      env: Env.parse({}),
    }),
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    version: 'test',
  });
});
afterAll(async () => {
  await watcher?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type SlowClient = { socket: Socket; closed: Promise<void>; received: () => string };

/** Connects and sends an unfinished request head (no blank line), like a slowloris client. */
function slowClient(port: number): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host: '127.0.0.1', port });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('data', (d: Buffer) => {
      data += d.toString();
    });
    socket.on('error', () => {}); // a reset by the server is an expected way to be dropped
    socket.once('connect', () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      resolve({ socket, closed, received: () => data });
    });
    socket.once('close', () => reject(new Error('closed before connecting')));
  });
}

async function healthz(): Promise<number> {
  const res = await fetch(`${watcher.url}/healthz`);
  await res.arrayBuffer();
  return res.status;
}

describe('HTTP hardening: slow headers with a small connection cap', () => {
  it('keeps at most maxConnections sockets, answers /healthz during the flood, closes slow ones after headersTimeoutMs', async () => {
    const port = watcher.port;
    const clients: SlowClient[] = [];
    for (let i = 0; i < 40; i++) clients.push(await slowClient(port));
    // Each new connection evicted the oldest waiting one: the server holds at most CAP.
    await new Promise((r) => setTimeout(r, 100));
    expect(watcher.connections!.open()).toBeLessThanOrEqual(CAP);
    expect(watcher.connections!.dropped()).toBeGreaterThanOrEqual(40 - CAP);
    const stillOpen = clients.filter((c) => !c.socket.destroyed && c.socket.readyState === 'open');
    expect(stillOpen.length).toBeLessThanOrEqual(CAP);
    // A probe that sends its request at once gets in although the cap is full of slow sockets.
    for (let i = 0; i < 5; i++) expect(await healthz()).toBe(200);
    // The slow sockets the cap left open are timed out (408, then closed); the evicted ones are
    // closed already.
    const t0 = Date.now();
    await Promise.all(clients.map((c) => c.closed));
    expect(Date.now() - t0).toBeLessThan(HEADERS_TIMEOUT_MS + 3_000);
    expect(clients.filter((c) => c.received().startsWith('HTTP/1.1 408')).length).toBeGreaterThan(
      0,
    );
  });

  it('closes a new connection when every socket is busy with a request (SSE streams)', async () => {
    const streams: Socket[] = [];
    const closedStreams: Promise<void>[] = [];
    // CAP SSE streams fill the cap with sockets that each have a request in progress.
    for (let i = 0; i < CAP; i++) {
      const s = connect({ host: '127.0.0.1', port: watcher.port });
      s.on('error', () => {});
      closedStreams.push(new Promise((r) => s.once('close', () => r())));
      await new Promise<void>((r) => s.once('connect', () => r()));
      s.write('GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      streams.push(s);
    }
    await new Promise((r) => setTimeout(r, 150));
    expect(watcher.connections!.open()).toBe(CAP);
    const extra = connect({ host: '127.0.0.1', port: watcher.port });
    extra.on('error', () => {});
    await new Promise<void>((r) => extra.once('close', () => r()));
    expect(watcher.connections!.open()).toBeLessThanOrEqual(CAP);
    for (const s of streams) s.destroy();
    await Promise.all(closedStreams);
  });
});
