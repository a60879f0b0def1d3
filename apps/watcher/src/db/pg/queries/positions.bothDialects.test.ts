import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import type {
  GuardedAccountRow,
  GuardedLiquidationRow,
  GuardedPositionRow,
} from '../../queries/positions.js';
import * as sqlitePositions from '../../queries/positions.js';
import * as sqliteChains from '../../schema/chains.js';
import * as sqliteHip3 from '../../schema/hip3.js';
import * as pgChains from '../schema/chains.js';
import * as pgHip3 from '../schema/hip3.js';
import * as pgPositions from './positions.js';

// The position guard's queries, one suite run against the SQLite functions and their PostgreSQL
// twins, each on a real database: the same calls must give the same results.

/** `f(db, ...args): R` → `f(...args): Promise<R>`, as the WatcherStore binds the query modules. */
type Bound<M> = {
  [K in keyof M]: M[K] extends (db: never, ...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

const NAMES = [
  'upsertGuardedAccount',
  'upsertGuardedPosition',
  'deleteGuardedPosition',
  'insertGuardedLiquidation',
  'listGuardedAccounts',
  'getGuardedAccount',
  'guardedPositionsOf',
  'listGuardedPositions',
  'guardedLiquidationsOf',
  'pruneGuardedAccounts',
  'guardedAccountOwners',
  'chainStatusesByKey',
  'marketOracleStatus',
] as const;
type Name = (typeof NAMES)[number];
// Every function the SQLite module exports has a twin under test (a new one fails to compile here).
type SqliteFunctions = {
  [K in keyof typeof sqlitePositions]: (typeof sqlitePositions)[K] extends (
    ...a: never[]
  ) => unknown
    ? K
    : never;
}[keyof typeof sqlitePositions];
const everyExportCovered: [Exclude<SqliteFunctions, Name>] extends [never] ? true : never = true;
void everyExportCovered;

function bind<M, K extends keyof M>(mod: M, names: readonly K[], db: unknown): Bound<Pick<M, K>> {
  return Object.fromEntries(
    names.map((n) => [
      n,
      async (...args: unknown[]) => (mod[n] as (...a: unknown[]) => unknown)(db, ...args),
    ]),
  ) as Bound<Pick<M, K>>;
}

type ChainFixture = { chainId: number; key: string; name: string; status?: string };
type MarketFixture = { coin: string; status: string; reasonsJson: string };

/** The SQLite signatures decide the store's type: the PostgreSQL twins must be assignable to it. */
type PositionsStore = Bound<Pick<typeof sqlitePositions, Name>> & {
  /** A `chains` row, and its `chain_state` row when `status` is given. */
  addChain(c: ChainFixture): Promise<void>;
  addMarket(m: MarketFixture): Promise<void>;
  close(): Promise<void>;
};

const AT = 1_790_000_000_123; // ms timestamps beyond 2³¹ must come back as the same number

const chainRow = (c: ChainFixture) => ({
  chainId: c.chainId,
  key: c.key,
  name: c.name,
  class: 'l2',
  blockTimeMs: 2_000,
  configJson: '{}',
  updatedAt: AT,
});
const chainStateRow = (c: ChainFixture) => ({
  chainId: c.chainId,
  status: c.status ?? 'up',
  statusSince: AT,
  stateJson: '{}',
  updatedAt: AT,
});
const marketRow = (m: MarketFixture) => ({
  ...m,
  dex: m.coin.split(':')[0]!,
  metaJson: '{}',
  isDelisted: false,
  statusSince: AT,
  metricsJson: '{}',
  lastSampleAt: null,
  firstSeenAt: AT,
  updatedAt: AT,
});

const both = bothDialects('positions');

/** The PostgreSQL store on a new database (the server's default collation, or linguistic). */
async function pgStore(linguistic: boolean): Promise<PositionsStore> {
  const { pool, q } = await both.pgDatabase({ max: 2, linguistic });
  return {
    ...bind(pgPositions, NAMES, q),
    addChain: async (c) => {
      await q.insert(pgChains.chains).values(chainRow(c));
      if (c.status) await q.insert(pgChains.chainState).values(chainStateRow(c));
    },
    addMarket: async (m) => {
      await q.insert(pgHip3.hip3Markets).values(marketRow(m));
    },
    close: () => pool.end(),
  };
}

const dialects: [string, () => Promise<PositionsStore>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = openDb({ path: both.sqlitePath() });
      return {
        ...bind(sqlitePositions, NAMES, db),
        addChain: async (c) => {
          db.insert(sqliteChains.chains).values(chainRow(c)).run();
          if (c.status) db.insert(sqliteChains.chainState).values(chainStateRow(c)).run();
        },
        addMarket: async (m) => {
          db.insert(sqliteHip3.hip3Markets).values(marketRow(m)).run();
        },
        close: async () => close(),
      };
    },
  ],
  ['PostgreSQL', () => pgStore(false)],
  ['PostgreSQL (ICU en collation)', () => pgStore(true)],
];

