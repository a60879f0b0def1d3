import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSteadyClock, systemClock } from '../clock.js';
import { parseConfig } from '../config/loadConfig.js';
import { openDb } from '../db/openDb.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { Env } from '../env.js';
import { EventLog } from '../events/eventLog.js';
import { configIngests } from './configIngests.js';
import { ingestionThreadFor, startWatcher } from './startWatcher.js';
import type { Subject } from './subject.js';
import { subjectFactories } from './subjects.js';

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

describe('where ingestion runs', () => {
  const logger = pino({ level: 'silent' });
  const configWith = (raw: Record<string, unknown>) =>
    parseConfig({
      raw: { database: { path: '/tmp/perpscope-thread-choice.db' }, chains: [], ...raw },
      source: 'test',
      env: Env.parse({}),
    });
  const chain = {
    key: 'probe',
    name: 'Probe',
    chainId: 99_001,
    class: 'op-stack',
    rpcUrls: ['http://127.0.0.1:1'],
  };
  const configs = {
    none: configWith({}),
    chain: configWith({ chains: [chain] }),
    hip3: configWith({ hip3: { enabled: true } }),
    positions: configWith({
      positions: {
        accounts: [{ address: '0x00000000000000000000000000000000000e2e01', label: 'probe' }],
      },
    }),
  };

  it('configIngests is true exactly when a registered factory returns a subject', () => {
    const database = openDb({ path: ':memory:' });
    try {
      for (const [name, config] of Object.entries(configs)) {
        const ctx = {
          config,
          store: createSqliteStore(database),
          eventLog: new EventLog({
            store: createSqliteStore(database),
            clock: systemClock,
            logger,
          }),
          clock: systemClock,
          logger,
        };
        const built = subjectFactories.map((f) => f(ctx)).filter((s) => s !== null);
        expect(configIngests(config), name).toBe(built.length > 0);
      }
    } finally {
      database.close();
    }
  });

  it('defaults to the worker thread, and to main only for what cannot cross or has nothing to ingest', () => {
    const base = { logger, version: 't' };
    const steady = createSteadyClock();
    const steadyWithWall = createSteadyClock({ wall: () => Date.now() });
    const t = (p: Partial<Parameters<typeof ingestionThreadFor>[0]>) =>
      ingestionThreadFor({ ...base, config: configs.chain, clock: systemClock, ...p });
    expect(t({})).toBe('worker');
    expect(t({ clock: steady })).toBe('worker');
    expect(t({ config: configs.hip3 })).toBe('worker');
    expect(t({ config: configs.none })).toBe('main');
    expect(t({ clock: steadyWithWall })).toBe('main');
    expect(t({ factories: [] })).toBe('main');
    expect(t({ config: configWith({ chains: [chain], ingestion: { thread: 'main' } }) })).toBe(
      'main',
    );
    expect(t({ ingestion: { thread: 'main' } })).toBe('main');
    expect(() => t({ factories: [], ingestion: { thread: 'worker' } })).toThrow(
      /cannot cross into a worker thread/,
    );
    expect(() =>
      t({
        config: configWith({ chains: [chain], database: { path: ':memory:' } }),
        ingestion: { thread: 'worker' },
      }),
    ).toThrow(/file database/);
  });
});
