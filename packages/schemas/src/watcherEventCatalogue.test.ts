import { describe, expect, it } from 'vitest';
import { WatcherEvent, watcherEventSchemaId } from './watcherEvent.js';
import {
  isWatcherEventKind,
  parseWatcherEvent,
  WatcherEventError,
  watcherEventKinds,
} from './watcherEventCatalogue.js';

const chain = { type: 'chain', id: '8453' };

describe('watcher event catalogue', () => {
  it('accepts a well-formed payload and returns it as given', () => {
    const payload = { chainId: 8453, flags: flags(), changed: ['reorg'] };
    expect(parseWatcherEvent('chain.flags', chain, payload)).toBe(payload);
  });

  it('rejects an unknown kind', () => {
    expect(() =>
      // @ts-expect-error -- not a kind of the catalogue
      parseWatcherEvent('chain.exploded', chain, {}),
    ).toThrow(new WatcherEventError('unknown event kind "chain.exploded"'));
    expect(isWatcherEventKind('toString')).toBe(false);
  });

  it('names the field of a wrong payload, and refuses extra fields', () => {
    expect(() =>
      parseWatcherEvent('chain.flags', chain, { chainId: '8453', flags: flags(), changed: [] }),
    ).toThrow(/^chain\.flags: payload\.chainId: /);
    expect(() =>
      parseWatcherEvent('hip3.stream', { type: 'hip3-stream', id: 'x' }, { up: true, at: 1, x: 1 }),
    ).toThrow(/^hip3\.stream: payload: .*"x"/);
  });

  it('checks the subject type of the kind', () => {
    expect(() => parseWatcherEvent('market.listed', chain, { dex: 'xyz' })).toThrow(
      'market.listed: subject type "chain", expected "market"',
    );
  });

  it('names each kind in the API union and its OpenAPI id', () => {
    expect(watcherEventKinds).toContain('position.freshness');
    expect(watcherEventSchemaId('hip3.stream')).toBe('Hip3StreamEvent');
    expect(watcherEventSchemaId('incident.opened')).toBe('IncidentOpenedEvent');
    const ev = {
      id: 1,
      at: '2026-01-01T00:00:00.000Z',
      kind: 'market.status',
      subject: { type: 'market', id: 'xyz:TSLA' },
      payload: { from: 'ok', to: 'warn', reasons: [] },
    };
    expect(WatcherEvent.parse(ev)).toEqual(ev);
    expect(WatcherEvent.safeParse({ ...ev, kind: 'market.nope' }).success).toBe(false);
    expect(WatcherEvent.safeParse({ ...ev, payload: { from: 'ok' } }).success).toBe(false);
  });
});

function flags() {
  return { reorg: true, safeLagWarn: false, safeLagCrit: false, feedDown: false, idle: false };
}
