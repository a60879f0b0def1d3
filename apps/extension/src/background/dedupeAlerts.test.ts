import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, type PositionView, type Snapshot } from '../model.js';
import { alertsFor } from './alertsFor.js';
import { dedupeAlerts } from './dedupeAlerts.js';

const A = { key: 'chain|arbitrum-one|halted', title: 'halt', message: 'm' };
const B = { key: 'liq|x|critical', title: 'liq', message: 'm' };

describe('dedupeAlerts', () => {
  it('shows a key once per cool-down and again after it', () => {
    let r = dedupeAlerts({ alerts: [A, B, A], state: {}, nowMs: 0, cooldownMs: 1000 });
    expect(r.show).toEqual([A, B]);
    r = dedupeAlerts({ alerts: [A], state: r.state, nowMs: 999, cooldownMs: 1000 });
    expect(r.show).toEqual([]);
    r = dedupeAlerts({ alerts: [A], state: r.state, nowMs: 1000, cooldownMs: 1000 });
    expect(r.show).toEqual([A]);
    // Expired keys are dropped from the state.
    expect(Object.keys(r.state)).toEqual([A.key]);
  });
});

const pos = (level: PositionView['level']): PositionView => ({
  key: 'hyperliquid|0xa|BTC',
  venue: 'hyperliquid',
  account: '0xa',
  dex: '',
  coin: 'BTC',
  side: 'long',
  size: '1',
  markPx: '100',
  liqPx: '95',
  venueLiqPx: '95',
  liqCheck: 'agree',
  marginMode: 'cross',
  distancePct: 5,
  distanceSigma: null,
  level,
  healthBufferUsd: null,
  headline: 'ours',
  accountMode: 'default',
  haltMultiplied: false,
  dataAt: 1,
  staleReason: null,
});

describe('alertsFor', () => {
  it('alerts on a worsening level, a halted chain and a critical oracle', () => {
    const prev: Snapshot = { ...EMPTY_SNAPSHOT, positions: [pos('ok')] };
    const next: Snapshot = {
      ...EMPTY_SNAPSHOT,
      positions: [pos('critical')],
      chains: [
        {
          id: 'arbitrum-one',
          name: 'Arbitrum One',
          status: 'halted',
          phase: 'during a halt',
          guidance: 'Move execution to CEX.',
          impacts: [],
          dataAt: 1,
          staleReason: null,
        },
      ],
      markets: [
        {
          coin: 'xyz:TSLA',
          dex: 'xyz',
          markPx: null,
          oraclePx: null,
          fundingApr: null,
          markOracleDevPct: null,
          oracleStatus: 'critical',
          oracleReason: 'oracle dead',
          oracleAt: 1,
          oracleStaleReason: null,
          staleAfterMs: 45_000,
          dataAt: 1,
          staleReason: null,
        },
      ],
    };
    expect(alertsFor(prev, next).map((a) => a.key)).toEqual([
      'liq|hyperliquid|0xa|BTC|critical',
      'chain|arbitrum-one|halted',
      'oracle|xyz:TSLA|critical',
    ]);
  });

  it('writes the halt multiplier from the settings into the text and marks criticals sticky', () => {
    const next: Snapshot = {
      ...EMPTY_SNAPSHOT,
      thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 3 },
      positions: [{ ...pos('critical'), haltMultiplied: true }],
    };
    const [alert] = alertsFor({ ...EMPTY_SNAPSHOT, positions: [pos('ok')] }, next);
    expect(alert?.message).toBe('hyperliquid 5.0% from liquidation (chain halt: thresholds 3×)');
    expect(alert?.critical).toBe(true);
    const warn = alertsFor(
      { ...EMPTY_SNAPSHOT, positions: [pos('ok')] },
      {
        ...next,
        thresholds: { ...next.thresholds, haltMultiplier: 2.5 },
        positions: [{ ...pos('warn'), haltMultiplied: true }],
      },
    );
    expect(warn[0]?.message).toContain('thresholds 2.5×');
    expect(warn[0]?.critical).toBe(false);
  });

  it('does not alert when the level stays or improves', () => {
    const s: Snapshot = { ...EMPTY_SNAPSHOT, positions: [pos('warn')] };
    expect(alertsFor(s, s)).toEqual([]);
    expect(alertsFor(s, { ...EMPTY_SNAPSHOT, positions: [pos('ok')] })).toEqual([]);
  });
});
