import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainDetail, IncidentList } from '@perpscope/schemas';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEventOfKind } from '../src/events/eventLog.js';
import {
  type DevnetWatcher,
  startDevnetWatcher,
  statusEvents,
  waitFor,
} from './support/devnetWatcher.js';

/*
 * Integration against real anvil chains from @perpscope/devnet, all watched by one watcher and
 * exercised concurrently. Thresholds are the compressed devnet ones (src/demo/devnetChainEntry.ts):
 * 1 s chains degrade after 3 s and halt after 6 s without a new head; the tx-driven chain after 5 s /
 * 10 s plus a failed probe. Detection latency is asserted against threshold + one poll interval +
 * TOLERANCE_MS (a loaded 2-core machine), never exact times.
 */
const POLL_MS = 250;
const GRACE_S = 4;
const TOLERANCE_MS = 2000;

let dw: DevnetWatcher;
const dbPath = join(mkdtempSync(join(tmpdir(), 'perpscope-seq-')), 'w.db');
const detail = (chainId: number) => dw.get<ChainDetail>(`/v1/chains/${chainId}`);

async function directBlockNumber(url: string): Promise<number> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
  });
  return Number.parseInt(((await res.json()) as { result: string }).result, 16);
}

beforeAll(async () => {
  dw = await startDevnetWatcher({
    specs: [
      { name: 'halt-op', chainId: 1001, blockTime: 1 },
      { name: 'halt-nitro', chainId: 1002, blockTime: 'tx-driven' },
      { name: 'reorg', chainId: 1003, blockTime: 1 },
      { name: 'safe', chainId: 1004, blockTime: 1 },
      { name: 'quorum', chainId: 1005, blockTime: 1 },
      { name: 'feed', chainId: 1006, blockTime: 1 },
      { name: 'slow', chainId: 1007, blockTime: 1 },
    ],
    timing: { pollIntervalMs: POLL_MS, graceSeconds: GRACE_S },
    dbPath,
  });
  await waitFor(
    'every chain up',
    async () => {
      const { chains } = await dw.get<{ chains: { status: string }[] }>('/v1/chains');
      return chains.every((c) => c.status === 'up');
    },
    30_000,
  );
}, 60_000);

afterAll(async () => {
  await dw?.stop();
});

