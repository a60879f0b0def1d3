import { describe, expect, it } from 'vitest';
import { ChainStatus } from './chains.js';
import { Hip3MarketStatus } from './hip3.js';
import { PositionLevel } from './positions.js';
import { IncidentSeverity, Severity } from './severity.js';
import {
  chainSeverity,
  isMarketVerdict,
  marketSeverity,
  positionLevelSeverity,
  severityRank,
} from './severityScale.js';

describe('severity scale', () => {
  it('orders info < warning < critical, with "nothing to report" below info', () => {
    expect(['critical', 'info', 'warning'].map((s) => severityRank(Severity.parse(s)))).toEqual([
      2, 0, 1,
    ]);
    expect(severityRank(null)).toBe(-1);
  });

  it('keeps info off incidents', () => {
    expect(IncidentSeverity.safeParse('info').success).toBe(false);
    expect(IncidentSeverity.parse('critical')).toBe('critical');
  });
});

// Expected values written from SPEC §3.2/§3.4 and the incidents each status opens (sequencer:
// degraded warning, halted critical; no-data warning; hip3-status warn/critical; hip3-halt warning).
describe('other scales on the one scale', () => {
  it('maps every HIP-3 market status', () => {
    expect(Object.fromEntries(Hip3MarketStatus.options.map((s) => [s, marketSeverity(s)]))).toEqual(
      {
        ok: null,
        watch: 'info',
        warn: 'warning',
        critical: 'critical',
        halted: 'warning',
        unknown: 'warning',
      },
    );
    expect(Hip3MarketStatus.options.filter(isMarketVerdict)).toEqual([
      'ok',
      'watch',
      'warn',
      'critical',
    ]);
  });

  it('maps every chain status', () => {
    expect(Object.fromEntries(ChainStatus.options.map((s) => [s, chainSeverity(s)]))).toEqual({
      up: null,
      degraded: 'warning',
      halted: 'critical',
      recovering: 'info',
      unknown: 'warning',
    });
  });

  it('maps every position level, unknown between ok and warn', () => {
    const ranked = [...PositionLevel.options].sort(
      (a, b) => severityRank(positionLevelSeverity(a)) - severityRank(positionLevelSeverity(b)),
    );
    expect(ranked).toEqual(['ok', 'unknown', 'warn', 'critical']);
  });
});
