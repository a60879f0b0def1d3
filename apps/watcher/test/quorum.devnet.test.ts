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

/** Index of the first sample lower than its predecessor, or -1. */
const firstDecrease = (xs: readonly number[]) => xs.findIndex((x, i) => i > 0 && x < xs[i - 1]!);

beforeAll(async () => {
  dw = await startDevnetWatcher({
    specs: [{ name: 'stuck-2-of-3', chainId: 1301, blockTime: 1 }],
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

describe.concurrent('RPC quorum when most endpoints are wrong', { timeout: 60_000 }, () => {
  it('2 of 3 endpoints stuck at the halt block after resumption: recovering → up, the stuck ones stuck/lagging, the healthy one healthy, the head never goes backwards', async () => {
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
    expect.soft(d.head!.number).toBeGreaterThan(d.rpcs[0]!.headNumber! + 3);
    const down = firstDecrease(seen);
    expect.soft(down, `head went ${seen[down - 1]} → ${seen[down]}`).toBe(-1);
    c.setRpcFault(0, 'none');
    c.setRpcFault(1, 'none');
  });
});
