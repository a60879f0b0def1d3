import type { WatcherConfig } from '../config/configSchema.js';
import { createHip3Subject } from '../subjects/hip3/hip3Subject.js';
import { createPositionsSubject } from '../subjects/positions/positionsSubject.js';
import { createChainsSubject } from '../subjects/sequencer/chainsSubject.js';
import type { SubjectFactory } from './subject.js';

/**
 * Every subject the watcher runs. To add one: export a `SubjectFactory` from your folder and add it
 * here (one line).
 */
export const subjectFactories: readonly SubjectFactory[] = [
  createChainsSubject,
  createHip3Subject,
  createPositionsSubject,
];

/**
 * Whether the config turns on any of {@link subjectFactories} — the same conditions under which
 * each factory returns a subject rather than `null` (keep them in step; `startWatcher.test.ts`
 * checks each). A watcher that ingests nothing (API only over an existing database) has nothing to
 * move off its event loop and starts no ingestion worker.
 */
export function configIngests(config: WatcherConfig): boolean {
  return config.chains.length > 0 || config.hip3.enabled || config.positions.accounts.length > 0;
}
