import { clusterOfContext, refuseSubjectsOwnedElsewhere } from '../../cluster/subjectCluster.js';
import type { Subject, SubjectContext, SubjectFactory } from '../../runtime/subject.js';
import { type ChainRpcFactory, createChainRpc } from './chainRpc.js';
import { ChainWatcher } from './chainWatcher.js';

/** The L2 sequencer subject with the endpoints created by `rpcFactory` (tests inject their own). */
export function chainsSubjectFactory(
  params: { rpcFactory?: ChainRpcFactory } = {},
): SubjectFactory {
  return (ctx: SubjectContext): Subject | null => {
    const chains = ctx.config.chains;
    if (chains.length === 0) return null;
    const rpcFactory = params.rpcFactory ?? createChainRpc;
    let watchers: ChainWatcher[] = [];
    return {
      name: 'chains',
      async start() {
        const now = ctx.clock.now();
        const cluster = clusterOfContext(ctx);
        // Sharded: a chain another live watcher owns is a config mistake (one owner per chain).
        await refuseSubjectsOwnedElsewhere(cluster, {
          mine: chains.map((c) => ({ key: c.chainId, label: `chain ${c.key} (${c.chainId})` })),
          owners: (await ctx.store.queries.chains.chainOwners()).map((o) => ({
            key: o.chainId,
            owner: o.owner,
          })),
          field: 'chains',
        });
        await ctx.store.transaction(async (q) => {
          await q.chains.upsertChains(chains, now, cluster.owner, cluster.observer);
          // Only this owner's rows: another sharded watcher's chains (or a redundant pair's) stay.
          await q.chains.pruneChains(
            chains.map((c) => c.chainId),
            cluster.owner,
          );
        });
        watchers = await Promise.all(
          chains.map((config) =>
            ChainWatcher.open({
              config,
              store: ctx.store,
              eventLog: ctx.eventLog,
              clock: ctx.clock,
              logger: ctx.logger.child({ chain: config.key }),
              rpcFactory,
              cluster,
            }),
          ),
        );
        // Spread the chains' polls evenly over the poll interval instead of all at the same moment.
        for (const [i, w] of watchers.entries())
          w.start({ phaseMs: Math.floor((i * w.config.pollIntervalMs) / watchers.length) });
      },
      async stop() {
        await Promise.all(watchers.map((w) => w.stop()));
      },
      ready: () => watchers.length > 0 && watchers.every((w) => w.polls > 0),
    };
  };
}

/** The L2 sequencer liveness subject (SPEC §3.1) with real viem HTTP endpoints. */
export const createChainsSubject: SubjectFactory = chainsSubjectFactory();