describe.concurrent('sequencer liveness on devnet chains', () => {
  it('interval chain: halt → degraded → halted within threshold + one poll, resume → recovering → up', async () => {
    const c = dw.chain('halt-op');
    const id = c.chainId;
    await c.halt();
    const t0 = Date.now();
    const find = (to: string) => () =>
      statusEvents(dw.events, id).find((e) => e.to === to && e.at >= t0 - 1000);
    const degraded = await waitFor(
      'degraded',
      find('degraded'),
      3000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    const halted = await waitFor('halted', find('halted'), 6000 + POLL_MS + TOLERANCE_MS + 1000);
    // The last block came at most one block time (1 s) before halt() resolved.
    expect(degraded.at - t0).toBeGreaterThanOrEqual(3000 - 1000 - 50);
    expect(degraded.at - t0).toBeLessThanOrEqual(3000 + POLL_MS + TOLERANCE_MS);
    expect(halted.at - t0).toBeGreaterThanOrEqual(6000 - 1000 - 50);
    expect(halted.at - t0).toBeLessThanOrEqual(6000 + POLL_MS + TOLERANCE_MS);
    const during = await detail(id);
    expect(during.phase).toBe('halted');
    expect(during.guidance.length).toBeGreaterThan(0);
    expect(during.reasons[0]).toMatch(/^no new block for/);

    await c.resume();
    const t1 = Date.now();
    const recovering = await waitFor(
      'recovering',
      find('recovering'),
      1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(recovering.at - t1).toBeLessThanOrEqual(1000 + POLL_MS + TOLERANCE_MS);
    const up = await waitFor(
      'up again',
      () => statusEvents(dw.events, id).find((e) => e.to === 'up' && e.at > recovering.at),
      GRACE_S * 1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(up.at - recovering.at).toBeGreaterThanOrEqual(GRACE_S * 1000 - 50);

    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=sequencer`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ state: 'closed', severity: 'critical' });
    expect(items[0]?.peak.maxSecondsSinceNewHead).toBeGreaterThanOrEqual(6);
    expect(items[0]?.context.lastBlockBefore).toBeTruthy();
    expect(items[0]?.context.firstBlockAfter).toBeTruthy();
  });

  it('slow blocks: fewer than 60 % of the expected blocks over the window → degraded (op-conductor rule), normal again → up', async () => {
    const c = dw.chain('slow');
    const id = c.chainId;
    // 2 s gaps: 6 of 12 expected blocks, under 60 %, and under the 3 s "no new head" threshold, so
    // the expected-vs-observed rule is the one that fires. The watcher reads a gap as up to gap +
    // one poll (250 ms) + the RPC round trip + the producer's timer slip (its timer runs on this
    // test process's event loop); on a loaded CI machine one gap was read as 3.2 s and the chain
    // went degraded with "no new block for 3.2 s" first — a true reading of a slowed stand-in. So
    // the test waits for the slow-blocks reading itself (the next head moves the chain onto it)
    // instead of taking the first degraded transition as that reading.
    await c.slowBlocks(2);
    const t0 = Date.now();
    const windowMs = 12_000;
    const slow = /^slow blocks: \d+ of \d+ expected/;
    const d = await waitFor(
      'degraded by slow blocks',
      async () => {
        const now = await detail(id);
        return now.status === 'degraded' && slow.test(now.reasons[0] ?? '') ? now : undefined;
      },
      windowMs + POLL_MS + TOLERANCE_MS + 2000 + 1000,
    );
    // Within the window + one poll + tolerance + one 2 s gap (a head read as a stall first).
    expect(Date.now() - t0).toBeLessThanOrEqual(windowMs + POLL_MS + TOLERANCE_MS + 2000);
    expect(d.phase).toBe('pre-halt');
    expect(d.blockGap.observedBlocks).toBeLessThan(0.6 * d.blockGap.expectedBlocks!);
    expect(
      statusEvents(dw.events, id)
        .filter((e) => e.at >= t0)
        .map((e) => e.to),
    ).not.toContain('halted');
    await c.slowBlocks(1);
    await waitFor(
      'up again',
      async () => (await detail(id)).status === 'up',
      windowMs + TOLERANCE_MS,
    );
  });

  it('tx-driven chain: halted only once the invalid-tx probe fails (the proxies hold eth_sendRawTransaction)', async () => {
    const c = dw.chain('halt-nitro');
    const id = c.chainId;
    const before = await detail(id);
    expect(before.probe.enabled).toBe(true);
    await c.halt();
    const t0 = Date.now();
    const find = (to: string) => () =>
      statusEvents(dw.events, id).find((e) => e.to === to && e.at >= t0 - 1500);
    const degraded = await waitFor(
      'degraded',
      find('degraded'),
      5000 + POLL_MS + TOLERANCE_MS + 1500,
    );
    // Halt needs the threshold plus one probe timeout (the held request) on top of a poll.
    const probeTimeoutMs = 1000; // devnetChainEntry rpcTimeoutMs
    const halted = await waitFor(
      'halted',
      find('halted'),
      10_000 + POLL_MS + probeTimeoutMs + TOLERANCE_MS + 1500,
    );
    expect(degraded.at - t0).toBeLessThanOrEqual(5000 + POLL_MS + probeTimeoutMs + TOLERANCE_MS);
    expect(halted.at - t0).toBeLessThanOrEqual(10_000 + POLL_MS + probeTimeoutMs + TOLERANCE_MS);
    const during = await detail(id);
    expect(during.probe.lastResult).toBe('failed');
    expect(during.reasons.join(' ')).toMatch(/invalid-tx probe failed/);
    await c.resume();
    await waitFor('recovering', find('recovering'), 3000 + TOLERANCE_MS).catch((e) => {
      throw new Error(`${e}; statuses: ${JSON.stringify(statusEvents(dw.events, id))}`);
    });
  });

  it('reorgs of depth 1 and 3 are detected with the right depth and the replaced blocks kept as non-canonical', async () => {
    const c = dw.chain('reorg');
    const id = c.chainId;
    // Slow blocks leave a quiet window after each block in which the reorg can't race a new one.
    await c.slowBlocks(4);
    for (const depth of [1, 3]) {
      const start = await directBlockNumber(c.directRpcUrl);
      const head = await waitFor(
        'a fresh block',
        async () => {
          const n = await directBlockNumber(c.directRpcUrl);
          return n > start ? n : undefined;
        },
        10_000,
        50,
      );
      await waitFor(
        'the watcher at the same head',
        async () => (await detail(id)).head?.number === head || undefined,
        2000,
        50,
      );
      const t0 = Date.now();
      await c.reorg(depth);
      const ev = await waitFor(
        `reorg event of depth ${depth}`,
        () =>
          dw.events
            .filter(isEventOfKind('chain.reorg'))
            .find((e) => e.subject.id === String(id) && e.at >= t0),
        POLL_MS + TOLERANCE_MS + 1000,
      );
      expect(ev.payload.depth).toBe(depth);
      expect(ev.payload.fromNumber).toBe(head - depth + 1);
      expect(ev.at - t0).toBeLessThanOrEqual(POLL_MS + TOLERANCE_MS);
      expect((await detail(id)).flags.reorg).toBe(true);
    }
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=reorg`);
    expect(items[0]?.peak.maxReorgDepth).toBe(3);
    // A second, read-only connection (WAL allows it) sees the replaced blocks kept as non-canonical.
    const ro = new Database(dbPath, { readonly: true });
    const { n } = ro
      .prepare('select count(*) as n from blocks where chain_id = ? and canonical = 0')
      .get(id) as { n: number };
    ro.close();
    expect(n).toBe(4);
    await c.slowBlocks(1);
  });

  it('safe-head stall raises safeLagWarn then safeLagCrit while the head advances and the status stays up; empty blocks are counted', async () => {
    const c = dw.chain('safe');
    const id = c.chainId;
    const before = await detail(id);
    expect(before.flags.safeLagWarn).toBe(false);
    // The safe tag trails by 10 blocks; it is read every 900 ms here (1/20 of the warn threshold)
    // and the head every poll, so between reads it shows one block more, two after a failed read.
    expect(before.safe?.lagBlocks).toBeGreaterThanOrEqual(10);
    expect(before.safe?.lagBlocks).toBeLessThanOrEqual(12);
    // The stall lands between these two times: the lower bound below counts from the earliest
    // (the RPC calls themselves take a while on a loaded machine), the upper ones from the latest.
    const beforeStall = Date.now();
    await c.stallSafeHead();
    await c.emptyBlocks(true);
    const t0 = Date.now();
    const flagAt = (flag: 'safeLagWarn' | 'safeLagCrit') => () =>
      dw.events.find(
        (e) =>
          e.kind === 'chain.flags' &&
          e.subject.id === String(id) &&
          (e.payload.flags as Record<string, boolean>)[flag],
      );
    // Safe trails by 10 one-second blocks; warn/crit are 18/30 s of safe age: 8/20 s after the stall.
    const warn = await waitFor(
      'safeLagWarn',
      flagAt('safeLagWarn'),
      8000 + POLL_MS + TOLERANCE_MS + 1500,
    );
    const crit = await waitFor(
      'safeLagCrit',
      flagAt('safeLagCrit'),
      20_000 + POLL_MS + TOLERANCE_MS + 1500,
    );
    // The pinned safe block is already 10–12 s old at the stall (whole-second timestamps).
    expect(warn.at - beforeStall).toBeGreaterThanOrEqual(8000 - 3000);
    expect(warn.at - t0).toBeLessThanOrEqual(8000 + POLL_MS + TOLERANCE_MS + 1000);
    expect(crit.at - t0).toBeLessThanOrEqual(20_000 + POLL_MS + TOLERANCE_MS + 1000);
    const during = await detail(id);
    expect(during.status).toBe('up');
    expect(during.head!.number).toBeGreaterThan(before.head!.number + 15);
    expect(during.safe!.lagBlocks).toBeGreaterThan(20);
    // Safe lag alone never degrades the chain (a transient `unknown` would be the loaded machine).
    const after = statusEvents(dw.events, id).filter((e) => e.at >= t0);
    expect(after.filter((e) => e.to !== 'up' && e.to !== 'unknown')).toEqual([]);
    expect(during.blockGap.emptyBlocks).toBeGreaterThanOrEqual(5);
    const { items } = await dw.get<IncidentList>(
      `/v1/incidents?subjectId=${id}&kind=safe-lag&state=open`,
    );
    expect(items[0]?.severity).toBe('critical');

    await c.releaseSafeHead();
    await c.emptyBlocks(false);
    await waitFor(
      'safe-lag flags cleared',
      async () => {
        const d = await detail(id);
        return !d.flags.safeLagWarn && !d.flags.safeLagCrit;
      },
      POLL_MS + TOLERANCE_MS + 1000,
    );
  });

  it('quorum: a stale or garbage RPC is marked and ignored; all failing → unknown, never up', async () => {
    const c = dw.chain('quorum');
    const id = c.chainId;
    c.setRpcFault(0, 'stale');
    c.setRpcFault(1, 'garbage');
    await waitFor(
      'RPC 0 lagging and RPC 1 failing',
      async () => {
        const d = await detail(id);
        return d.rpcs[0]?.health === 'lagging' && d.rpcs[1]?.health === 'failing' ? d : undefined;
      },
      8000,
    );
    const d = await detail(id);
    expect(d.status).toBe('up');
    expect(d.rpcs[2]?.health).toBe('healthy');
    expect(d.rpcs[1]?.consecutiveFailures).toBeGreaterThan(0);
    // Garbage is rejected by schema and counted, never believed (SPEC §7).
    expect(d.rpcs[1]?.lastError).toBe('malformed json payload');
    expect(d.rpcs[1]?.malformedResponses).toBeGreaterThan(0);
    expect(d.rpcs[0]?.malformedResponses).toBe(0);
    c.setRpcFault(0, 'http500');
    c.setRpcFault(2, 'timeout');
    const t0 = Date.now();
    const unknown = await waitFor(
      'unknown',
      () => statusEvents(dw.events, id).find((e) => e.to === 'unknown' && e.at >= t0),
      POLL_MS + 1000 + TOLERANCE_MS + 1500,
    );
    expect(unknown.at - t0).toBeLessThanOrEqual(POLL_MS + 1000 + TOLERANCE_MS); // + one RPC timeout
    expect(
      statusEvents(dw.events, id)
        .filter((e) => e.at >= t0)
        .map((e) => e.to),
    ).toEqual(['unknown']);
    expect((await detail(id)).reasons[0]).toMatch(/none of the 3 RPC endpoints answered/);
    for (const i of [0, 1, 2]) c.setRpcFault(i, 'none');
    await waitFor('up again', async () => (await detail(id)).status === 'up', 3000 + TOLERANCE_MS);
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=no-data`);
    expect(items[0]?.state).toBe('closed');
  });

  it('uptime feed: down → feedDown and degraded; back up → grace (recovering) → up; startedAt 0 or a revert → unknown', async () => {
    const c = dw.chain('feed');
    const id = c.chainId;
    expect((await detail(id)).feed?.state).toBe('up');
    await c.setSequencerUp(false);
    await waitFor(
      'feedDown',
      async () => {
        const d = await detail(id);
        return d.flags.feedDown && d.status === 'degraded' && d.feed?.state === 'down';
      },
      1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    await c.setSequencerUp(true);
    const grace = await waitFor(
      'grace',
      async () => {
        const d = await detail(id);
        return d.feed?.state === 'grace' ? d : undefined;
      },
      1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(grace.status).toBe('recovering');
    expect(grace.flags.feedDown).toBe(false);
    expect(Date.parse(grace.feed!.graceEndsAt!) - grace.feed!.startedAt! * 1000).toBe(
      GRACE_S * 1000,
    );
    await waitFor(
      'up after the grace period',
      async () => (await detail(id)).status === 'up',
      GRACE_S * 1000 + 2000 + TOLERANCE_MS,
    );

    await c.setSequencerUp(true, { startedAt: 0n });
    const zero = await waitFor(
      'unknown on startedAt 0',
      async () => {
        const d = await detail(id);
        return d.feed?.state === 'unknown' ? d : undefined;
      },
      1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(zero.feed?.error).toMatch(/startedAt is 0/);
    expect(zero.status).not.toBe('recovering');
    await c.setSequencerUp(true);
    await c.setUptimeFeedReverts(true);
    const reverted = await waitFor(
      'unknown on revert',
      async () => {
        const d = await detail(id);
        return d.feed?.state === 'unknown' && d.feed.error?.startsWith('latestRoundData failed')
          ? d
          : undefined;
      },
      2000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(reverted.flags.feedDown).toBe(false);
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=feed-down`);
    expect(items[0]?.state).toBe('closed');
  });
});
