import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../db/queries/events.js';
import { describePositionAlert } from './describePositionAlert.js';
import type { StoredPositionState } from './recordPositionChanges.js';

const pos = (distancePct: string, markPrice: string): StoredPositionState => ({
  coin: 'xyz:TSLA',
  dex: 'xyz',
  side: 'short',
  size: '3',
  marginMode: 'cross',
  markPrice,
  liquidationPrice: '110',
  venueLiquidationPrice: '110.01',
  distancePct,
  distanceSigmas: null,
  reasons: [],
  warnPct: 10,
  criticalPct: 5,
  multiplier: 1,
  unrealizedPnl: null,
  fundingSinceOpen: null,
  fundingLastHour: null,
  fundingHourMark: null,
  observedAt: 0,
});
// Hand-built events: only the fields each test is about (not checked against the catalogue).
const ev = (id: number, kind: string, payload: Record<string, unknown>): StoredEvent =>
  ({
    id,
    at: 1_000,
    kind,
    subject: { type: 'position', id: 'abc:xyz:TSLA' },
    payload: { label: 'main', coin: 'xyz:TSLA', addressHash: 'abc', ...payload },
  }) as StoredEvent;

describe('describePositionAlert', () => {
  it('opens, escalates and resolves one episode, each escalation with its own id', () => {
    const open = describePositionAlert(
      ev(7, 'position.level', {
        from: 'ok',
        to: 'warn',
        episodeId: 'E',
        position: pos('9', '100'),
        previous: pos('12', '98'),
      }),
    )!;
    expect(open).toMatchObject({
      transition: 'open',
      severity: 'warning',
      status: 'warn',
      previousStatus: 'ok',
      incidentId: 'E',
      subjectName: 'main · xyz:TSLA short',
    });
    expect(open.reasons.slice(0, 3)).toEqual([
      'distance to liquidation 9.00 % (was 12.00 %); warn below 10 %, critical below 5 %',
      'liquidation price 110 (venue: 110.01), mark 100 (was 98)',
      'short 3 xyz:TSLA, cross',
    ]);
    const up = describePositionAlert(
      ev(8, 'position.level', {
        from: 'warn',
        to: 'critical',
        episodeId: 'E',
        position: pos('4', '105'),
        previous: null,
      }),
    )!;
    expect(up).toMatchObject({ transition: 'escalate', severity: 'critical', incidentId: 'E:8' });
    const back = describePositionAlert(
      ev(9, 'position.level', {
        from: 'critical',
        to: 'ok',
        episodeId: 'E',
        position: pos('15', '95'),
        previous: null,
      }),
    )!;
    expect(back).toMatchObject({
      transition: 'resolve',
      severity: 'info',
      status: 'ok',
      incidentId: 'E',
    });
  });

  it('resolves an episode when the position is closed, but not after a liquidation', () => {
    expect(
      describePositionAlert(
        ev(10, 'position.closed', { episodeId: 'E', liquidated: false, lastKnownLevel: 'warn' }),
      ),
    ).toMatchObject({ transition: 'resolve', status: 'closed', incidentId: 'E' });
    expect(
      describePositionAlert(ev(11, 'position.closed', { episodeId: 'E', liquidated: true })),
    ).toBeNull();
    expect(describePositionAlert(ev(12, 'position.closed', { episodeId: null }))).toBeNull();
    expect(describePositionAlert(ev(13, 'position.freshness', { stale: true }))).toBeNull();
  });

  it('alerts a liquidation as critical with the fill and the last known figures', () => {
    const m = describePositionAlert(
      ev(14, 'position.liquidated', {
        tid: 99,
        px: '110.2',
        sz: '3',
        side: 'B',
        startPosition: '-3',
        closedPnl: '-30.6',
        markPx: '110.1',
        method: 'market',
        lastKnown: pos('1.2', '108.7'),
        lastKnownLevel: 'critical',
      }),
      'https://status.example/',
    )!;
    expect(m).toMatchObject({
      transition: 'open',
      severity: 'critical',
      status: 'liquidated',
      incidentId: 'liq:abc:xyz:TSLA:99',
      url: 'https://status.example/',
    });
    expect(m.reasons).toEqual([
      'liquidation fill: bought 3 xyz:TSLA at 110.2, mark 110.1 (market)',
      'position before: -3; realized PnL -30.6',
      'last seen: distance 1.20 %, liquidation price 110, mark 108.7 (level critical)',
    ]);
  });
});
