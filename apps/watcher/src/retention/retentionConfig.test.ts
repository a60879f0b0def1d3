import { describe, expect, it } from 'vitest';
import { RetentionConfig } from './retentionConfig.js';

describe('RetentionConfig', () => {
  it('accepts per-table overrides for the raw tables', () => {
    expect(RetentionConfig.parse({ rawDaysByTable: { hip3_samples: 2 } }).rawDaysByTable).toEqual({
      hip3_samples: 2,
    });
  });

  it('rejects an override for a table the retention job does not prune (a typo would be ignored)', () => {
    const parsed = RetentionConfig.safeParse({ rawDaysByTable: { hip3_sample: 2 } });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('rawDaysByTable');
  });
});
