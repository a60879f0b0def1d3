import type { WatcherConfig } from '../config/configSchema.js';

/**
 * Whether the config turns on any of the factories in `subjects.ts` — the same conditions under which
 * each factory returns a subject rather than `null` (keep them in step; `startWatcher.test.ts`
 * checks each). A watcher that ingests nothing (API only over an existing database) has nothing to
 * move off its event loop and starts no ingestion worker. Kept apart from `subjects.ts` so that
 * deciding costs no import of the subjects' modules (the main thread never loads them when
 * ingestion runs in the worker).
 */
export function configIngests(config: WatcherConfig): boolean {
  return config.chains.length > 0 || config.hip3.enabled || config.positions.accounts.length > 0;
}
