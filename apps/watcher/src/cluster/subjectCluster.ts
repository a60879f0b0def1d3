import { ConfigError } from '../errors.js';
import { type ClusterRuntime, singleWatcher } from './clusterRuntime.js';

const single = singleWatcher();

/**
 * The {@link ClusterRuntime} a subject runs in: its context's `cluster` (set by the runtime on
 * PostgreSQL), else the single watcher (SQLite, tests building one subject alone).
 */
export function clusterOfContext(ctx: object): ClusterRuntime {
  return (ctx as { cluster?: ClusterRuntime }).cluster ?? single;
}

/** A subject already owned by another live watcher of a sharded cluster (one owner per subject). */
export class SubjectOwnedElsewhereError extends ConfigError {
  override name = 'Watcher.SubjectOwnedElsewhereError';
}

/**
 * Sharded mode: refuses `mine` (subjects this watcher's config lists) when any is owned by another
 * watcher that is alive now — two watchers would poll it and each prune the other's rows away.
 * A row of a watcher that is gone (no fresh heartbeat) is taken over. No-op outside sharded mode.
 *
 * @param owners the stored owner of each subject (`chainOwners()`), by key.
 * @param field the config path to name, e.g. `chains`.
 * @throws SubjectOwnedElsewhereError naming the subject, its owner and the field.
 */
export async function refuseSubjectsOwnedElsewhere<K>(
  cluster: ClusterRuntime,
  p: {
    mine: readonly { key: K; label: string }[];
    owners: readonly { key: K; owner: string }[];
    field: string;
  },
): Promise<void> {
  if (cluster.mode !== 'sharded') return;
  const theirs = p.owners.filter((o) => o.owner !== cluster.owner);
  if (theirs.length === 0) return;
  const live = new Set(await cluster.liveWatchers());
  const clashes = p.mine.flatMap((m) => {
    const o = theirs.find((t) => t.key === m.key && live.has(t.owner));
    return o ? [`${m.label} is watched by live watcher "${o.owner}"`] : [];
  });
  if (clashes.length > 0)
    throw new SubjectOwnedElsewhereError(
      [
        {
          path: p.field,
          message: `${clashes.join('; ')}. In sharded mode each subject has one owner: remove it from this watcher's ${p.field} (watcher "${cluster.id}") or from the other's, or run both in redundant mode`,
        },
      ],
      `watcher "${cluster.id}" in a sharded cluster`,
    );
}

/**
 * Redundant mode runs the sequencer subject only: HIP-3 markets and guarded accounts have no
 * per-observer quorum yet, and two watchers would each write (and alert on) the same market or
 * account. Returns the issues for `config` (empty outside redundant mode); the runtime throws them
 * as a {@link ConfigError} before starting.
 */
export function redundantModeIssues(
  cluster: Pick<ClusterRuntime, 'mode'>,
  config: { hip3: { enabled: boolean }; positions?: { accounts?: readonly unknown[] } | undefined },
): { path: string; message: string }[] {
  if (cluster.mode !== 'redundant') return [];
  const issues: { path: string; message: string }[] = [];
  if (config.hip3.enabled)
    issues.push({
      path: 'hip3.enabled',
      message:
        'cluster.mode redundant watches L2 sequencers only: set hip3.enabled: false here and watch HIP-3 markets from a sharded watcher on another database',
    });
  if ((config.positions?.accounts?.length ?? 0) > 0)
    issues.push({
      path: 'positions.accounts',
      message:
        'cluster.mode redundant watches L2 sequencers only: remove positions.accounts here and guard accounts from a sharded watcher on another database',
    });
  return issues;
}
