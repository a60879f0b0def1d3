import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HlAllDexsAssetCtxsEvent,
  HlL2Book,
  HlMetaAndAssetCtxs,
  HlPerpAssetCtx,
  HlPerpDexLimits,
  HlPerpDexs,
  HlPerpsAtOpenInterestCap,
  HlSetOracleAction,
  HlUserDetails,
  parsePerpAssetCtxFast,
} from './hlSchemas.js';
import { readHlFixture } from './testFixtures.js';

describe('HL schemas accept every recorded payload (fixtures README names their sources)', () => {
  it.each([
    ['info.perpDexs.mainnet.2025-12-13.json', HlPerpDexs],
    ['info.perpDexs.mainnet.2026-06-22.json', HlPerpDexs],
    ['docs.info.perpDexs.json', HlPerpDexs],
    ['info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json', HlMetaAndAssetCtxs],
    ['info.metaAndAssetCtxs.main.mainnet.2026-02-06.json', HlMetaAndAssetCtxs],
    ['docs.info.metaAndAssetCtxs.hip3-xyz.json', HlMetaAndAssetCtxs],
    ['info.perpDexLimits.dex-xyz.mainnet.2025-12-13.json', HlPerpDexLimits],
    ['docs.info.perpDexLimits.json', HlPerpDexLimits],
    ['docs.info.perpsAtOpenInterestCap.json', HlPerpsAtOpenInterestCap],
    ['info.l2Book.BTC.nSigFigs5.mainnet.2026-06.json', HlL2Book],
    ['exchange.perpDeploy.setOracle.action-example.json', HlSetOracleAction],
  ] as const)('%s', (file, schema) => {
    expect(schema.safeParse(readHlFixture(file)).error).toBeUndefined();
  });

  it('accepts every ctx row of the recorded metaAndAssetCtxs and the WS activeAssetCtx frame', () => {
    for (const f of [
      'info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json',
      'info.metaAndAssetCtxs.main.mainnet.2026-02-06.json',
    ]) {
      const [, rows] = HlMetaAndAssetCtxs.parse(readHlFixture(f));
      for (const r of rows) expect(HlPerpAssetCtx.safeParse(r).success).toBe(true);
    }
    const frame = readHlFixture('ws.activeAssetCtx.SOL.roq-test.json') as {
      data: { ctx: unknown };
    };
    expect(HlPerpAssetCtx.safeParse(frame.data.ctx).success).toBe(true);
  });

  it('accepts the userDetails shape the SDK types (ExplorerTransaction)', () => {
    const body = {
      type: 'userDetails',
      txs: [
        {
          action: readHlFixture('exchange.perpDeploy.setOracle.action-example.json'),
          block: 1,
          error: null,
          hash: `0x${'ab'.repeat(32)}`,
          time: 1,
          user: `0x${'cd'.repeat(20)}`,
        },
      ],
    };
    expect(HlUserDetails.safeParse(body).success).toBe(true);
  });
});

const xyz = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const goodRow = xyz[1][0] as Record<string, unknown>;
const ctxKeys = Object.keys(goodRow);

describe('HlPerpAssetCtx rejects what is not truth', () => {
  it('rejects numbers instead of strings, NaN/Infinity strings and missing fields, naming the field', () => {
    const r1 = HlPerpAssetCtx.safeParse({ ...goodRow, oraclePx: 24657 });
    expect(r1.error?.issues[0]?.path).toEqual(['oraclePx']);
    expect(HlPerpAssetCtx.safeParse({ ...goodRow, markPx: 'NaN' }).success).toBe(false);
    expect(HlPerpAssetCtx.safeParse({ ...goodRow, markPx: 'Infinity' }).success).toBe(false);
    const { funding: _f, ...missing } = goodRow;
    expect(HlPerpAssetCtx.safeParse(missing).error?.issues[0]?.path).toEqual(['funding']);
  });

  it('never accepts a row in which any field was replaced by a non-decimal (fast-check)', () => {
    const junk = fc.oneof(
      fc.double(),
      fc.constant('NaN'),
      fc.constant(''),
      fc.constant('1e5'),
      fc.string({ maxLength: 4 }).filter((s) => !/^-?\d+(\.\d+)?$/.test(s)),
      fc.constant(undefined),
      fc.array(fc.integer(), { maxLength: 3 }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...ctxKeys), junk, (key, value) => {
        const row = { ...goodRow, [key]: value };
        if (value === undefined) delete row[key];
        // null is legal only for premium/midPx/impactPxs; none of the junk values is null.
        expect(HlPerpAssetCtx.safeParse(row).success).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects oversized arrays before looking at rows', () => {
    const huge = { ctxs: [['xyz', Array.from({ length: 20_000 }, () => goodRow)]] };
    expect(HlAllDexsAssetCtxsEvent.safeParse(huge).success).toBe(false);
  });
});

describe('parsePerpAssetCtxFast (the hot-path check) agrees with HlPerpAssetCtx', () => {
  const agree = (row: unknown) => {
    const slow = HlPerpAssetCtx.safeParse(row);
    expect(parsePerpAssetCtxFast(row)).toEqual(slow.success ? slow.data : null);
  };

  it('on every recorded ctx row (info.metaAndAssetCtxs xyz + main, 2026-02-06)', () => {
    for (const f of [
      'info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json',
      'info.metaAndAssetCtxs.main.mainnet.2026-02-06.json',
    ]) {
      const [, rows] = HlMetaAndAssetCtxs.parse(readHlFixture(f));
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) {
        expect(parsePerpAssetCtxFast(r)).not.toBeNull();
        agree(r);
      }
    }
    // Extra fields are dropped, as zod drops them.
    agree({ ...goodRow, somethingNew: '1' });
    expect(parsePerpAssetCtxFast({ ...goodRow, somethingNew: '1' })).not.toHaveProperty(
      'somethingNew',
    );
  });

  it('on rows with any field replaced by anything (fast-check)', () => {
    const value = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.constant('NaN'),
      fc.constant('-0.5'),
      fc.constant('12'),
      fc.constant('1.'),
      fc.constant(` 1.0`),
      fc.constant('9'.repeat(64)),
      fc.constant('9'.repeat(65)),
      fc.double(),
      fc.string({ maxLength: 6 }),
      fc.stringMatching(/^-?\d{1,5}(\.\d{1,5})?$/),
      fc.array(fc.oneof(fc.stringMatching(/^\d{1,4}\.\d{1,3}$/), fc.constant('x'), fc.integer()), {
        maxLength: 3,
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...ctxKeys), value), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const row: Record<string, unknown> = { ...goodRow };
          for (const [key, v] of edits) {
            if (v === undefined) delete row[key];
            else row[key] = v;
          }
          agree(row);
        },
      ),
      { numRuns: 2000 },
    );
    for (const notObject of [null, 1, 'x', [], [goodRow]]) agree(notObject);
  });
});
