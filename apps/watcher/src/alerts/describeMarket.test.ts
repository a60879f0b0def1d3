import { describe, expect, it } from 'vitest';
import { openDb } from '../db/openDb.js';
import { hip3Markets } from '../db/schema/hip3.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { marketGuidance } from '../subjects/hip3/marketGuidance.js';
import { describeMarket } from './describeMarket.js';

describe('describeMarket', () => {
  it('describes a stored HIP-3 market with its non-ok reasons and guidance; other subjects → null', async () => {
    const database = openDb({ path: ':memory:' });
    const { db, close } = database;
    db.insert(hip3Markets)
      .values({
        coin: 'xyz:TSLA',
        dex: 'xyz',
        metaJson: JSON.stringify({ name: 'xyz:TSLA', szDecimals: 3, maxLeverage: 10 }),
        status: 'critical',
        statusSince: 1,
        reasonsJson: JSON.stringify([
          {
            code: 'oracle_dead',
            severity: 'critical',
            message: 'Oracle unchanged for 75 s',
            sinceMs: 1,
          },
          {
            code: 'market_closed',
            severity: 'ok',
            message: 'Reference market closed',
            sinceMs: null,
          },
        ]),
        metricsJson: '{}',
        firstSeenAt: 1,
        updatedAt: 1,
      })
      .run();
    const describe = describeMarket(createSqliteStore(database));
    expect(await describe({ type: 'market', id: 'xyz:TSLA' }, 2)).toEqual({
      name: 'xyz:TSLA',
      status: 'critical',
      reasons: ['Oracle unchanged for 75 s'],
      guidance: marketGuidance.critical,
    });
    expect(await describe({ type: 'market', id: 'xyz:NOPE' }, 2)).toBeNull();
    expect(await describe({ type: 'chain', id: '1' }, 2)).toBeNull();
    close();
  });
});
