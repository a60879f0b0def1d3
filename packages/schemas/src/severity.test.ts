import { describe, expect, it } from 'vitest';
import { IncidentSeverity, Severity, severityRank } from './severity.js';

describe('severity scale', () => {
  it('orders info < warning < critical', () => {
    expect(['critical', 'info', 'warning'].map((s) => severityRank(Severity.parse(s)))).toEqual([
      2, 0, 1,
    ]);
  });

  it('keeps info off incidents', () => {
    expect(IncidentSeverity.safeParse('info').success).toBe(false);
    expect(IncidentSeverity.parse('critical')).toBe('critical');
  });
});
