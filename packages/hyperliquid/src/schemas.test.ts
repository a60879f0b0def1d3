import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { HlSubAccounts, HlUserVaultEquities } from './accountDiscoverySchemas.js';
import { firstIssue } from './createInfoClient.js';
import { HlSetOracleAction, HlUserDetails, parseSetOracleActionFast } from './explorerSchemas.js';
import {
  HlAllDexsAssetCtxsEvent,
  HlL2Book,
  HlMeta,
  HlMetaAndAssetCtxs,
  HlMetaAndValidAssetCtxs,
  HlPerpAssetCtx,
  HlPerpDexLimits,
  HlPerpDexs,
  HlPerpsAtOpenInterestCap,
  MAX_MARKETS_PER_DEX,
  parseAllDexsAssetCtxsEventFast,
  parsePerpAssetCtxFast,
} from './marketSchemas.js';
import {
  HlAccountMode,
  HlAllDexsClearinghouseStateEvent,
  HlClearinghouseState,
  HlSpotClearinghouseState,
} from './userSchemas.js';

/**
 * The shared recorded fixtures (`../shared/fixtures/hyperliquid/` beside the repository; the README
 * there names the public source of every file).
 */
const fixturesDir = fileURLToPath(
  new URL('../../../../shared/fixtures/hyperliquid/', import.meta.url),
);
const readFixture = (file: string): unknown =>
  JSON.parse(readFileSync(`${fixturesDir}${file}`, 'utf8'));

type Row = { schema: z.ZodType; pick?: (fixture: unknown) => unknown };
const at =
  (...path: (string | number)[]) =>
  (f: unknown) =>
    path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], f);

/** Every fixture a schema here describes (the payloads the watcher, extension and replay read). */
const ACCEPTED: Record<string, Row> = {
  'info.perpDexs.mainnet.2025-12-13.json': { schema: HlPerpDexs },
  'info.perpDexs.mainnet.2026-06-22.json': { schema: HlPerpDexs },
  'docs.info.perpDexs.json': { schema: HlPerpDexs },
  'info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json': { schema: HlMetaAndValidAssetCtxs },
  'info.metaAndAssetCtxs.main.mainnet.2026-02-06.json': { schema: HlMetaAndValidAssetCtxs },
  'docs.info.metaAndAssetCtxs.hip3-xyz.json': { schema: HlMetaAndValidAssetCtxs },
  'info.meta.main.mainnet.2025-12-13.json': { schema: HlMeta },
  'info.perpDexLimits.dex-xyz.mainnet.2025-12-13.json': { schema: HlPerpDexLimits },
  'docs.info.perpDexLimits.json': { schema: HlPerpDexLimits },
  'docs.info.perpsAtOpenInterestCap.json': { schema: HlPerpsAtOpenInterestCap },
  'info.l2Book.BTC.nSigFigs5.mainnet.2026-06.json': { schema: HlL2Book },
  'exchange.perpDeploy.setOracle.action-example.json': { schema: HlSetOracleAction },
  'info.clearinghouseState.empty.mainnet.2025-12-13.json': { schema: HlClearinghouseState },
  'info.clearinghouseState.cross-BTC-small.roq-test.2026-02-03.json': {
    schema: HlClearinghouseState,
  },
  'docs.info.clearinghouseState.isolated-ETH.json': { schema: HlClearinghouseState },
  'ws.activeAssetCtx.SOL.roq-test.json': { schema: HlPerpAssetCtx, pick: at('data', 'ctx') },
};

/** Fixtures a schema here must reject, and the path its first issue names. */
const REJECTED: Record<string, { schema: z.ZodType; path: string }> = {
  // README: the 2023 schema (no crossMaintenanceMarginUsed, no maxLeverage): not today's answer.
  'info.clearinghouseState.cross.mainnet.2023-03-27.json': {
    schema: HlClearinghouseState,
    path: 'assetPositions.0.position.maxLeverage',
  },
  // An illustration (README: its premiums are stale too) whose rows lack `dayBaseVlm`, which every
  // real capture carries.
  'docs.info.metaAndAssetCtxs.main.json': {
    schema: HlMetaAndValidAssetCtxs,
    path: '1.0.dayBaseVlm',
  },
};

