import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainDetail } from '@perpscope/schemas';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  type DevnetWatcher,
  startDevnetWatcher,
  statusEvents,
  waitFor,
} from './support/devnetWatcher.js';

/*
 * The quorum when most RPCs are wrong (issue 13, SPEC §3.1): real anvil chains behind the devnet's
 * faultable proxies, one watcher with the compressed devnet thresholds (1 s chains: degraded after
 * 3 s, halted after 6 s; lag tolerance 3 blocks). Latencies are asserted against threshold + one poll
 * + TOLERANCE_MS, never exact times.
 */
const POLL_MS = 250;
const GRACE_S = 4;
const TOLERANCE_MS = 2000;
const HALTED_AFTER_MS = 6000;

let dw: DevnetWatcher;
const dbPath = join(mkdtempSync(join(tmpdir(), 'perpscope-quorum-')), 'w.db');
const detail = (chainId: number) => dw.get<ChainDetail>(`/v1/chains/${chainId}`);

/** Samples the head the API reports every 100 ms until stopped; the numbers must never go down. */
function watchHead(chainId: number) {
  const seen: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const d = await detail(chainId);
      if (d.head) seen.push(d.head.number);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await loop.catch(() => {}); // the watcher may already be stopping after a failure
      return seen;
    },
  };
}

/** Hash of block `n` read from anvil directly (bypassing the proxies). */
async function blockHash(url: string, n: number): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'eth_getBlockByNumber',
      params: [`0x${n.toString(16)}`, false],
    }),
  });
  return ((await res.json()) as { result: { hash: string } }).result.hash;
}

/** Index of the first sample lower than its predecessor, or -1. */
const firstDecrease = (xs: readonly number[]) => xs.findIndex((x, i) => i > 0 && x < xs[i - 1]!);

