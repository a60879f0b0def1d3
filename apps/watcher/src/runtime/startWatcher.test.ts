import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { parseConfig } from '../config/loadConfig.js';
import { Env } from '../env.js';
import { startWatcher } from './startWatcher.js';
import type { Subject } from './subject.js';

let blocker: Server | null = null;
afterEach(() => blocker?.close());

describe('startWatcher', () => {
  it('stops the subjects it started and releases the database when the port is taken', async () => {
    blocker = createServer();
    const busy = blocker;
    const port = await new Promise<number>((resolve) =>
      busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)),
    );
    const path = join(mkdtempSync(join(tmpdir(), 'perpscope-start-')), 'w.db');
    const config = parseConfig({
      raw: { chains: [], server: { host: '127.0.0.1', port }, database: { path } },
      source: 'test',
      env: Env.parse({}),
    });
    const calls: string[] = [];
    const subject: Subject = {
      name: 'probe',
      start: async () => {
        calls.push('start');
      },
      stop: async () => {
        calls.push('stop');
      },
      ready: () => true,
    };
    await expect(
      startWatcher({
        config,
        clock: systemClock,
        logger: pino({ level: 'silent' }),
        version: 't',
        factories: [() => subject],
      }),
    ).rejects.toThrow(/EADDRINUSE/);
    expect(calls).toEqual(['start', 'stop']);
    // SQLite deletes the WAL file when the last connection to the database closes.
    expect(existsSync(path)).toBe(true);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});
