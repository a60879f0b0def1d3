import { HlAllDexsAssetCtxsEvent, HlMetaAndAssetCtxs, HlPerpDexs } from '@perpscope/hyperliquid';
import fc from 'fast-check';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenDb, openDb } from '../../db/openDb.js';
import { hip3SamplesOf, listHip3Markets } from '../../db/queries/hip3.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { createPayloadCounters } from './payloadCounters.js';
import { createHip3Pipeline, readHlFixture } from './testFixtures.js';

const logger = pino({ level: 'silent' });
let open: OpenDb | null = null;
afterEach(() => open?.close());

const perpDexs = HlPerpDexs.parse(readHlFixture('info.perpDexs.mainnet.2025-12-13.json'));
const [meta, ctxs] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const keys = Object.keys(ctxs[0] as object);
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A value that is not a legal ctx field: what a broken or hostile upstream might send. */
const junk = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom('NaN', 'Infinity', '-', '', '1e9', '0x10', ' 1.0'),
  fc.string({ maxLength: 6 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

/** A row: either a recorded row with some fields broken, or something that is not a row at all. */
const row = fc.oneof(
  fc
    .tuple(
      fc.nat({ max: ctxs.length - 1 }),
      fc.dictionary(fc.constantFrom(...keys), junk, { maxKeys: 3 }),
    )
    .map(([i, broken]) => {
      const r: Record<string, unknown> = { ...(ctxs[i] as object), ...broken };
      for (const [k, v] of Object.entries(broken)) if (v === undefined) delete r[k];
      return r as unknown;
    }),
  fc.constantFrom(...ctxs),
  junk,
);

describe('HIP-3 engine under fuzzed payloads (fast-check over the recorded shapes)', () => {
  it('never throws, counts every rejected row and never stores a non-decimal value', async () => {
    open = openDb({ path: ':memory:' });
    let t = Date.UTC(2026, 1, 10, 15);
    const clock = { now: () => t };
    const counters = createPayloadCounters();
    const engine = createHip3Pipeline({
      store: createSqliteStore(open),
      eventLog: new EventLog({ store: createSqliteStore(open), clock, logger }),
      clock,
      logger,
      counters,
      dexFilter: ['xyz'],
      includeMainDex: false,
    });
    engine.applyPerpDexs(perpDexs);
    engine.applyMeta('xyz', meta);
    const n = meta.universe.length;
    let expectedRejected = 0;
    await fc.assert(
      fc.asyncProperty(
        // Mostly the universe's size (rows are matched to coins by position); otherwise any size,
        // which the engine must drop whole rather than mislabel.
        fc.oneof(
          { weight: 3, arbitrary: fc.array(row, { minLength: n, maxLength: n }) },
          { weight: 1, arbitrary: fc.array(row, { minLength: 0, maxLength: 120 }) },
        ),
        fc.constantFrom('xyz', 'unknown', ''),
        async (rows, dex) => {
          t += 1000;
          const frame = { ctxs: [[dex, rows]] };
          const env = HlAllDexsAssetCtxsEvent.safeParse(frame);
          expect(env.success).toBe(true);
          const r = engine.ingestFrame(env.data!, t);
          expect(r.accepted + r.rejected).toBe(dex === 'xyz' && rows.length === n ? n : 0);
          expect(r.dropped).toBe(dex === 'xyz' && rows.length !== n ? rows.length : 0);
          if (dex === 'xyz') expectedRejected += r.rejected;
          await expect(engine.tick()).resolves.toBeTypeOf('number');
        },
      ),
      { numRuns: 150 },
    );
    const snap = counters.snapshot();
    expect(snap['ws.ctxRow'] ?? 0).toBe(expectedRejected);
    expect(expectedRejected).toBeGreaterThan(0);
    for (const m of listHip3Markets(open.db)) {
      expect(['ok', 'watch', 'warn', 'critical', 'halted', 'unknown']).toContain(m.status);
      for (const s of hip3SamplesOf(open.db, m.coin)) {
        for (const v of [s.oraclePx, s.markPx, s.funding, s.openInterest, s.dayNtlVlm]) {
          expect(v).toMatch(DECIMAL);
        }
        if (s.midPx !== null) expect(s.midPx).toMatch(DECIMAL);
      }
    }
  });

  it('rejects a 20,000-row frame at the envelope, before any row is looked at', async () => {
    const huge = { ctxs: [['xyz', Array.from({ length: 20_000 }, () => ctxs[0])]] };
    expect(HlAllDexsAssetCtxsEvent.safeParse(huge).success).toBe(false);
  });
});
