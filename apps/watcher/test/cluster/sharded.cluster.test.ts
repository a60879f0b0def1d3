import { type DevnetChain, startDevnet } from '@perpscope/devnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/devnetWatcher.js';
import {
  type ClusterHarness,
  chainOf,
  openEventStream,
  type SseClient,
  startClusterHarness,
  type WatcherProcess,
} from './clusterHarness.js';

/*
 * Sharded mode end to end (issue 17): two watcher processes on one PostgreSQL, each with its own
 * chain list. Each process serves both chains; a restart of one (which prunes chains no longer in
 * its list) never hides the other's; the SSE stream of either process carries both chains' events.
 */

const X = 1761; // watched by watcher-x
const Y = 1762; // watched by watcher-y

describe('two watchers in sharded mode on one PostgreSQL', { timeout: 90_000 }, () => {
  let h: ClusterHarness;
  let chainX: DevnetChain;
  let chainY: DevnetChain;
  let stopDevnet: () => Promise<void>;
  let wx: WatcherProcess;
  let wy: WatcherProcess;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    const devnet = await startDevnet([
      { name: 'shard-x', chainId: X, blockTime: 1, rpcCount: 1, uptimeFeed: false },
      { name: 'shard-y', chainId: Y, blockTime: 1, rpcCount: 1, uptimeFeed: false },
    ]);
    stopDevnet = devnet.stop;
    [chainX, chainY] = devnet.chains as [DevnetChain, DevnetChain];
    h = await startClusterHarness('sharded');
    [wx, wy] = await Promise.all([
      h.startWatcher({ id: 'watcher-x', mode: 'sharded', leaseSeconds: 5, chains: [chainX] }),
      h.startWatcher({ id: 'watcher-y', mode: 'sharded', leaseSeconds: 5, chains: [chainY] }),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    await h?.stop();
    await stopDevnet?.();
  });

  it('each process serves both chains', async () => {
    for (const w of [wx, wy])
      await waitFor(
        `${w.id} to serve both chains up`,
        async () => {
          const cs = await w.chains();
          return chainOf(cs, X)?.status === 'up' && chainOf(cs, Y)?.status === 'up';
        },
        30_000,
        200,
      );
    const owners = await h.pool.query<{ chain_id: string; owner: string }>(
      'select chain_id::text, owner from chains order by chain_id',
    );
    expect(owners.rows).toEqual([
      { chain_id: String(X), owner: 'watcher-x' },
      { chain_id: String(Y), owner: 'watcher-y' },
    ]);
  });

  it('SSE from either process carries both chains’ events (halts of both)', async () => {
    // Both resume after the same id (Last-Event-ID), so both must carry the same events from there.
    const from = await h.pool.query<{ n: number }>(
      'select coalesce(max(id), 0)::int as n from events',
    );
    const after = from.rows[0]!.n;
    streams.push(await openEventStream(wx.url, after), await openEventStream(wy.url, after));
    await Promise.all([chainX.halt(), chainY.halt()]);
    const statusTo = (s: SseClient, chainId: number, to: string) =>
      s.events.some(
        (e) =>
          e.kind === 'chain.status' &&
          (e.data.subject as { id: string }).id === String(chainId) &&
          (e.data.payload as { to: string }).to === to,
      );
    try {
      for (const s of streams)
        await waitFor(
          'both chains degraded on the stream',
          () => statusTo(s, X, 'degraded') && statusTo(s, Y, 'degraded'),
          30_000,
          100,
        );
    } finally {
      await Promise.all([chainX.resume(), chainY.resume()]);
    }
    // Same log, same ids, same order on both streams (up to what each has read so far).
    const [sx, sy] = streams as [SseClient, SseClient];
    const n = Math.min(sx.events.length, sy.events.length);
    expect(sx.events.slice(0, n).map((e) => e.id)).toEqual(sy.events.slice(0, n).map((e) => e.id));
    for (const s of streams) {
      const ids = s.events.map((e) => e.id);
      expect(ids[0]).toBeGreaterThan(after);
      expect(ids).toEqual([...ids].sort((p, q) => p - q));
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('restarting one watcher with its list never hides the other’s chains', async () => {
    // Each one's own chain up again after the halts (what the other lists is the point below).
    for (const [w, own] of [
      [wx, X],
      [wy, Y],
    ] as const)
      await waitFor(
        `${w.id} to serve its chain up again`,
        async () => chainOf(await w.chains(), own)?.status === 'up',
        40_000,
        200,
      );
    expect(await wx.stop()).toBe(0);
    const listedByY: number[][] = [];
    const sample = async () => listedByY.push((await wy.chains()).map((c) => c.chainId).sort());
    await sample();
    wx = await h.startWatcher({
      id: 'watcher-x',
      mode: 'sharded',
      leaseSeconds: 5,
      chains: [chainX],
    });
    await sample();
    // watcher-x prunes the chains not in its list at start: never watcher-y's.
    await waitFor(
      'watcher-x to serve its chain again, and watcher-y’s',
      async () => {
        await sample();
        const cs = await wx.chains();
        return chainOf(cs, X)?.status === 'up' && chainOf(cs, Y) !== undefined;
      },
      30_000,
      200,
    );
    for (const listed of listedByY) expect(listed).toEqual([X, Y]);
    expect((await wx.chains()).map((c) => c.chainId).sort()).toEqual([X, Y]);
  });
});
