import { describe, expect, it } from 'vitest';
import { ChainSummary } from './chains.js';
import { IncidentQuery } from './incidents.js';

const summary = {
  chainId: 42161,
  key: 'arbitrum-one',
  name: 'Arbitrum One',
  class: 'nitro',
  status: 'halted',
  phase: 'halted',
  guidance: ['Move execution to a CEX.'],
  flags: { reorg: false, safeLagWarn: true, safeLagCrit: false, feedDown: false, idle: false },
  reasons: ['no new block for 121.0 s (halted after 120 s)'],
  head: { number: 160384179, hash: '0xab', timestamp: 1702654440 },
  headAgeSeconds: 121,
  secondsSinceNewHead: 121,
  statusSince: '2023-12-15T15:34:00.000Z',
  updatedAt: '2023-12-15T15:36:01.000Z',
};

describe('ChainSummary', () => {
  it('accepts a halted chain with its phase and guidance', () => {
    expect(ChainSummary.parse(summary)).toEqual(summary);
  });
  it('rejects a status outside the state machine and names the field', () => {
    const r = ChainSummary.safeParse({ ...summary, status: 'stalled' });
    expect(r.error?.issues[0]?.path).toEqual(['status']);
  });
});

describe('IncidentQuery', () => {
  it('defaults the page size to 50 and coerces numbers from the query string', () => {
    expect(IncidentQuery.parse({})).toEqual({ limit: 50 });
    expect(IncidentQuery.parse({ limit: '7', state: 'open' })).toEqual({ limit: 7, state: 'open' });
  });
  it.each([
    [{ limit: '201' }, 'limit'],
    [{ cursor: 'abc' }, 'cursor'],
    [{ since: 'yesterday' }, 'since'],
    [{ severity: 'info' }, 'severity'],
  ])('rejects %j naming %s', (input, field) => {
    expect(IncidentQuery.safeParse(input).error?.issues[0]?.path).toEqual([field]);
  });
});