beforeAll(async () => {
  dw = await startDevnetWatcher({
    specs: [
      { name: 'stuck-2-of-3', chainId: 1301, blockTime: 1 },
      { name: 'fork-ahead', chainId: 1302, blockTime: 1 },
      { name: 'all-stuck', chainId: 1303, blockTime: 1 },
      { name: 'idle-nitro', chainId: 1304, blockTime: 'tx-driven' },
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

describe.concurrent('RPC quorum when most endpoints are wrong', { timeout: 90_000 }, () => {
  it('2 of 3 endpoints stuck at the halt block after resumption: recovering → up, the stuck ones stuck/lagging, the healthy one healthy, the head never goes backwards', async ({
    expect,
  }) => {
    const c = dw.chain('stuck-2-of-3');
    const id = c.chainId;
    const head = watchHead(id);
    onTestFinished(async () => {
      await head.stop();
    });
    await c.halt();
    // Two replicas stop syncing at the halt block (Blast 2024-03-13: 2 of 5 public RPCs).
    c.setRpcFault(0, 'stale');
    c.setRpcFault(1, 'stale');
    const t0 = Date.now();
    await waitFor(
      'halted',
      () => statusEvents(dw.events, id).find((e) => e.to === 'halted' && e.at >= t0 - 1000),
      HALTED_AFTER_MS + POLL_MS + TOLERANCE_MS + 1000,
    );
    await c.resume();
    const t1 = Date.now();
    const recovering = await waitFor(
      'recovering',
      () => statusEvents(dw.events, id).find((e) => e.to === 'recovering' && e.at >= t1),
      1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(recovering.at - t1).toBeLessThanOrEqual(1000 + POLL_MS + TOLERANCE_MS);
    const up = await waitFor(
      'up',
      () => statusEvents(dw.events, id).find((e) => e.to === 'up' && e.at > recovering.at),
      GRACE_S * 1000 + POLL_MS + TOLERANCE_MS + 1000,
    ).catch((e) => {
      throw new Error(`${e}; statuses: ${JSON.stringify(statusEvents(dw.events, id))}`);
    });
    expect(up.at - recovering.at).toBeLessThanOrEqual(GRACE_S * 1000 + POLL_MS + TOLERANCE_MS);
    // Stay past another halt threshold: a quorum that believes the stuck pair relapses here.
    await new Promise((r) => setTimeout(r, HALTED_AFTER_MS + 1000));
    const seen = await head.stop();
    // Soft: a failure reports every broken property at once (statuses, verdicts, head).
    // Nothing but recovering → up after the resumption (no relapse into degraded/halted).
    expect
      .soft(
        statusEvents(dw.events, id)
          .filter((e) => e.at >= t1)
          .map((e) => e.to),
      )
      .toEqual(['recovering', 'up']);
    const d = await detail(id);
    expect.soft(d.rpcs.map((r) => r.health)).toEqual(['stuck', 'stuck', 'healthy']);
    expect.soft(d.rpcs.map((r) => r.reasonCode)).toEqual(['not-moving', 'not-moving', 'at-head']);
    expect
      .soft(d.rpcs[0]?.reason)
      .toMatch(/^head \d+ unchanged for \d+\.\d s while the chain moved on/);
    expect.soft(d.rpcs[0]?.secondsSinceNewHead).toBeGreaterThan(HALTED_AFTER_MS / 1000);
    expect.soft(d.rpcs[2]?.secondsSinceNewHead).toBeLessThan(3);
    expect.soft(d.head!.number).toBeGreaterThan(d.rpcs[0]!.headNumber! + 3);
    const down = firstDecrease(seen);
    expect.soft(down, `head went ${seen[down - 1]} → ${seen[down]}`).toBe(-1);
    c.setRpcFault(0, 'none');
    c.setRpcFault(1, 'none');
  });

  it('1 of 3 endpoints runs ahead on a fork (different hashes): never believed, marked failing, no reorg, the chain stays up', async () => {
    const c = dw.chain('fork-ahead');
    const id = c.chainId;
    const t0 = Date.now();
    await c.forkRpc(0, { aheadBlocks: 10 });
    const flagged = await waitFor(
      'the forked endpoint failing',
      async () => {
        const d = await detail(id);
        return d.rpcs[0]?.reasonCode === 'inconsistent-chain' ? d : undefined;
      },
      1000 + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(flagged.rpcs[0]?.health).toBe('failing');
    expect(flagged.rpcs[0]?.headNumber).toBeGreaterThan(flagged.head!.number + 3);
    // Watch a few blocks: the believed head is always the main chain's block.
    await new Promise((r) => setTimeout(r, 4000));
    const d = await detail(id);
    expect(d.rpcs.map((r) => r.health)).toEqual(['failing', 'healthy', 'healthy']);
    expect(d.head!.hash).toBe(await blockHash(c.directRpcUrl, d.head!.number));
    expect(d.head!.number).toBeLessThan(d.rpcs[0]!.headNumber!);
    expect(
      dw.events.filter((e) => e.kind === 'chain.reorg' && e.subject.id === String(id)),
    ).toEqual([]);
    expect(statusEvents(dw.events, id).filter((e) => e.at >= t0)).toEqual([]);
    c.setRpcFault(0, 'none');
  });

  it('all endpoints stuck at the same block: halted (the truth), every endpoint healthy', async () => {
    const c = dw.chain('all-stuck');
    const id = c.chainId;
    await c.halt();
    for (const i of [0, 1, 2]) c.setRpcFault(i, 'stale');
    const t0 = Date.now();
    const halted = await waitFor(
      'halted',
      () => statusEvents(dw.events, id).find((e) => e.to === 'halted' && e.at >= t0 - 1000),
      HALTED_AFTER_MS + POLL_MS + TOLERANCE_MS + 1000,
    );
    expect(halted.at - t0).toBeLessThanOrEqual(HALTED_AFTER_MS + POLL_MS + TOLERANCE_MS);
    const d = await detail(id);
    expect(d.status).toBe('halted');
    expect(d.rpcs.map((r) => r.health)).toEqual(['healthy', 'healthy', 'healthy']);
    expect(d.rpcs.every((r) => r.secondsSinceNewHead! >= HALTED_AFTER_MS / 1000 - 1)).toBe(true);
    for (const i of [0, 1, 2]) c.setRpcFault(i, 'none');
    await c.resume();
  });

  it('idle Nitro-class chain with a working probe: up (flag idle) for the whole idle stretch; halted once the probe fails too', async () => {
    const c = dw.chain('idle-nitro');
    const id = c.chainId;
    // Tx-driven devnet chains: degraded after 5 s, halted after 10 s without a new head.
    await c.emptyBlocks(true);
    const t0 = Date.now();
    const idle = await waitFor(
      'idle flag',
      async () => {
        const d = await detail(id);
        return d.flags.idle ? d : undefined;
      },
      5000 + POLL_MS + TOLERANCE_MS + 2000,
    );
    expect(idle.status).toBe('up');
    expect(idle.probe.lastResult).toBe('alive');
    expect(idle.reasons[0]).toMatch(/^idle: no new block for/);
    // Idle well past the halt threshold.
    await new Promise((r) => setTimeout(r, 15_000 - (Date.now() - t0)));
    expect(statusEvents(dw.events, id).filter((e) => e.at >= t0)).toEqual([]);
    const during = await detail(id);
    expect(during.status).toBe('up');
    expect(during.flags.idle).toBe(true);
    expect(during.secondsSinceNewHead).toBeGreaterThanOrEqual(14);
    // Now the sequencer dies while idle: the probe is held unanswered (1 s client timeout).
    await c.halt();
    const t1 = Date.now();
    const halted = await waitFor(
      'halted',
      () => statusEvents(dw.events, id).find((e) => e.to === 'halted' && e.at >= t1),
      1000 + POLL_MS + TOLERANCE_MS + 2000,
    );
    expect(halted.at - t1).toBeLessThanOrEqual(1000 + 2 * POLL_MS + TOLERANCE_MS);
    expect((await detail(id)).probe.lastResult).toBe('failed');
    await c.resume();
    await c.emptyBlocks(false);
  });
});
