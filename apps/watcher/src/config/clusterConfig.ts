import { hostname } from 'node:os';
import { z } from 'zod';

/** How the watchers sharing one PostgreSQL database divide the work (issue 17, README "Run several watchers"). */
export const clusterModes = ['sharded', 'redundant'] as const;
/** `sharded` or `redundant`. */
export type ClusterMode = (typeof clusterModes)[number];

/** What a watcher id may contain: it is stored in owner/observer columns and shown in logs. */
const WATCHER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * A host name made into a watcher id: characters outside `[A-Za-z0-9._-]` become `-`, at most 64.
 * Exported for the default of `cluster.id` and its test.
 */
export function watcherIdFromHostname(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (cleaned || 'watcher').slice(0, 64);
}

/**
 * `cluster`: this process's place among several watchers on one PostgreSQL database (only with
 * `database.url`).
 *
 * - `id`: unique per process; rows this watcher owns (chains, markets, guarded accounts) and its
 *   observations carry it. Default: the host name (`PERPSCOPE_WATCHER_ID` overrides) — set it
 *   explicitly when two watchers share a host.
 * - `mode`: `sharded` (default; each watcher watches its own subjects and prunes only its own rows)
 *   or `redundant` (several watchers watch the same subjects from different networks; the status
 *   served is the quorum of the observers, so one blind watcher does not report a halt).
 * - `leaseSeconds`: how long the holder of a shared duty (alert delivery, incident transitions)
 *   keeps it without renewing; another watcher takes over within about this long after it dies.
 */
export const ClusterConfig = z
  .object({
    id: z
      .string()
      .regex(
        WATCHER_ID,
        'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64',
      )
      .default(() => watcherIdFromHostname(hostname())),
    mode: z.enum(clusterModes).default('sharded'),
    leaseSeconds: z.number().min(3).max(300).default(15),
  })
  .strict();
export type ClusterConfig = z.output<typeof ClusterConfig>;

/** `cluster` needs a shared database: with SQLite (one process per file) it is refused. */
export function clusterCrossIssues(config: {
  cluster?: ClusterConfig | undefined;
  database: { url?: string };
}): { path: (string | number)[]; message: string }[] {
  if (config.cluster === undefined || config.database.url !== undefined) return [];
  return [
    {
      path: ['cluster'],
      message:
        'cluster (or PERPSCOPE_WATCHER_ID) needs database.url: several watchers share one PostgreSQL database; a SQLite file belongs to one process',
    },
  ];
}

/**
 * The cluster settings a watcher on PostgreSQL runs with: the `cluster` section, or its defaults
 * when the file has none (one watcher, id = host name, `sharded`). `null` on SQLite.
 */
export function clusterOf(config: {
  cluster?: ClusterConfig | undefined;
  database: { url?: string };
}): ClusterConfig | null {
  if (config.database.url === undefined) return null;
  return config.cluster ?? ClusterConfig.parse({});
}