/** Fixtures no code in this repository reads from Hyperliquid (no schema needed), and why. */
const NOT_READ: Record<string, string> = {
  'docs.info.activeAssetData.hip3-xyz.json': 'activeAssetData is not requested',
  'docs.info.activeAssetData.main.json': 'activeAssetData is not requested',
  'docs.info.allPerpMetas.json': 'allPerpMetas is not requested (meta per dex instead)',
  'docs.info.fundingHistory.hip3-xyz.json': 'fundingHistory is not requested',
  'docs.info.fundingHistory.main.json': 'fundingHistory is not requested',
  'info.fundingHistory.BTC.mainnet.2023-05.json': 'fundingHistory is not requested',
  'docs.info.meta.main.json': 'docs example without collateralToken; real meta is covered',
  'docs.info.perpDeployAuctionStatus.json': 'perpDeployAuctionStatus is not requested',
  'info.perpDeployAuctionStatus.mainnet.2025-12-13.json':
    'perpDeployAuctionStatus is not requested',
  'docs.info.perpDexStatus.json': 'perpDexStatus is not requested',
  'info.perpDexStatus.dex-xyz.mainnet.2025-12-13.json': 'perpDexStatus is not requested',
  'docs.info.predictedFundings.json': 'predictedFundings is not requested',
  'docs.info.userFunding.hip3-xyz.json': 'userFunding is not requested',
  'docs.info.userFunding.main.json': 'userFunding is not requested',
  'ws.userFundings.with-hip3-xyz.roq-test.json': 'userFundings is not subscribed',
  'docs.ws.frames.json': 'request frames (what we send), not answers',
  'info.allMids.main.mainnet.2023-07-17.json': 'allMids is not requested',
  'info.allMids.main.mainnet.2025-12-13.json': 'allMids is not requested',
  'exchange.perpDeploy.haltTrading.error.testnet.2025-12-18.json': 'exchange actions are not sent',
  'exchange.perpDeploy.registerAsset.error.testnet.json': 'exchange actions are not sent',
  'hydromancer.ws.setOracleUpdates.failed.json': 'third-party stream, not connected',
  'hydromancer.ws.setOracleUpdates.success.json': 'third-party stream, not connected',
  'node.hip3_oracle_updates.line.flx-NVDA.2025-11-23.json': 'node output, not read',
  'testvectors.funding-premium.json': 'derived math vectors',
  'testvectors.liquidation.isolated.freqtrade.json': 'derived math vectors',
};