const account = (p: Partial<GuardedAccountRow> = {}): GuardedAccountRow => ({
  addressHash: '0123456789abcdef',
  label: 'alpha',
  mode: null,
  status: 'unknown',
  reason: null,
  lastSuccessAt: null,
  lastAttemptAt: null,
  fillsCheckedTo: null,
  stateJson: '{}',
  updatedAt: AT,
  ...p,
});
const position = (p: Partial<GuardedPositionRow> = {}): GuardedPositionRow => ({
  addressHash: '0123456789abcdef',
  coin: 'BTC',
  dex: '',
  level: 'ok',
  knownLevel: 'ok',
  baseLevel: 'ok',
  episodeId: null,
  stateJson: '{"szi":"0.5"}',
  updatedAt: AT,
  ...p,
});
const liquidation = (p: Partial<GuardedLiquidationRow> = {}): GuardedLiquidationRow => ({
  addressHash: '0123456789abcdef',
  tid: '900719925474099312', // beyond 2⁵³: a text column, kept digit for digit
  coin: 'ETH',
  at: AT,
  fillJson: '{"px":"2500.5","sz":"1.2","side":"B"}',
  ...p,
});

const H1 = '0123456789abcdef';
const H2 = 'fedcba9876543210';
const H3 = '00000000000000aa';

