import { describe, expect, it } from 'vitest';
import { Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { parseConfig } from './loadConfig.js';

const ADDRESS = '0x00000000000000000000000000000000000A11CE';
const parse = (positions: unknown, alerts: unknown = {}) =>
  parseConfig({ raw: { positions, alerts }, source: 'test', env: Env.parse({}) });
function issuesOf(positions: unknown, alerts: unknown = {}) {
  try {
    parse(positions, alerts);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('positions config', () => {
  it('is off by default and lowercases addresses', () => {
    expect(parse(undefined).positions.accounts).toEqual([]);
    const cfg = parse({ accounts: [{ address: ADDRESS, label: 'main' }] }).positions;
    expect(cfg.accounts[0]).toEqual({
      address: ADDRESS.toLowerCase(),
      label: 'main',
      venues: ['hyperliquid'],
    });
    expect(cfg.thresholds).toEqual({ warnPct: 10, criticalPct: 5 });
  });

  it('reads positions over the WebSocket by default; transport is ws or rest', () => {
    expect(parse(undefined).positions.transport).toBe('ws');
    expect(parse({ transport: 'rest' }).positions.transport).toBe('rest');
    expect(issuesOf({ transport: 'http' })).toEqual([
      expect.objectContaining({ path: 'positions.transport' }),
    ]);
  });

  it('names the field of a bad address, a short one and a missing one', () => {
    for (const address of ['0x123', 'not-an-address', `${ADDRESS}00`, 42]) {
      expect(issuesOf({ accounts: [{ address, label: 'x' }] })).toEqual([
        expect.objectContaining({ path: 'positions.accounts[0].address' }),
      ]);
    }
    expect(issuesOf({ accounts: [{ label: 'x' }] })[0]?.path).toBe('positions.accounts[0].address');
  });

  it('rejects critical ≥ warn, unknown venues, unknown sinks and a doubly guarded address', () => {
    expect(
      issuesOf({
        accounts: [{ address: ADDRESS, label: 'x', thresholds: { warnPct: 5, criticalPct: 5 } }],
      }).map((i) => i.path),
    ).toEqual(['positions.accounts[0].thresholds.criticalPct']);
    expect(
      issuesOf({ accounts: [{ address: ADDRESS, label: 'x', venues: ['aevo'] }] })[0]?.path,
    ).toBe('positions.accounts[0].venues[0]');
    const sinks = issuesOf(
      { accounts: [{ address: ADDRESS, label: 'x', sinks: ['phone', 'pager'] }] },
      { sinks: [{ name: 'phone', kind: 'webhook', urlEnv: 'X_URL' }] },
    );
    expect(sinks).toEqual([
      {
        path: 'positions.accounts[0].sinks[1]',
        message: 'no alert sink named "pager" in alerts.sinks',
      },
    ]);
    expect(
      issuesOf({
        accounts: [
          { address: ADDRESS, label: 'a' },
          { address: ADDRESS.toLowerCase(), label: 'b' },
        ],
      }),
    ).toEqual([{ path: 'positions.accounts[1].address', message: 'guarded twice' }]);
  });

  it('takes declared venue ↔ chain dependencies for watched chains, never against the built-in table', () => {
    expect(parse(undefined).positions.dependencies).toEqual({ hyperliquid: {} });
    // `base` is a registry chain (watched by default) the table does not list for Hyperliquid.
    expect(
      parse({ dependencies: { hyperliquid: { base: 'prices', 'arbitrum-one': 'bridge' } } })
        .positions.dependencies.hyperliquid,
    ).toEqual({ base: 'prices', 'arbitrum-one': 'bridge' });
    expect(issuesOf({ dependencies: { hyperliquid: { 'arbitrum-one': 'prices' } } })).toEqual([
      {
        path: 'positions.dependencies.hyperliquid.arbitrum-one',
        message:
          'hyperliquid depends on arbitrum-one as "bridge" in the built-in venue ↔ chain table (VENUE_CHAIN_IMPACT); a declaration cannot change it',
      },
    ]);
    expect(issuesOf({ dependencies: { hyperliquid: { 'my-l2': 'prices' } } })).toEqual([
      {
        path: 'positions.dependencies.hyperliquid.my-l2',
        message: 'no chain with key "my-l2" in chains[]',
      },
    ]);
    expect(
      issuesOf({ dependencies: { hyperliquid: { base: 'status' } } }).map((i) => i.path),
    ).toEqual(['positions.dependencies.hyperliquid.base']);
    expect(issuesOf({ dependencies: { gmx: {} } }).map((i) => i.path)).toEqual([
      'positions.dependencies',
    ]);
  });

  it('values positions at ctx marks younger than ctxMarkMaxAgeSeconds (default 15)', () => {
    expect(parse(undefined).positions.ctxMarkMaxAgeSeconds).toBe(15);
    expect(issuesOf({ ctxMarkMaxAgeSeconds: 0 }).map((i) => i.path)).toEqual([
      'positions.ctxMarkMaxAgeSeconds',
    ]);
  });
});
