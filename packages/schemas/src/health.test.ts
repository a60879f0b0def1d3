import { describe, expect, it } from 'vitest';
import { Health } from './health.js';

describe('Health', () => {
  it('accepts a well-formed body', () => {
    expect(Health.parse({ status: 'ok', version: '0.1.0', uptimeSeconds: 3 })).toEqual({
      status: 'ok',
      version: '0.1.0',
      uptimeSeconds: 3,
    });
  });
  it('rejects a negative uptime and names the field', () => {
    const r = Health.safeParse({ status: 'ok', version: '0.1.0', uptimeSeconds: -1 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['uptimeSeconds']);
  });
});
