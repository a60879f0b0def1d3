import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { initialChainState } from '../../subjects/sequencer/chainStateRecord.js';
import { type OpenDb, openDb } from '../openDb.js';
import { chainState, rpcEndpoints } from '../schema/chains.js';
import {
  readChainState,
  updateRpcHealth,
  updateRpcHealthRaw,
  writeChainState,
  writeChainStateRaw,
} from './chains.js';

// The raw prepared statements of the poll hot path must write exactly what the drizzle builders write.
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

describe('raw poll writes', () => {
  it('updateRpcHealthRaw updates the same columns of the same row as updateRpcHealth', () => {
    const rows = (o: OpenDb) => o.db.select().from(rpcEndpoints).orderBy(rpcEndpoints.url).all();
    const seed = (o: OpenDb) => {
      for (const [position, url] of ['https://a.example', 'https://b.example'].entries())
        o.db.insert(rpcEndpoints).values({ chainId: 1101, url, position, updatedAt: 1 }).run();
    };
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
    const viaDrizzle = fresh();
    const viaRaw = fresh();
    seed(viaDrizzle);
    seed(viaRaw);
    updateRpcHealth(viaDrizzle.db, [update]);
    updateRpcHealthRaw(viaRaw.sqlite, [update]);
    updateRpcHealthRaw(viaRaw.sqlite, [update]); // the cached statement, a second time
    expect(rows(viaRaw)).toEqual(rows(viaDrizzle));
    expect(rows(viaRaw)[1]).toMatchObject({ health: 'failing', headNumber: 123_456 });
    expect(rows(viaRaw)[0]).toMatchObject({ health: 'unknown', headNumber: null });
  });

  it('writeChainStateRaw inserts, then replaces, the row writeChainState would', () => {
    const first = { ...initialChainState(10, 1_000), updatedAt: 1_000 };
    const second = { ...first, status: 'up' as const, statusSince: 2_000, updatedAt: 2_000 };
    const viaDrizzle = fresh();
    const viaRaw = fresh();
    for (const s of [first, second]) {
      writeChainState(viaDrizzle.db, s);
      writeChainStateRaw(viaRaw.sqlite, s);
    }
    const row = (o: OpenDb) =>
      o.db.select().from(chainState).where(eq(chainState.chainId, 10)).all();
    expect(row(viaRaw)).toEqual(row(viaDrizzle));
    expect(row(viaRaw)).toHaveLength(1);
    expect(readChainState(viaRaw.db, 10)).toEqual(second);
  });
});
