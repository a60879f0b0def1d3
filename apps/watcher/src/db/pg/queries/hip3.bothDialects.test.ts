import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bothDialects } from '../../../../test/support/bothDialects.js';
import { openDb } from '../../openDb.js';
import type { Hip3OracleUpdateRow, Hip3SampleRow, OracleUpdateCursor } from '../../queries/hip3.js';
import * as S from '../../queries/hip3.js';
import { migratePg, type PgDb, withPgTransaction } from '../openPgDb.js';
import * as P from './hip3.js';

// One suite over the SQLite queries of `db/queries/hip3.ts` and their PostgreSQL twins, each on a
// real database (ARCHITECTURE.md, "PostgreSQL"): the same calls must give the same results. The
// PostgreSQL databases use ICU `en` as their default collation (a common production default,
// unlike the test server's `C`), so any order that silently followed the database's collation
// instead of SQLite's byte order would show here.

const NAMES = [
  'upsertHip3Dexes',
  'listHip3Dexes',
  'upsertHip3MarketMeta',
  'updateHip3MarketState',
  'listHip3Markets',
  'getHip3Market',
  'getHip3MarketsByCoin',
  'insertHip3Samples',
  'countHip3Samples',
  'hip3SamplesOf',
  'insertHip3OracleUpdates',
  'hip3OracleUpdatesPage',
  'insertHip3Transition',
  'hip3TransitionsOf',
  'insertHip3StreamGap',
  'listHip3StreamGaps',
  'hip3MarketMetricRows',
  'countWatchedHip3Markets',
] as const;
type Name = (typeof NAMES)[number];
type Rest<F> = F extends (db: never, ...args: infer A) => unknown ? A : never;
type StateRow = Parameters<typeof S.updateHip3MarketState>[1];

/** The twin contract, checked by `tsc`: `f(db, ...args): R` on SQLite is `f(q, ...args): Promise<R>`. */
type Twin<F> = F extends (db: never, ...args: infer A) => infer R
  ? (q: PgDb, ...args: A) => Promise<R>
  : never;
const twins: { [K in Name]: Twin<(typeof S)[K]> } = P;