describe('schemas against every recorded fixture (fixtures README names each source)', () => {
  it('every fixture file is either described by a schema or listed as not read', () => {
    const files = readdirSync(fixturesDir).filter((f) => f.endsWith('.json'));
    const known = new Set([
      ...Object.keys(ACCEPTED),
      ...Object.keys(REJECTED),
      ...Object.keys(NOT_READ),
    ]);
    expect(files.filter((f) => !known.has(f))).toEqual([]);
    expect([...known].filter((f) => !files.includes(f))).toEqual([]);
  });

  it.each(Object.entries(ACCEPTED))('accepts %s', (file, { schema, pick }) => {
    const fixture = readFixture(file);
    const result = schema.safeParse(pick ? pick(fixture) : fixture);
    expect(result.success ? 'ok' : firstIssue(result.error)).toBe('ok');
  });

  it.each(Object.entries(REJECTED))('rejects %s, naming the field', (file, { schema, path }) => {
    const result = schema.safeParse(readFixture(file));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toContain(path);
  });

  it('accepts every ctx row of the recorded metaAndAssetCtxs one by one, as the watcher reads them', () => {
    for (const f of [
      'info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json',
      'info.metaAndAssetCtxs.main.mainnet.2026-02-06.json',
    ]) {
      const [, rows] = HlMetaAndAssetCtxs.parse(readFixture(f));
      expect(rows.length).toBeGreaterThan(10);
      for (const r of rows) expect(HlPerpAssetCtx.safeParse(r).success).toBe(true);
    }
  });

  it('accepts the WS events built from recorded rows (allDexsAssetCtxs, allDexsClearinghouseState)', () => {
    const [, rows] = HlMetaAndAssetCtxs.parse(
      readFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
    );
    expect(HlAllDexsAssetCtxsEvent.safeParse({ ctxs: [['xyz', rows]] }).success).toBe(true);
    const state = readFixture('info.clearinghouseState.cross-BTC-small.roq-test.2026-02-03.json');
    const event = { user: `0x${'ab'.repeat(20)}`, clearinghouseStates: [['', state]] };
    expect(HlAllDexsClearinghouseStateEvent.safeParse(event).success).toBe(true);
  });

  it('accepts the userDetails shape the SDK types (ExplorerTransaction)', () => {
    const body = {
      type: 'userDetails',
      txs: [
        {
          action: readFixture('exchange.perpDeploy.setOracle.action-example.json'),
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
  readFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const goodRow = xyz[1][0] as Record<string, unknown>;
const ctxKeys = Object.keys(goodRow);
const state = readFixture(
  'info.clearinghouseState.cross-BTC-small.roq-test.2026-02-03.json',
) as Record<string, unknown>;

/** The first issue of `schema` on `value`, as `path: message`; 'ok' when it passes. */
const issueOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? 'ok' : firstIssue(r.error);
};

describe('bad payloads are rejected with an issue naming the field', () => {
  it('a number where HL sends a decimal string, NaN/Infinity strings, exponents, a missing field', () => {
    expect(issueOf(HlPerpAssetCtx, { ...goodRow, oraclePx: 24657 })).toMatch(/^oraclePx: /);
    expect(issueOf(HlPerpAssetCtx, { ...goodRow, markPx: 'NaN' })).toBe(
      'markPx: expected a decimal string',
    );
    expect(issueOf(HlPerpAssetCtx, { ...goodRow, markPx: 'Infinity' })).toMatch(/^markPx: /);
    expect(issueOf(HlPerpAssetCtx, { ...goodRow, funding: '1e-5' })).toMatch(/^funding: /);
    const { funding: _f, ...missing } = goodRow;
    expect(issueOf(HlPerpAssetCtx, missing)).toMatch(/^funding: /);
  });

  it('a bad row in a validated metaAndAssetCtxs is named by its index', () => {
    const rows = [...xyz[1]];
    rows[7] = { ...goodRow, premium: 0.0001 };
    expect(issueOf(HlMetaAndValidAssetCtxs, [xyz[0], rows])).toMatch(/^1\.7\.premium: /);
    // The per-row form keeps the answer (the row is checked on its own).
    expect(issueOf(HlMetaAndAssetCtxs, [xyz[0], rows])).toBe('ok');
  });

  it('a bad position field in clearinghouseState names its full path', () => {
    const positions = state.assetPositions as { position: Record<string, unknown> }[];
    const bad = {
      ...state,
      assetPositions: [{ ...positions[0], position: { ...positions[0]?.position, szi: 0.5 } }],
    };
    expect(issueOf(HlClearinghouseState, bad)).toMatch(/^assetPositions\.0\.position\.szi: /);
    const noMargin = { ...state, marginSummary: { accountValue: '1' } };
    expect(issueOf(HlClearinghouseState, noMargin)).toMatch(/^marginSummary\.totalNtlPos: /);
    expect(issueOf(HlClearinghouseState, [])).toMatch(/^\(root\): /);
  });

  it('unknown extra fields are tolerated and kept on the loose state schemas', () => {
    const parsed = HlClearinghouseState.parse({ ...state, somethingNew: 1 });
    expect(parsed).toHaveProperty('somethingNew', 1);
    expect(parsed).toHaveProperty('withdrawable', '174.241191');
  });

  it('a bad account mode, a spot balance without a total, a perpDex with a bad address', () => {
    // A mode HL adds later passes by name (readers say they do not handle it); junk does not.
    expect(issueOf(HlAccountMode, 'unifiedAccount')).toBe('ok');
    expect(issueOf(HlAccountMode, 'someFutureMode')).toBe('ok');
    expect(issueOf(HlAccountMode, 'x'.repeat(41))).toMatch(/^\(root\): /);
    expect(issueOf(HlAccountMode, { mode: 'default' })).toMatch(/^\(root\): /);
    expect(
      issueOf(HlSpotClearinghouseState, { balances: [{ coin: 'USDC', token: 0, hold: '0.0' }] }),
    ).toMatch(/^balances\.0\.total: /);
    const dexs = readFixture('info.perpDexs.mainnet.2025-12-13.json') as unknown[];
    const broken = [...dexs];
    broken[1] = { ...(dexs[1] as object), deployer: '0x12' };
    expect(issueOf(HlPerpDexs, broken)).toBe('1.deployer: expected a 0x address');
  });

  it('account discovery: a sub-account without an address, a vault equity as a number', () => {
    // No recorded answers exist (fixtures README); shapes from the SDK's response types.
    expect(issueOf(HlSubAccounts, null)).toBe('ok');
    expect(issueOf(HlSubAccounts, [{ name: 'Basis' }])).toMatch(/^0\.subAccountUser: /);
    const vault = `0x${'c3'.repeat(20)}`;
    expect(issueOf(HlUserVaultEquities, [{ vaultAddress: vault, equity: '1234.5' }])).toBe('ok');
    expect(issueOf(HlUserVaultEquities, [{ vaultAddress: vault, equity: 1234.5 }])).toMatch(
      /^0\.equity: /,
    );
  });

  it('never accepts a ctx row in which any field was replaced by a non-decimal (fast-check)', () => {
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
    expect(issueOf(HlAllDexsAssetCtxsEvent, huge)).toMatch(/^ctxs\.0\.1: /);
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
      const [, rows] = HlMetaAndAssetCtxs.parse(readFixture(f));
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

describe('parseSetOracleActionFast (the hot-path check) agrees with HlSetOracleAction', () => {
  const example = readFixture('exchange.perpDeploy.setOracle.action-example.json') as {
    setOracle: Record<string, unknown>;
  };
  const agree = (action: unknown) => {
    const slow = HlSetOracleAction.safeParse(action);
    expect(parseSetOracleActionFast(action)).toEqual(slow.success ? slow.data : null);
  };
  const withSetOracle = (edit: Record<string, unknown>) => ({
    ...example,
    setOracle: { ...example.setOracle, ...edit },
  });

  it('on the recorded action (exchange.perpDeploy.setOracle.action-example.json), extra keys dropped', () => {
    expect(parseSetOracleActionFast(example)).not.toBeNull();
    agree(example);
    const { externalPerpPxs: _, ...withoutExternal } = example.setOracle;
    agree({ ...example, setOracle: withoutExternal });
    const extra = { ...withSetOracle({ somethingNew: 1 }), alsoNew: 2 };
    agree(extra);
    expect(parseSetOracleActionFast(extra)).not.toHaveProperty('alsoNew');
    expect(parseSetOracleActionFast(extra)?.setOracle).not.toHaveProperty('somethingNew');
  });

  it('on lists at and over their caps (one dex of markets, two mark lists)', () => {
    const full = Array.from({ length: MAX_MARKETS_PER_DEX }, (_, i) => [`t:C${i}`, '1.5']);
    const over = [...full, ['t:X', '2']];
    for (const key of ['oraclePxs', 'externalPerpPxs']) {
      agree(withSetOracle({ [key]: full }));
      agree(withSetOracle({ [key]: over }));
    }
    agree(withSetOracle({ markPxs: [full, full] }));
    agree(withSetOracle({ markPxs: [full, over] }));
    agree(withSetOracle({ markPxs: [[], [], []] }));
    expect(parseSetOracleActionFast(withSetOracle({ oraclePxs: over }))).toBeNull();
  });

  it('on every kind of malformed pair, in every list', () => {
    const good = ['t:A', '1.5'];
    const pairs: unknown[] = [
      good,
      [5, '1.0'],
      ['t:A', 1.5],
      ['t:A', '1.'],
      ['t:A', 'NaN'],
      ['t:A', ' 1'],
      ['t:A', '9'.repeat(65)],
      ['t:A', '1.0', 'extra'],
      ['t:A'],
      [],
      null,
      't:A,1.0',
      { 0: 't:A', 1: '1.0' },
    ];
    for (const p of pairs) {
      const list = [good, p];
      agree(withSetOracle({ oraclePxs: list }));
      agree(withSetOracle({ externalPerpPxs: list }));
      agree(withSetOracle({ markPxs: [list] }));
      agree(withSetOracle({ markPxs: [[good], list] }));
    }
  });

  it('on actions with any part replaced by anything (fast-check)', () => {
    const pair = fc.oneof(
      fc.tuple(fc.string({ maxLength: 8 }), fc.stringMatching(/^-?\d{1,5}(\.\d{1,5})?$/)),
      fc.tuple(fc.string({ maxLength: 4 }), fc.constantFrom('1.', 'NaN', ' 1', '9'.repeat(65))),
      fc.tuple(fc.integer(), fc.constant('1.0')),
      fc.constant(['t:A', '1.0', 'extra']),
      fc.constant(['t:A']),
      fc.constant(null),
      fc.constant('t:A,1.0'),
    );
    const list = fc.oneof(fc.array(pair, { maxLength: 4 }), fc.constant(null), fc.string());
    const value = fc.oneof(
      list,
      fc.array(list, { maxLength: 3 }),
      fc.constant(undefined),
      fc.constant(null),
      fc.constant('perpDeploy'),
      fc.integer(),
    );
    const keys = ['type', 'setOracle', 'dex', 'oraclePxs', 'markPxs', 'externalPerpPxs'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...keys), value), { minLength: 1, maxLength: 3 }),
        (edits) => {
          const action: Record<string, unknown> = { ...example };
          const setOracle: Record<string, unknown> = { ...example.setOracle };
          action.setOracle = setOracle;
          for (const [key, v] of edits) {
            const target = key === 'type' || key === 'setOracle' ? action : setOracle;
            if (v === undefined) delete target[key];
            else target[key] = v;
          }
          agree(action);
        },
      ),
      { numRuns: 3000 },
    );
    for (const notObject of [null, 1, 'x', [], [example]]) agree(notObject);
  });
});

describe('parseAllDexsAssetCtxsEventFast (the frame envelope check) agrees with HlAllDexsAssetCtxsEvent', () => {
  const agree = (data: unknown) => {
    const slow = HlAllDexsAssetCtxsEvent.safeParse(data);
    expect(parseAllDexsAssetCtxsEventFast(data)).toEqual(slow.success ? slow.data : null);
  };
  const [, xyzRows] = HlMetaAndAssetCtxs.parse(
    readFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
  );
  const [, mainRows] = HlMetaAndAssetCtxs.parse(
    readFixture('info.metaAndAssetCtxs.main.mainnet.2026-02-06.json'),
  );

  it('on frames built from the recorded rows (xyz + main, 2026-02-06), extra keys dropped', () => {
    const frame = {
      ctxs: [
        ['', mainRows],
        ['xyz', xyzRows],
      ],
    };
    expect(parseAllDexsAssetCtxsEventFast(frame)).not.toBeNull();
    agree(frame);
    agree({ ...frame, somethingNew: 1 });
    expect(parseAllDexsAssetCtxsEventFast({ ...frame, somethingNew: 1 })).not.toHaveProperty(
      'somethingNew',
    );
    agree({ ctxs: [] });
    // Rows are not checked here (each is checked on its own downstream), as in the schema.
    agree({ ctxs: [['xyz', [null, 'x', 1]]] });
  });

  it('on every kind of malformed envelope, and at and over each cap', () => {
    const rows = (n: number) => Array.from({ length: n }, () => ({}));
    const entries: unknown[] = [
      ['xyz', []],
      ['x'.repeat(16), []],
      ['x'.repeat(17), []],
      [1, []],
      [null, []],
      ['xyz'],
      ['xyz', [], 'extra'],
      ['xyz', null],
      ['xyz', 'rows'],
      ['xyz', { 0: {} }],
      ['xyz', rows(MAX_MARKETS_PER_DEX)],
      ['xyz', rows(MAX_MARKETS_PER_DEX + 1)],
      null,
      'xyz',
      {},
    ];
    for (const e of entries) agree({ ctxs: [['', []], e] });
    agree({ ctxs: Array.from({ length: 1000 }, () => ['d', []]) });
    agree({ ctxs: Array.from({ length: 1001 }, () => ['d', []]) });
    for (const notFrame of [null, 1, 'x', [], {}, { ctxs: null }, { ctxs: {} }, [{ ctxs: [] }]])
      agree(notFrame);
  });
});
