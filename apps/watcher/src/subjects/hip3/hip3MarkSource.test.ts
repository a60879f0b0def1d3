import { HlMetaAndAssetCtxs, HlPerpDexs } from '@perpscope/hyperliquid';
import { describe, expect, it } from 'vitest';
import { createHip3Markets } from './hip3Markets.js';
import { hip3MarkSource } from './hip3MarkSource.js';
import { createPayloadCounters } from './payloadCounters.js';
import { readHlFixture } from './testFixtures.js';

// Recorded answers (../shared/fixtures/hyperliquid/, README there names their source).
const perpDexs = HlPerpDexs.parse(readHlFixture('info.perpDexs.mainnet.2025-12-13.json'));
const [meta, ctxs] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
);
const TSLA = meta.universe[1]!.name;
const [mainMeta, mainCtxs] = HlMetaAndAssetCtxs.parse(
  readHlFixture('info.metaAndAssetCtxs.main.mainnet.2026-02-06.json'),
);

function markets(includeMainDex = false) {
  const now = { t: 1_000 };
  const m = createHip3Markets({
    clock: { now: () => now.t },
    logger: { warn() {}, error() {}, info() {}, debug() {} } as never,
    counters: createPayloadCounters(),
    dexFilter: ['xyz'],
    includeMainDex,
  });
  m.applyPerpDexs(perpDexs);
  return { m, now };
}

describe('hip3MarkSource (the HIP-3 watch’s marks for the position guard)', () => {
  it('answers the latest ctx mark of a watched market with its receive time and path', () => {
    const { m } = markets();
    const source = hip3MarkSource(m);
    expect(source.markOf(TSLA)).toBeNull(); // no sample yet
    m.applyMeta('xyz', meta, ctxs, 1_000); // the REST fallback (metaAndAssetCtxs)
    expect(source.markOf(TSLA)).toEqual({
      markPx: (ctxs[1] as { markPx: string }).markPx,
      receivedMs: 1_000,
      via: 'rest',
    });
    const moved = ctxs.map((r, i) => (i === 1 ? { ...(r as object), markPx: '401.5' } : r));
    m.ingestFrame({ ctxs: [['xyz', moved]] }, 2_000);
    expect(source.markOf(TSLA)).toEqual({ markPx: '401.5', receivedMs: 2_000, via: 'ws' });
    // An older frame replayed after a reconnect does not move it back.
    m.ingestFrame({ ctxs: [['xyz', ctxs]] }, 1_500);
    expect(source.markOf(TSLA)?.markPx).toBe('401.5');
  });

  it('has no mark inside a stream gap, nor for a market it does not watch (main dex off by default)', () => {
    const { m } = markets();
    const source = hip3MarkSource(m);
    m.applyMeta('xyz', meta, ctxs, 1_000);
    m.markGap(1_000, 5_000, 'ws-silent');
    expect(source.markOf(TSLA)).toBeNull();
    m.ingestFrame({ ctxs: [['xyz', ctxs]] }, 6_000);
    expect(source.markOf(TSLA)?.receivedMs).toBe(6_000);
    expect(source.markOf('BTC')).toBeNull();
    expect(source.markOf('flx:GOLD')).toBeNull();
  });

  it('covers the main dex (BTC…) only with includeMainDex', () => {
    const { m } = markets(true);
    const source = hip3MarkSource(m);
    const btc = mainMeta.universe.findIndex((u) => u.name === 'BTC');
    expect(btc).toBeGreaterThanOrEqual(0);
    m.applyMeta('', mainMeta, mainCtxs, 3_000);
    expect(source.markOf('BTC')).toEqual({
      markPx: (mainCtxs[btc] as { markPx: string }).markPx,
      receivedMs: 3_000,
      via: 'rest',
    });
    m.ingestFrame({ ctxs: [['', mainCtxs]] }, 4_000);
    expect(source.markOf('BTC')).toMatchObject({ receivedMs: 4_000, via: 'ws' });
    // Without it the stream's main-dex rows are skipped (the loop never asks the main dex's meta).
    const off = markets(false).m;
    off.ingestFrame({ ctxs: [['', mainCtxs]] }, 4_000);
    expect(hip3MarkSource(off).markOf('BTC')).toBeNull();
  });
});
