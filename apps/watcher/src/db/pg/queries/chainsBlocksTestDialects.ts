import type { BothDialects, bothDialects } from '../../../../test/support/bothDialects.js';
import type { ChainConfig } from '../../../config/chainsConfig.js';
import { parseConfig } from '../../../config/loadConfig.js';
import { Env } from '../../../env.js';
import { openDb } from '../../openDb.js';
import type { BlockRecord } from '../../queries/blocks.js';
import * as sqliteBlocks from '../../queries/blocks.js';
import * as sqliteChains from '../../queries/chains.js';
import { chains as sqliteChainsTable } from '../../schema/chains.js';
import { type PgDb, withPgTransaction } from '../openPgDb.js';
import { chains as pgChainsTable } from '../schema/chains.js';
import * as pgBlocks from './blocks.js';
import * as pgChains from './chains.js';

// Test support for `chains.bothDialects.test.ts` and `blocks.bothDialects.test.ts`: the SQLite
// chain and block queries and their PostgreSQL twins behind one async store, each on a real
// database (the pattern of `eventsBothDialects.test.ts`). The store type is derived from the
// SQLite functions' types the way `WatcherStore` binds them (`f(db, ...a): R` →
// `f(...a): Promise<R>`); the PostgreSQL twins, bound the same way, must be assignable to it, so a
// twin whose parameters or result differ fails to compile.

/** `f(db, ...a): R` → `f(...a): Promise<R>` for every function of a query module. */
export type Bound<M> = {
  [K in keyof M]: M[K] extends (db: never, ...args: infer A) => infer R
    ? (...args: A) => Promise<Awaited<R>>
    : never;
};

/** The chain and block queries as the SQLite module's types define them, bound and async. */
export type Store = Bound<Omit<typeof sqliteChains, 'storedChainConfig'>> &
  Bound<typeof sqliteBlocks>;

/** A `chains` table row without its config JSON (the columns no query function reads back). */
export type ChainColumns = {
  chainId: number;
  key: string;
  name: string;
  class: string;
  blockTimeMs: number | null;
  updatedAt: number;
};

/** One database of one dialect behind {@link Store}. */
export type Dialect = {
  store: Store;
  /** Runs `body` in one transaction, then rolls it back. */
  rolledBack(body: (s: Store) => Promise<void>): Promise<void>;
  /** The `chains` table's columns, by chain id (read directly, not through the queries). */
  chainColumns(): Promise<ChainColumns[]>;
  close(): Promise<void>;
};

function bindPg(q: PgDb): Bound<typeof pgChains> & Bound<typeof pgBlocks> {
  const bound: Record<string, unknown> = {};
  for (const [name, f] of Object.entries({ ...pgChains, ...pgBlocks }))
    bound[name] = (...args: unknown[]) => (f as (...a: unknown[]) => unknown)(q, ...args);
  return bound as Bound<typeof pgChains> & Bound<typeof pgBlocks>;
}

/**
 * `[name, open]` per dialect for `describe.each`: SQLite on a new file, PostgreSQL on a new
 * migrated database with a small pool, both of the test file's {@link bothDialects}.
 */
