import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { initialChainState } from '../../subjects/sequencer/chainStateRecord.js';
import { type OpenDb, openDb } from '../openDb.js';
import { chainState, rpcEndpoints } from '../schema/chains.js';
import { readChainState, updateRpcHealth, writeChainState } from './chains.js';

// The poll's writes are raw prepared statements (one write path per table): check the rows they
// leave, read back through the drizzle schema, against values written out by hand.
let opened: OpenDb[] = [];
afterEach(() => {
  for (const o of opened) o.close();
  opened = [];
});
const fresh = () => {
  const o = openDb({ path: ':memory:' });
  opened.push(o);
  return o;
};

describe('poll writes', () => {
  it('updateRpcHealth updates every health column of the addressed row only', () => {
    const o = fresh();
    for (const [position, url] of ['https://a.example', 'https://b.example'].entries())
      o.db.insert(rpcEndpoints).values({ chainId: 1101, url, position, updatedAt: 1 }).run();
    const update = {
      chainId: 1101,
      position: 1,
      health: 'failing',
      headNumber: 123_456,
      latencyMs: 87,
      lastOkAt: 1_700_000_000_000,
      lastError: 'timeout after 2000 ms',
      consecutiveFailures: 3,
      malformedResponses: 2,
      updatedAt: 1_700_000_001_000,
    };
    updateRpcHealth(o.sqlite, [update]);
    updateRpcHealth(o.sqlite, [update]); // the cached statement, a second time
    const rows = o.db.select().from(rpcEndpoints).orderBy(rpcEndpoints.position).all();
    expect(rows[1]).toEqual({
      chainId: 1101,
      observer: 'local',
      position: 1,
      url: 'https://b.example',
      health: 'failing',
      headNumber: 123_456,
      latencyMs: 87,
      lastOkAt: 1_700_000_000_000,
      lastError: 'timeout after 2000 ms',
      consecutiveFailures: 3,
      malformedResponses: 2,
      updatedAt: 1_700_000_001_000,
    });
    expect(rows[0]).toMatchObject({ health: 'unknown', headNumber: null, updatedAt: 1 });
  });

  it('writeChainState inserts, then replaces, one row per chain', () => {
    const o = fresh();
    const first = { ...initialChainState(10, 1_000), updatedAt: 1_000 };
    const second = { ...first, status: 'up' as const, statusSince: 2_000, updatedAt: 2_000 };
    writeChainState(o.sqlite, first);
    writeChainState(o.sqlite, second);
    const rows = o.db.select().from(chainState).where(eq(chainState.chainId, 10)).all();
    expect(rows).toEqual([
      {
        chainId: 10,
        status: 'up',
        statusSince: 2_000,
        stateJson: JSON.stringify(second),
        updatedAt: 2_000,
      },
    ]);
    expect(readChainState(o.db, 10)).toEqual(second);
  });
});