describe.each(dialects)('position guard queries on %s', (_name, open) => {
  let store: PositionsStore;
  beforeAll(async () => {
    store = await open();
  }, 60_000);
  afterAll(() => store?.close());

  it('accounts: insert, read back every value (nulls, ms times), list by label in byte order', async () => {
    expect(await store.listGuardedAccounts()).toEqual([]);
    expect(await store.getGuardedAccount(H1)).toBeNull();
    const a1 = account({ addressHash: H1, label: 'alpha' });
    const a2 = account({
      addressHash: H2,
      label: 'Zeta', // byte order: upper case sorts before lower case (SQLite BINARY)
      mode: 'unifiedAccount',
      status: 'ok',
      reason: 'not-computable – ünified',
      lastSuccessAt: AT + 1,
      lastAttemptAt: AT + 2,
      fillsCheckedTo: AT + 3,
      stateJson: '{"dexes":["","xyz"]}',
    });
    const a3 = account({ addressHash: H3, label: 'beta' });
    for (const a of [a1, a2, a3]) await store.upsertGuardedAccount(a);
    expect(await store.getGuardedAccount(H2)).toEqual(a2);
    expect(await store.listGuardedAccounts()).toEqual([a2, a1, a3]);
  });

  it('accounts: an upsert replaces every column, back to null too', async () => {
    const updated = account({
      addressHash: H2,
      label: 'Zeta',
      status: 'unknown',
      updatedAt: AT + 9,
    });
    await store.upsertGuardedAccount(updated);
    expect(await store.getGuardedAccount(H2)).toEqual(updated);
    expect((await store.listGuardedAccounts()).length).toBe(3);
    await store.upsertGuardedAccount(
      account({ addressHash: H1, label: 'gamma', updatedAt: AT + 10 }),
    );
    expect((await store.listGuardedAccounts()).map((a) => a.label)).toEqual([
      'Zeta',
      'beta',
      'gamma',
    ]);
  });

  it('positions: upsert by account + coin, list by account then coin, delete one', async () => {
    const rows = [
      position({ addressHash: H2, coin: 'xyz:TSLA', dex: 'xyz' }),
      position({ addressHash: H1, coin: 'ETH' }),
      position({
        addressHash: H1,
        coin: 'BTC',
        level: 'warn',
        knownLevel: 'warn',
        episodeId: 'ep-1',
      }),
      position({ addressHash: H1, coin: 'xyz:NVDA', dex: 'xyz' }),
    ];
    for (const r of rows) await store.upsertGuardedPosition(r);
    expect(await store.guardedPositionsOf(H1)).toEqual([rows[2], rows[1], rows[3]]);
    expect(await store.listGuardedPositions()).toEqual([rows[2], rows[1], rows[3], rows[0]]);
    expect(await store.guardedPositionsOf('nobody')).toEqual([]);

    const escalated = position({
      addressHash: H1,
      coin: 'BTC',
      level: 'critical',
      knownLevel: 'critical',
      baseLevel: 'critical',
      episodeId: null,
      stateJson: '{"szi":"-3"}',
      updatedAt: AT + 60_000,
    });
    await store.upsertGuardedPosition(escalated);
    expect((await store.guardedPositionsOf(H1))[0]).toEqual(escalated);

    await store.deleteGuardedPosition(H1, 'ETH');
    await store.deleteGuardedPosition(H1, 'DOGE'); // absent: nothing happens
    await store.deleteGuardedPosition(H2, 'BTC'); // another account's coin stays
    expect((await store.listGuardedPositions()).map((p) => `${p.addressHash}/${p.coin}`)).toEqual([
      `${H1}/BTC`,
      `${H1}/xyz:NVDA`,
      `${H2}/xyz:TSLA`,
    ]);
  });

  it('liquidations: recorded once per account + tid, newest first within the limit', async () => {
    const l1 = liquidation({ tid: '1', at: AT });
    const l2 = liquidation({ tid: '2', at: AT + 20, coin: 'xyz:TSLA' });
    const l3 = liquidation({ at: AT + 10 });
    expect(await store.insertGuardedLiquidation(l1)).toBe(true);
    expect(await store.insertGuardedLiquidation(l2)).toBe(true);
    expect(await store.insertGuardedLiquidation(l3)).toBe(true);
    // The same fill again (a re-read of the fills): refused, the first one kept as it was.
    expect(await store.insertGuardedLiquidation({ ...l1, at: AT + 99, fillJson: '{}' })).toBe(
      false,
    );
    // The same tid of another account is another liquidation.
    expect(await store.insertGuardedLiquidation({ ...l1, addressHash: H2 })).toBe(true);
    expect(await store.guardedLiquidationsOf(H1, 10)).toEqual([l2, l3, l1]);
    expect(await store.guardedLiquidationsOf(H1, 2)).toEqual([l2, l3]);
    expect(await store.guardedLiquidationsOf(H1, 0)).toEqual([]);
    expect(await store.guardedLiquidationsOf(H2, 10)).toEqual([{ ...l1, addressHash: H2 }]);
  });

  it('prune deletes accounts not kept and their positions; liquidations stay; an empty keep list deletes all', async () => {
    await store.upsertGuardedPosition(position({ addressHash: H3, coin: 'SOL' }));
    await store.pruneGuardedAccounts([H1, H3, 'not-stored']);
    expect((await store.listGuardedAccounts()).map((a) => a.addressHash)).toEqual([H3, H1]);
    expect((await store.listGuardedPositions()).map((p) => `${p.addressHash}/${p.coin}`)).toEqual([
      `${H3}/SOL`,
      `${H1}/BTC`,
      `${H1}/xyz:NVDA`,
    ]);
    expect(await store.guardedLiquidationsOf(H2, 10)).toHaveLength(1);
    await store.pruneGuardedAccounts([H1]);
    expect((await store.listGuardedAccounts()).map((a) => a.addressHash)).toEqual([H1]);
    expect((await store.listGuardedPositions()).map((p) => p.addressHash)).toEqual([H1, H1]);
    await store.pruneGuardedAccounts([]);
    expect(await store.listGuardedAccounts()).toEqual([]);
    expect(await store.listGuardedPositions()).toEqual([]);
    expect(await store.guardedLiquidationsOf(H1, 10)).toHaveLength(3);
  });

  it('owners: each watcher prunes only its own accounts and their positions; the default is "local"', async () => {
    await store.upsertGuardedAccount(account({ addressHash: H1, label: 'a1' }), 'watcher-a');
    await store.upsertGuardedAccount(account({ addressHash: H2, label: 'b1' }), 'watcher-b');
    await store.upsertGuardedPosition(position({ addressHash: H1, coin: 'BTC' }));
    await store.upsertGuardedPosition(position({ addressHash: H2, coin: 'ETH' }));
    await store.upsertGuardedPosition(position({ addressHash: H3, coin: 'SOL' })); // no account
    expect(await store.guardedAccountOwners()).toEqual([
      { addressHash: H1, owner: 'watcher-a' },
      { addressHash: H2, owner: 'watcher-b' },
    ]);
    // watcher-a keeps nothing: its account and positions go (and the position nobody owns, as
    // before owners); watcher-b's stay.
    await store.pruneGuardedAccounts([], 'watcher-a');
    expect((await store.listGuardedAccounts()).map((a) => a.addressHash)).toEqual([H2]);
    expect((await store.listGuardedPositions()).map((p) => `${p.addressHash}/${p.coin}`)).toEqual([
      `${H2}/ETH`,
    ]);
    // A single watcher's prune ("local") does not touch watcher-b's either.
    await store.pruneGuardedAccounts([]);
    expect((await store.listGuardedAccounts()).map((a) => a.addressHash)).toEqual([H2]);
    expect(await store.guardedPositionsOf(H2)).toHaveLength(1);
    // Upserted without an owner: "local" again, and then the default prune deletes it.
    await store.upsertGuardedAccount(account({ addressHash: H2, label: 'b1' }));
    expect(await store.guardedAccountOwners()).toEqual([{ addressHash: H2, owner: 'local' }]);
    await store.pruneGuardedAccounts([]);
    expect(await store.listGuardedAccounts()).toEqual([]);
    expect(await store.listGuardedPositions()).toEqual([]);
  });

  it('chain statuses by registry key: chains with a state only', async () => {
    expect(await store.chainStatusesByKey()).toEqual([]);
    await store.addChain({ chainId: 8453, key: 'base', name: 'Base', status: 'halted' });
    await store.addChain({ chainId: 42161, key: 'arbitrum', name: 'Arbitrum One', status: 'up' });
    // A chain id beyond 2³¹ (some L3s), and a chain not evaluated yet (no state row).
    await store.addChain({ chainId: 3_000_000_000_123, key: 'l3', name: 'L3', status: 'degraded' });
    await store.addChain({ chainId: 10, key: 'optimism', name: 'OP Mainnet' });
    // SQLite gives no order: compare as sets.
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : 1);
    expect((await store.chainStatusesByKey()).sort(byKey)).toEqual([
      { key: 'arbitrum', name: 'Arbitrum One', status: 'up' },
      { key: 'base', name: 'Base', status: 'halted' },
      { key: 'l3', name: 'L3', status: 'degraded' },
    ]);
  });

  it('market oracle status: status and the string reason codes, null for a market not watched', async () => {
    expect(await store.marketOracleStatus('xyz:TSLA')).toBeNull();
    await store.addMarket({
      coin: 'xyz:TSLA',
      status: 'degraded',
      reasonsJson: JSON.stringify([
        { code: 'oracle-stale', detail: 'no update for 90 s' },
        { detail: 'no code' },
        { code: 7 },
        { code: 'mark-deviation' },
      ]),
    });
    await store.addMarket({ coin: 'xyz:NVDA', status: 'up', reasonsJson: '[]' });
    expect(await store.marketOracleStatus('xyz:TSLA')).toEqual({
      status: 'degraded',
      reasonCodes: ['oracle-stale', 'mark-deviation'],
    });
    expect(await store.marketOracleStatus('xyz:NVDA')).toEqual({ status: 'up', reasonCodes: [] });
    expect(await store.marketOracleStatus('xyz:tsla')).toBeNull();
  });
});
