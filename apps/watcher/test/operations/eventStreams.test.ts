import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { parseConfig } from '../../src/config/loadConfig.js';
import { Env } from '../../src/env.js';
import { chainStatusPayload } from '../../src/events/testEvents.js';
import { type RunningWatcher, startWatcher } from '../../src/runtime/startWatcher.js';

/*
 * HTTP hardening suite, part 3: `/v1/events` caps (total and per client IP) and slow readers
 * dropped past `server.eventStreamBufferBytes`, on raw sockets to 127.0.0.1 (port 0).
 */
let dir: string;
const watchers: RunningWatcher[] = [];

async function start(raw: Record<string, unknown>): Promise<RunningWatcher> {
  const w = await startWatcher({
    config: parseConfig({
      raw: { ...raw, database: { path: join(dir, `w${watchers.length}.db`) }, chains: [] },
      source: 'test',
      env: Env.parse({}),
    }),
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    version: 'test',
  });
  watchers.push(w);
  return w;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'perpscope-sse-'));
});
afterAll(async () => {
  for (const w of watchers) await w.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls `cond` every 10 ms (an outcome on another socket); fails after `ms`. */
async function until(cond: () => boolean, ms = 5_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms: ${cond}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

type RawStream = {
  socket: Socket;
  /** The response head and whatever body arrived (while the socket is read). */
  text: () => string;
  closed: Promise<void>;
  /** Resolves with the status code once the response head arrived. */
  status: Promise<number>;
};

/** Opens `GET /v1/events` on a raw socket; `read: false` never reads (a stalled reader). */
function openStream(
  port: number,
  p: { headers?: Record<string, string>; read?: boolean } = {},
): RawStream {
  const socket = connect({ host: '127.0.0.1', port });
  let text = '';
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  socket.on('error', () => {});
  const extra = Object.entries(p.headers ?? {})
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.once('connect', () => {
    socket.write(`GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`);
    if (p.read === false) socket.pause();
  });
  const status = new Promise<number>((resolve, reject) => {
    socket.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (m) resolve(Number(m[1]));
    });
    socket.once('close', () => reject(new Error(`closed before a response: ${text}`)));
  });
  status.catch(() => {});
  return { socket, text: () => text, closed, status };
}

describe('HTTP hardening: /v1/events stream caps', () => {
  let w: RunningWatcher;
  beforeAll(async () => {
    w = await start({
      server: { port: 0, maxEventStreams: 6, maxEventStreamsPerClient: 3 },
      security: { trustProxy: ['127.0.0.1'] },
    });
  });

  it('caps streams per client IP (429) and in total (503), and frees a seat on disconnect', async () => {
    const mine = [0, 1, 2].map(() => openStream(w.port));
    for (const s of mine) expect(await s.status).toBe(200);
    const fourth = openStream(w.port);
    expect(await fourth.status).toBe(429);
    await until(() => fourth.text().includes('}'));
    expect(fourth.text()).toMatch(/retry-after: 5/i);
    expect(fourth.text()).toContain('server.maxEventStreamsPerClient');
    // Other clients (behind the trusted proxy) have their own three, up to the total of six.
    const theirs = ['198.51.100.1', '198.51.100.1', '198.51.100.2'].map((ip) =>
      openStream(w.port, { headers: { 'x-forwarded-for': ip } }),
    );
    for (const s of theirs) expect(await s.status).toBe(200);
    const seventh = openStream(w.port, { headers: { 'x-forwarded-for': '198.51.100.3' } });
    expect(await seventh.status).toBe(503);
    await until(() => seventh.text().includes('}'));
    expect(seventh.text()).toContain('server.maxEventStreams');
    // A closed stream gives its seat back.
    mine[0]!.socket.destroy();
    await mine[0]!.closed;
    await until(() => w.eventStreams.streams() === 5);
    expect(w.eventStreams.streams()).toBe(5);
    const again = openStream(w.port);
    expect(await again.status).toBe(200);
    for (const s of [...mine, ...theirs, again]) s.socket.destroy();
  });
});

describe('HTTP hardening: slow SSE readers are dropped past the byte budget', () => {
  it('drops every stalled reader, keeps the reading one complete, and bounds queued bytes', async () => {
    const BUDGET = 64 * 1024;
    const w = await start({
      server: {
        port: 0,
        maxEventStreams: 40,
        maxEventStreamsPerClient: 40,
        eventStreamBufferBytes: BUDGET,
      },
    });
    const fast = openStream(w.port);
    const stalled = Array.from({ length: 10 }, () => openStream(w.port, { read: false }));
    expect(await fast.status).toBe(200);
    await until(() => w.eventStreams.streams() === 11);
    expect(w.eventStreams.streams()).toBe(11);

    // ~4 KB events until every stalled reader is dropped (or 48 MB: then it never happened).
    const pad = 'x'.repeat(4_000);
    let published = 0;
    let lastId = 0;
    let maxBuffered = 0;
    while (w.eventStreams.dropped() < stalled.length && published < 48_000_000) {
      // 4 events (16 KB) per turn, well under the budget: a reader that keeps up is never
      // more than one turn behind (the publisher shares this event loop with the server).
      for (let i = 0; i < 4; i++) {
        lastId = await w.eventLog.write(
          async (wr) =>
            (
              await wr.emit(
                'chain.status',
                { type: 'chain', id: '10' },
                chainStatusPayload({ reasons: [pad] }),
              )
            ).id,
        );
        published += pad.length;
        maxBuffered = Math.max(maxBuffered, w.eventStreams.bufferedBytes());
      }
      // Let the event loop write to the sockets (and the fast reader read).
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(w.eventStreams.dropped()).toBe(stalled.length);
    // Never more queued than one budget (plus the event that crossed it) per stream.
    expect(maxBuffered).toBeLessThanOrEqual(11 * (BUDGET + 5_000));
    expect(w.eventStreams.streams()).toBe(1);
    expect(w.eventStreams.bufferedBytes()).toBeLessThanOrEqual(BUDGET);

    // The stalled sockets were closed by the server: reading them now ends before the last event.
    for (const s of stalled) {
      s.socket.resume();
      const ended = await Promise.race([
        s.closed.then(() => true),
        new Promise<boolean>((r) => setTimeout(() => r(false), 5_000)),
      ]);
      expect(ended).toBe(true);
      expect(s.text()).not.toContain(`id: ${lastId}\n`);
    }
    // The reading client got every event, in order.
    await until(() => fast.text().includes(`id: ${lastId}\n`), 10_000);
    const ids = [...fast.text().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    expect(ids.at(-1)).toBe(lastId);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => ids[0]! + i));
    fast.socket.destroy();
    console.log(
      `slow-reader drop: ${stalled.length} stalled readers dropped after ${(published / 1e6).toFixed(1)} MB published; max queued ${maxBuffered} B over 11 streams (budget ${BUDGET} B each)`,
    );
  });
});
