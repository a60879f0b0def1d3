import { describe, expect, it } from 'vitest';
import { AlertsConfig } from './alertsConfig.js';

describe('AlertsConfig', () => {
  it('rejects misspelled keys in nested objects and sinks instead of silently ignoring them', () => {
    const cases: Array<[unknown, string]> = [
      [{ rateLimit: { maxPerWindows: 1 } }, 'maxPerWindows'],
      [{ retry: { maxAttempt: 3 } }, 'maxAttempt'],
      [
        { sinks: [{ name: 'ops', kind: 'slack', urlEnv: 'X_URL', minSeverty: 'critical' }] },
        'minSeverty',
      ],
    ];
    for (const [raw, key] of cases) {
      const parsed = AlertsConfig.safeParse(raw);
      expect(parsed.success, key).toBe(false);
      expect(JSON.stringify(parsed.error?.issues), key).toContain(key);
    }
  });

  it('accepts the documented defaults', () => {
    const cfg = AlertsConfig.parse({});
    expect(cfg.rateLimit).toEqual({ windowSeconds: 3600, maxPerWindow: 6 });
    expect(cfg.retry).toEqual({
      initialDelayMs: 2000,
      maxDelayMs: 600_000,
      maxAttempts: 40,
      timeoutMs: 10_000,
      pollIntervalMs: 1000,
    });
  });
});
