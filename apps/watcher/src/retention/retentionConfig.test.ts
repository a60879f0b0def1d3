import { describe, expect, it } from 'vitest';
import { RetentionConfig } from './retentionConfig.js';

describe('RetentionConfig', () => {
  it('accepts per-table overrides for the raw tables', () => {
    // An override replaces that table's default only; the other default stays.
    expect(RetentionConfig.parse({ rawDaysByTable: { hip3_samples: 2 } }).rawDaysByTable).toEqual({
      hip3_samples: 2,
      hip3_oracle_updates: 0.5,
    });
  });

  it('rejects an override for a table the retention job does not prune (a typo would be ignored)', () => {
    const parsed = RetentionConfig.safeParse({ rawDaysByTable: { hip3_sample: 2 } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('rawDaysByTable');
  });
});