/** The SQLite functions, bound and async (what the WatcherStore derives from them). */
type Queries = {
  [K in Name]: (...args: Rest<(typeof S)[K]>) => Promise<ReturnType<(typeof S)[K]>>;
};
type Writes = {
  insertSamples(rows: readonly Hip3SampleRow[]): Promise<void>;
  insertOracleUpdates(rows: readonly Hip3OracleUpdateRow[]): Promise<void>;
  updateMarketState(r: StateRow): Promise<void>;
  updateMarketStates(rows: readonly StateRow[]): Promise<void>;
};
type Store = Queries & {
  writes(): Writes;
  /** `body` in one transaction (committed when it resolves, rolled back when it throws). */
  tx<T>(body: (s: Queries & { writes(): Writes }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
};

const both = bothDialects('hip3');

function bind(fns: Record<string, unknown>, handle: unknown): Queries {
  return Object.fromEntries(
    NAMES.map((n) => [
      n,
      async (...args: unknown[]) => (fns[n] as (...a: unknown[]) => unknown)(handle, ...args),
    ]),
  ) as Queries;
}

function pgStore(q: PgDb) {
  return { ...bind(twins, q), writes: () => P.prepareHip3Writes(q) };
}

const dialects: [string, () => Promise<Store>][] = [
  [
    'SQLite',
    async () => {
      const { db, sqlite, close } = openDb({ path: both.sqlitePath() });
      const writes = (): Writes => {
        const w = S.prepareHip3Writes(db);
        return {
          insertSamples: async (rows) => w.insertSamples(rows),
          insertOracleUpdates: async (rows) => w.insertOracleUpdates(rows),
          updateMarketState: async (r) => w.updateMarketState(r),
          // SQLite has no batch form: the reference behaviour is one update per row, in order.
          updateMarketStates: async (rows) => {
            for (const r of rows) w.updateMarketState(r);
          },
        };
      };
      const queries = bind(S, db);
      return {
        ...queries,
        writes,
        // One connection, nothing else running: a transaction may span the (resolved) awaits.
        tx: async (body) => {
          sqlite.exec('begin');
          try {
            const r = await body({ ...queries, writes });
            sqlite.exec('commit');
            return r;
          } catch (error) {
            sqlite.exec('rollback');
            throw error;
          }
        },
        close: async () => close(),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const { url, pool } = await both.pgDatabase({ max: 3, linguistic: true });
      // The premise of the byte-order assertions: this database's own order is not byte order.
      const { rows } = await pool.query<{ icu: boolean }>(`select 'a' < 'B' as icu`);
      if (rows[0]?.icu !== true) throw new Error(`${url} does not collate ICU en by default`);
      return {
        ...pgStore(drizzle({ client: pool }) as PgDb),
        tx: (body) => withPgTransaction(pool, (q) => body(pgStore(q))),
        close: () => pool.end(),
      };
    },
  ],
];

/** A ms timestamp beyond 2³¹ (must come back as the same number). */
const T0 = 1_790_000_000_123;

const sample = (coin: string, receivedAt: number, extra: Partial<Hip3SampleRow> = {}) =>
  ({
    coin,
    receivedAt,
    oraclePx: '251.30',
    markPx: '251.35',
    midPx: '251.34',
    funding: '0.0000125',
    premium: '-0.0001',
    openInterest: '12345.6',
    dayNtlVlm: '9876543.21',
    markDeviation: 0.000198965,
    source: 'ws',
    ...extra,
  }) satisfies Hip3SampleRow;

/** What a stored sample reads back as: every optional column present, `null` when not given. */
const stored = (r: Hip3SampleRow) => ({
  midPx: null,
  premium: null,
  markDeviation: null,
  ...r,
});

const oracle = (
  coin: string,
  source: string,
  at: number,
  txHash: string,
  extra: Partial<Hip3OracleUpdateRow> = {},
) =>
  ({
    coin,
    source,
    at,
    oraclePx: '251.30',
    markPx: '251.35',
    intervalMs: 3_000,
    markJump: 0.0001,
    txHash,
    error: null,
    ...extra,
  }) satisfies Hip3OracleUpdateRow;

const state = (coin: string, status: string, at: number, extra: Partial<StateRow> = {}) =>
  ({
    coin,
    status,
    statusSince: at,
    reasonsJson: JSON.stringify([{ code: 'oracle-stale', severity: status }]),
    metricsJson: JSON.stringify({ markDeviation: { value: 0.0002 } }),
    lastSampleAt: at - 500,
    updatedAt: at,
    ...extra,
  }) satisfies StateRow;

const meta = (coin: string, dex: string, now: number, isDelisted = false) => ({
  coin,
  dex,
  metaJson: JSON.stringify({ name: coin, szDecimals: 2, maxLeverage: 10 }),
  isDelisted,
  now,
});

/** Byte-order comparison (SQLite's BINARY on ASCII), descending. */
const byteDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

describe.each(dialects)('HIP-3 queries on %s', (_name, open) => {
  let s: Store;
  beforeAll(async () => {
    s = await open();
  }, 30_000);
  afterAll(() => s?.close());

  it('upsertHip3Dexes: empty batch, insert, refresh keeping firstSeenAt, last duplicate wins', async () => {
    await s.upsertHip3Dexes([], T0);
    expect(await s.listHip3Dexes()).toEqual([]);
    const dex = (name: string, dexIndex: number, extra = {}) => ({
      name,
      fullName: `${name} markets`,
      deployer: `0x${'1'.repeat(40)}`,
      oracleWritersJson: JSON.stringify([`0x${'2'.repeat(40)}`]),
      dexIndex,
      totalOiCapUsd: '1000000.0',
      lastSeenAt: T0,
      ...extra,
    });
    await s.upsertHip3Dexes([dex('xyz', 2), dex('flx', 1, { totalOiCapUsd: null })], T0);
    await s.upsertHip3Dexes(
      [
        dex('xyz', 2, { fullName: 'first refresh', lastSeenAt: T0 + 10 }),
        dex('vntl', 3),
        dex('xyz', 2, { fullName: 'XYZ', totalOiCapUsd: '2000000.0', lastSeenAt: T0 + 20 }),
      ],
      T0 + 20,
    );
    expect(await s.listHip3Dexes()).toEqual([
      { ...dex('flx', 1, { totalOiCapUsd: null }), firstSeenAt: T0 },
      {
        ...dex('xyz', 2, { fullName: 'XYZ', totalOiCapUsd: '2000000.0', lastSeenAt: T0 + 20 }),
        firstSeenAt: T0,
      },
      { ...dex('vntl', 3), firstSeenAt: T0 + 20 },
    ]);
  });

  it('markets: meta upsert defaults and refresh, byte-order listing, lookups, counts, metric rows', async () => {
    for (const [coin, dex] of [
      ['xyz:b', 'xyz'],
      ['xyz:B', 'xyz'],
      ['xyz:a', 'xyz'],
      ['flx:Z', 'flx'],
    ] as const) {
      await s.upsertHip3MarketMeta(meta(coin, dex, T0));
    }
    expect(await s.getHip3Market('xyz:a')).toEqual({
      coin: 'xyz:a',
      owner: 'local',
      dex: 'xyz',
      metaJson: meta('xyz:a', 'xyz', T0).metaJson,
      isDelisted: false,
      status: 'unknown',
      statusSince: T0,
      reasonsJson: '[]',
      metricsJson: '{}',
      lastSampleAt: null,
      firstSeenAt: T0,
      updatedAt: T0,
    });
    expect(await s.getHip3Market('xyz:nope')).toBeNull();
    // Byte order: upper case before lower case (ICU en would give a, B, b).
    expect((await s.listHip3Markets()).map((m) => m.coin)).toEqual([
      'flx:Z',
      'xyz:B',
      'xyz:a',
      'xyz:b',
    ]);
    expect((await s.listHip3Markets('flx')).map((m) => m.coin)).toEqual(['flx:Z']);
    expect(await s.listHip3Markets('none')).toEqual([]);

    await s.updateHip3MarketState(state('xyz:a', 'warn', T0 + 1_000));
    await s.updateHip3MarketState(state('xyz:B', 'ok', T0 + 1_000, { lastSampleAt: null }));
    await s.updateHip3MarketState(state('xyz:ghost', 'ok', T0)); // no such market: no row
    // A meta refresh changes meta, delisting, dex and owner only; the derived state stays.
    const moved = meta('xyz:a', 'xyz2', T0 + 5_000, true);
    await s.upsertHip3MarketMeta({
      ...moved,
      metaJson: '{"name":"xyz:a","isDelisted":true}',
      owner: 'watcher-b',
    });
    expect(await s.getHip3Market('xyz:a')).toEqual({
      coin: 'xyz:a',
      owner: 'watcher-b',
      dex: 'xyz2',
      metaJson: '{"name":"xyz:a","isDelisted":true}',
      isDelisted: true,
      status: 'warn',
      statusSince: T0 + 1_000,
      reasonsJson: state('xyz:a', 'warn', 0).reasonsJson,
      metricsJson: state('xyz:a', 'warn', 0).metricsJson,
      lastSampleAt: T0 + 500,
      firstSeenAt: T0,
      updatedAt: T0 + 1_000,
    });
    expect((await s.getHip3Market('xyz:B'))?.lastSampleAt).toBeNull();
    expect((await s.listHip3Markets()).map((m) => [m.coin, m.owner])).toEqual([
      ['flx:Z', 'local'],
      ['xyz:B', 'local'],
      ['xyz:a', 'watcher-b'],
      ['xyz:b', 'local'],
    ]);
    expect(await s.getHip3Market('xyz:ghost')).toBeNull();
    expect(await s.countWatchedHip3Markets()).toBe(3);

    expect(await s.getHip3MarketsByCoin([])).toEqual([]);
    const some = await s.getHip3MarketsByCoin(['xyz:b', 'nope', 'flx:Z', 'xyz:b']);
    expect(some.map((m) => m.coin).sort()).toEqual(['flx:Z', 'xyz:b']);
    expect(some.find((m) => m.coin === 'flx:Z')).toEqual(await s.getHip3Market('flx:Z'));

    const metricRows = (await s.hip3MarketMetricRows()).sort((a, b) => (a.coin < b.coin ? -1 : 1));
    expect(metricRows).toEqual([
      { coin: 'flx:Z', dex: 'flx', status: 'unknown', metrics_json: '{}', updated_at: T0 },
      {
        coin: 'xyz:B',
        dex: 'xyz',
        status: 'ok',
        metrics_json: state('', '', 0).metricsJson,
        updated_at: T0 + 1_000,
      },
      {
        coin: 'xyz:a',
        dex: 'xyz2',
        status: 'warn',
        metrics_json: state('', '', 0).metricsJson,
        updated_at: T0 + 1_000,
      },
      { coin: 'xyz:b', dex: 'xyz', status: 'unknown', metrics_json: '{}', updated_at: T0 },
    ]);
  });

  it('samples: empty batch, >500-row batch, nulls, NaN/Infinity, big times, in-batch and replayed duplicates skipped', async () => {
    await s.insertHip3Samples([]);
    expect(await s.countHip3Samples('smp:A')).toBe(0);
    expect(await s.hip3SamplesOf('smp:A')).toEqual([]);
    const rows: Hip3SampleRow[] = [];
    for (let i = 0; i < 1_200; i++) {
      rows.push(sample(i % 2 === 0 ? 'smp:A' : 'smp:B', T0 + 1_000 * (1_200 - i)));
    }
    const odd: Hip3SampleRow[] = [
      // optional columns left out entirely: stored as NULL
      {
        coin: 'smp:C',
        receivedAt: 2 ** 53 - 1,
        oraclePx: '1',
        markPx: '1',
        funding: '0',
        openInterest: '0',
        dayNtlVlm: '0',
        source: 'rest',
      },
      sample('smp:C', T0, { markDeviation: Number.NaN, midPx: null, premium: null }),
      sample('smp:C', T0 + 1, { markDeviation: Number.POSITIVE_INFINITY }),
      sample('smp:C', T0 + 2, { markDeviation: -1e-300, oraclePx: 'quote"back\\slash,{}' }),
      // same key as the row above, later in the batch: skipped (first wins)
      sample('smp:C', T0 + 2, { markDeviation: 5, oraclePx: 'second' }),
    ];
    await s.insertHip3Samples([...rows, ...odd]);
    expect(await s.countHip3Samples('smp:A')).toBe(600);
    expect(await s.countHip3Samples('smp:B')).toBe(600);
    expect(await s.countHip3Samples('smp:C')).toBe(4);
    expect(await s.countHip3Samples('nope')).toBe(0);
    const a = await s.hip3SamplesOf('smp:A');
    expect(a).toEqual(
      rows.filter((r) => r.coin === 'smp:A').sort((x, y) => x.receivedAt - y.receivedAt),
    );
    expect(await s.hip3SamplesOf('smp:C')).toEqual([
      stored(sample('smp:C', T0, { markDeviation: null, midPx: null, premium: null })),
      stored(sample('smp:C', T0 + 1, { markDeviation: Number.POSITIVE_INFINITY })),
      stored(sample('smp:C', T0 + 2, { markDeviation: -1e-300, oraclePx: 'quote"back\\slash,{}' })),
      stored(odd[0] as Hip3SampleRow),
    ]);
    // A replayed batch (restart, reconnect) adds nothing and changes nothing.
    await s.insertHip3Samples(rows.map((r) => ({ ...r, markPx: 'replayed' })));
    expect(await s.countHip3Samples('smp:A')).toBe(600);
    expect(await s.hip3SamplesOf('smp:A')).toEqual(a);
  });

  it('oracle updates: defaults, duplicates skipped, explorer history re-delivered adds nothing', async () => {
    await s.insertHip3OracleUpdates([]);
    const W = 'xyz:TSLA';
    const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`;
    const explorer = [
      oracle(W, 'explorer', T0 + 3000, hash(1), { intervalMs: null, markJump: null }),
      oracle(W, 'explorer', T0 + 6000, hash(2), {
        intervalMs: null,
        markJump: null,
        markPx: null,
        error: 'Invalid oracle updater',
      }),
    ];
    await s.insertHip3OracleUpdates([
      ...explorer,
      // txHash and the nullable columns left out: '' and NULL
      { coin: W, source: 'ctx', at: T0 + 1000 },
      oracle(W, 'ctx', T0 + 2000, '', { markJump: Number.NaN }),
    ]);
    await s.insertHip3OracleUpdates([
      ...explorer.map((r) => ({ ...r, oraclePx: 'changed' })),
      { coin: W, source: 'ctx', at: T0 + 1000, oraclePx: 'changed' },
    ]);
    const page = (source?: string) =>
      s.hip3OracleUpdatesPage({ coin: W, limit: 10, cursor: null, ...(source ? { source } : {}) });
    expect((await page('explorer')).map((r) => [r.at, r.error])).toEqual([
      [T0 + 6000, 'Invalid oracle updater'],
      [T0 + 3000, null],
    ]);
    expect(await page()).toEqual([
      explorer[1],
      explorer[0],
      oracle(W, 'ctx', T0 + 2000, '', { markJump: null }),
      {
        coin: W,
        source: 'ctx',
        at: T0 + 1000,
        oraclePx: null,
        markPx: null,
        intervalMs: null,
        markJump: null,
        txHash: '',
        error: null,
      },
    ]);
    expect(await page('none')).toEqual([]);
  });

  it('oracle update pages: every page boundary and tie, in byte order, with and without a source', async () => {
    const C = 'pg:TIES';
    const rows: Hip3OracleUpdateRow[] = [];
    const hashes = ['', '0xab', '0xAB', '0xaB', 'Z', 'a', 'b'];
    for (const at of [T0, T0 + 1, 2 ** 40]) {
      for (const source of ['ctx', 'explorer', 'Explorer']) {
        for (const h of hashes) rows.push(oracle(C, source, at, h, { oraclePx: `${at}/${h}` }));
      }
    }
    rows.push(oracle('pg:OTHER', 'ctx', T0, 'zz'));
    await s.insertHip3OracleUpdates([...rows].reverse());
    const expected = rows
      .filter((r) => r.coin === C)
      .sort(
        (x, y) =>
          y.at - x.at ||
          byteDesc(x.source, y.source) ||
          byteDesc(x.txHash as string, y.txHash as string),
      );
    const cursorOf = (r: { at: number; source: string; txHash: string }): OracleUpdateCursor => ({
      at: r.at,
      source: r.source,
      txHash: r.txHash,
    });
    for (const source of [undefined, 'explorer']) {
      const want = expected.filter((r) => source === undefined || r.source === source);
      for (const limit of [1, 2, 3, 7, want.length, want.length + 1]) {
        const got: Hip3OracleUpdateRow[] = [];
        let cursor: OracleUpdateCursor | null = null;
        for (let pages = 0; ; pages++) {
          expect(pages).toBeLessThanOrEqual(want.length);
          const p = await s.hip3OracleUpdatesPage({
            coin: C,
            limit,
            cursor,
            ...(source ? { source } : {}),
          });
          const rest = want.length - got.length;
          expect(p.length).toBe(Math.min(limit, rest));
          got.push(...p);
          if (p.length < limit) break;
          cursor = cursorOf(p.at(-1) as { at: number; source: string; txHash: string });
        }
        expect(got).toEqual(want);
      }
    }
    // A cursor between stored rows (no such tx hash): strictly after it in the same order.
    const between = { at: T0 + 1, source: 'explorer', txHash: '0xAC' };
    const after = expected.filter(
      (r) =>
        r.at < between.at ||
        (r.at === between.at &&
          (r.source < between.source ||
            (r.source === between.source && (r.txHash as string) < between.txHash))),
    );
    expect(await s.hip3OracleUpdatesPage({ coin: C, limit: 4, cursor: between })).toEqual(
      after.slice(0, 4),
    );
    expect((after[0] as Hip3OracleUpdateRow).txHash).toBe('0xAB');
    expect(await s.hip3OracleUpdatesPage({ coin: C, limit: 0, cursor: null })).toEqual([]);
    expect(
      await s.hip3OracleUpdatesPage({
        coin: C,
        limit: 5,
        cursor: cursorOf(expected.at(-1) as { at: number; source: string; txHash: string }),
      }),
    ).toEqual([]);
  });

  it('transitions: appended with increasing ids, the latest `limit` oldest first', async () => {
    const tr = (coin: string, i: number) => ({
      coin,
      at: T0 + i * 1000,
      fromStatus: i === 0 ? 'unknown' : `s${i - 1}`,
      toStatus: `s${i}`,
      reasonsJson: `[{"code":"c${i}"}]`,
    });
    expect(await s.hip3TransitionsOf('tr:A')).toEqual([]);
    for (let i = 0; i < 5; i++) {
      await s.insertHip3Transition(tr('tr:A', i));
      await s.insertHip3Transition(tr('tr:B', i));
    }
    const all = await s.hip3TransitionsOf('tr:A');
    expect(all.map(({ id: _id, ...r }) => r)).toEqual([0, 1, 2, 3, 4].map((i) => tr('tr:A', i)));
    expect(all.map((t) => t.id)).toEqual([1, 3, 5, 7, 9]);
    expect((await s.hip3TransitionsOf('tr:A', 2)).map((t) => t.toStatus)).toEqual(['s3', 's4']);
    expect((await s.hip3TransitionsOf('tr:B', 1)).map((t) => t.id)).toEqual([10]);
  });

  it('stream gaps: idempotent on start + reason (end refreshed), oldest first', async () => {
    expect(await s.listHip3StreamGaps()).toEqual([]);
    await s.insertHip3StreamGap({ fromAt: T0 + 5_000, toAt: T0 + 6_000, reason: 'ws-down' });
    await s.insertHip3StreamGap({ fromAt: T0, toAt: T0 + 1_000, reason: 'silent' });
    await s.insertHip3StreamGap({ fromAt: T0, toAt: T0 + 2_000, reason: 'silent' });
    // Same start: byte order of the reason ('S' < 's'; ICU en would put 'silent' first).
    await s.insertHip3StreamGap({ fromAt: T0, toAt: T0 + 3_000, reason: 'Stale' });
    expect(await s.listHip3StreamGaps()).toEqual([
      { fromAt: T0, toAt: T0 + 3_000, reason: 'Stale' },
      { fromAt: T0, toAt: T0 + 2_000, reason: 'silent' },
      { fromAt: T0 + 5_000, toAt: T0 + 6_000, reason: 'ws-down' },
    ]);
  });

  it('prepareHip3Writes: a 3,000-market tick of samples, oracle updates and states in one transaction', async () => {
    const coins = Array.from({ length: 3_000 }, (_, i) => `tick:${String(i).padStart(4, '0')}`);
    for (const c of coins.slice(0, 2_999)) await s.upsertHip3MarketMeta(meta(c, 'tick', T0));
    const at = T0 + 60_000;
    await s.tx(async (t) => {
      const w = t.writes();
      await w.insertSamples([]);
      await w.insertOracleUpdates([]);
      await w.updateMarketStates([]);
      await w.insertSamples(coins.map((c, i) => sample(c, at, { markDeviation: i / 1e6 })));
      await w.insertOracleUpdates(coins.map((c) => oracle(c, 'ctx', at, '')));
      await w.updateMarketStates([
        ...coins.map((c) => state(c, 'watch', at)),
        state('tick:0007', 'critical', at + 1), // same coin later in the batch: last wins
      ]);
      await w.updateMarketState(state('tick:0008', 'halted', at + 2));
    });
    expect(await s.hip3SamplesOf('tick:0042')).toEqual([
      stored(sample('tick:0042', at, { markDeviation: 42 / 1e6 })),
    ]);
    expect(await s.hip3OracleUpdatesPage({ coin: 'tick:2999', limit: 5, cursor: null })).toEqual([
      oracle('tick:2999', 'ctx', at, ''),
    ]);
    const markets = await s.listHip3Markets('tick');
    expect(markets).toHaveLength(2_999); // tick:2999 has no market row: its state update is a no-op
    expect(markets.filter((m) => m.status === 'watch')).toHaveLength(2_997);
    expect(await s.getHip3Market('tick:0007')).toMatchObject({
      status: 'critical',
      statusSince: at + 1,
      updatedAt: at + 1,
      lastSampleAt: at + 1 - 500,
    });
    expect(await s.getHip3Market('tick:0008')).toMatchObject({ status: 'halted' });
    expect(await s.getHip3Market('tick:1234')).toMatchObject({
      ...state('tick:1234', 'watch', at),
      dex: 'tick',
      firstSeenAt: T0,
    });
  });

  it('a transaction that throws leaves nothing of its writes (the ticker requeues and retries)', async () => {
    await s.upsertHip3MarketMeta(meta('rb:A', 'rb', T0));
    await expect(
      s.tx(async (t) => {
        const w = t.writes();
        await w.insertSamples([sample('rb:A', T0 + 1)]);
        await w.insertOracleUpdates([oracle('rb:A', 'ctx', T0 + 1, '')]);
        await w.updateMarketState(state('rb:A', 'warn', T0 + 1));
        await t.insertHip3Transition({
          coin: 'rb:A',
          at: T0 + 1,
          fromStatus: 'unknown',
          toStatus: 'warn',
          reasonsJson: '[]',
        });
        throw new Error('commit refused');
      }),
    ).rejects.toThrow('commit refused');
    expect(await s.countHip3Samples('rb:A')).toBe(0);
    expect(await s.hip3OracleUpdatesPage({ coin: 'rb:A', limit: 5, cursor: null })).toEqual([]);
    expect((await s.getHip3Market('rb:A'))?.status).toBe('unknown');
    expect(await s.hip3TransitionsOf('rb:A')).toEqual([]);
    // The retry commits the same rows.
    await s.tx(async (t) => {
      await t.writes().insertSamples([sample('rb:A', T0 + 1)]);
      await t.writes().updateMarketState(state('rb:A', 'warn', T0 + 1));
    });
    expect(await s.countHip3Samples('rb:A')).toBe(1);
    expect((await s.getHip3Market('rb:A'))?.status).toBe('warn');
  });
});

describe('HIP-3 hot path on PostgreSQL', () => {
  it('writes a 3,000-market tick in one statement per table (samples, oracle updates, states)', async () => {
    const url = await both.createDatabase();
    await migratePg({ url });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const q = drizzle({ client }) as PgDb;
      const coins = Array.from({ length: 3_000 }, (_, i) => `st:${i}`);
      for (let i = 0; i < coins.length; i += 1_000) {
        await client.query(
          `insert into hip3_markets (coin, dex, meta_json, status, status_since, reasons_json,
             metrics_json, first_seen_at, updated_at)
           select c, 'st', '{}', 'unknown', 0, '[]', '{}', 0, 0 from unnest($1::text[]) as c`,
          [coins.slice(i, i + 1_000)],
        );
      }
      const texts: string[] = [];
      const query = client.query.bind(client);
      client.query = ((config: { text?: string }, ...rest: unknown[]) => {
        texts.push(typeof config === 'string' ? config : String(config.text));
        return (query as (...a: unknown[]) => unknown)(config, ...rest);
      }) as typeof client.query;
      const w = P.prepareHip3Writes(q);
      await w.insertSamples(coins.map((c) => sample(c, T0)));
      await w.insertOracleUpdates(coins.map((c) => oracle(c, 'ctx', T0, '')));
      await w.updateMarketStates(coins.map((c) => state(c, 'ok', T0)));
      expect(texts.map((t) => t.trim().split(/\s+/).slice(0, 3).join(' '))).toEqual([
        'insert into hip3_samples',
        'insert into hip3_oracle_updates',
        'update hip3_markets as',
      ]);
      // Past one chunk: a second statement, every row stored.
      texts.length = 0;
      const big = Array.from({ length: P.HIP3_PG_CHUNK + 1 }, (_, i) => sample('big', T0 + i));
      await w.insertSamples(big);
      expect(texts).toHaveLength(2);
      client.query = query;
      const n = await client.query(
        `select (select count(*) from hip3_samples)::int as s,
                (select count(*) from hip3_oracle_updates)::int as o,
                (select count(*) from hip3_markets where status = 'ok')::int as m`,
      );
      expect(n.rows[0]).toEqual({ s: 3_000 + P.HIP3_PG_CHUNK + 1, o: 3_000, m: 3_000 });
      const last = await client.query(
        `select min(received_at)::text as lo, max(received_at)::text as hi from hip3_samples where coin = 'big'`,
      );
      expect(last.rows[0]).toEqual({ lo: String(T0), hi: String(T0 + P.HIP3_PG_CHUNK) });
    } finally {
      await client.end();
    }
  });
});