export function chainsBlocksDialects(both: BothDialects): [string, () => Promise<Dialect>][] {
  return [
    [
      'SQLite',
      async () => {
        const { db, sqlite, close } = openDb({ path: both.sqlitePath() });
        const c = sqliteChains;
        const b = sqliteBlocks;
        const store: Store = {
          upsertChains: async (configs, now, owner, observer) =>
            c.upsertChains(db, configs, now, owner, observer),
          readChainState: async (chainId) => c.readChainState(db, chainId),
          writeChainState: async (state) => c.writeChainState(sqlite, state),
          listChains: async () => c.listChains(db),
          listChainIds: async () => c.listChainIds(db),
          getChain: async (chainId) => c.getChain(db, chainId),
          pruneChains: async (keep, owner) => c.pruneChains(db, keep, owner),
          chainOwners: async () => c.chainOwners(db),
          rpcHealthOf: async (chainId, observer) => c.rpcHealthOf(db, chainId, observer),
          rpcHealthByObserver: async (chainId) => c.rpcHealthByObserver(db, chainId),
          updateRpcHealth: async (rows, observer) => c.updateRpcHealth(sqlite, rows, observer),
          writeChainObservation: async (obs) => c.writeChainObservation(db, obs),
          chainObservationsOf: async (chainId) => c.chainObservationsOf(db, chainId),
          listChainObservations: async () => c.listChainObservations(db),
          pruneChainObservations: async (p) => c.pruneChainObservations(db, p),
          insertTransition: async (t) => c.insertTransition(db, t),
          recentTransitions: async (chainId, limit) => c.recentTransitions(db, chainId, limit),
          insertBlocks: async (rows) => b.insertBlocks(sqlite, rows),
          markNonCanonical: async (p) => b.markNonCanonical(db, p),
          recentCanonicalBlocks: async (chainId, limit) =>
            b.recentCanonicalBlocks(db, chainId, limit),
          lastCanonicalSeenBefore: async (p) => b.lastCanonicalSeenBefore(db, p),
          canonicalHeadTimes: async (p) => b.canonicalHeadTimes(db, p),
          firstSeenAt: async (chainId) => b.firstSeenAt(db, chainId),
        };
        return {
          store,
          // The connection the raw statements and drizzle share (nothing else runs meanwhile).
          rolledBack: async (body) => {
            sqlite.exec('begin');
            try {
              await body(store);
            } finally {
              sqlite.exec('rollback');
            }
          },
          chainColumns: async () =>
            db
              .select({
                chainId: sqliteChainsTable.chainId,
                key: sqliteChainsTable.key,
                name: sqliteChainsTable.name,
                class: sqliteChainsTable.class,
                blockTimeMs: sqliteChainsTable.blockTimeMs,
                updatedAt: sqliteChainsTable.updatedAt,
              })
              .from(sqliteChainsTable)
              .orderBy(sqliteChainsTable.chainId)
              .all(),
          close: async () => close(),
        };
      },
    ],
    [
      'PostgreSQL',
      async () => {
        const { pool, q: db } = await both.pgDatabase({ max: 3 });
        const store: Store = bindPg(db);
        return {
          store,
          rolledBack: async (body) => {
            const rollback = new Error('roll back');
            await withPgTransaction(pool, async (q) => {
              await body(bindPg(q));
              throw rollback;
            }).catch((e: unknown) => {
              if (e !== rollback) throw e;
            });
          },
          chainColumns: () =>
            db
              .select({
                chainId: pgChainsTable.chainId,
                key: pgChainsTable.key,
                name: pgChainsTable.name,
                class: pgChainsTable.class,
                blockTimeMs: pgChainsTable.blockTimeMs,
                updatedAt: pgChainsTable.updatedAt,
              })
              .from(pgChainsTable)
              .orderBy(pgChainsTable.chainId),
          close: () => pool.end(),
        };
      },
    ],
  ];
}

/** A ms timestamp beyond 2³¹ (and 2³²): must come back as the same number. */
export const NOW = 1_790_000_000_123;
/** A chain id beyond 2³². */
export const BIG_CHAIN = 4_294_967_297;
/** A block number beyond 2³¹. */
export const BIG_BLOCK = 25_000_000_000;

/** Chain configs as the config loader resolves them from `raw` entries. */
export function chainConfigs(raw: unknown[]): ChainConfig[] {
  return parseConfig({ raw: { chains: raw }, source: 'test', env: Env.parse({}) }).chains;
}

/** A chain with two RPC URLs, the first carrying a provider key in its path. */
export const bigL2 = {
  key: 'big-l2',
  chainId: BIG_CHAIN,
  name: 'Big L2',
  class: 'other',
  rpcUrls: ['https://rpc.example.org/v2/SECRETKEY123', 'https://rpc2.example.org:8545/'],
};
/** Base with one RPC URL carrying a key in its query. */
export const base = {
  key: 'base',
  chainId: 8453,
  name: 'Base',
  class: 'op-stack',
  rpcUrls: ['https://base.example.com/?apikey=abc'],
};

/** Block `number` of {@link BIG_CHAIN}, seen `number - BIG_BLOCK` seconds after {@link NOW}. */
export const block = (number: number, over: Partial<BlockRecord> = {}): BlockRecord => ({
  chainId: BIG_CHAIN,
  number,
  hash: `0x${number.toString(16).padStart(64, '0')}`,
  parentHash: `0x${(number - 1).toString(16).padStart(64, '0')}`,
  timestamp: 1_790_000_000 + (number - BIG_BLOCK),
  txCount: 3,
  seenAt: NOW + (number - BIG_BLOCK) * 1000,
  ...over,
});
