import type { WatcherConfig } from '../../config/configSchema.js';
import type { WatcherStore } from '../../db/store/watcherStore.js';
import type { EventLog } from '../../events/eventLog.js';
import type { Logger } from '../../logger.js';
import type { Operations } from '../../runtime/createOperations.js';
import { addressHash } from './guardedAddress.js';
import { PositionAlerter } from './PositionAlerter.js';

/**
 * The position guard's alert feed over the operations' outbox, or `null` when no account is guarded.
 * Each account's alerts go to the sinks it names (every sink when it names none).
 */
export function createPositionAlerter(p: {
  config: WatcherConfig;
  store: WatcherStore;
  eventLog: EventLog;
  ops: Pick<Operations, 'outbox' | 'storage'> & Partial<Pick<Operations, 'cluster'>>;
  logger: Logger;
}): PositionAlerter | null {
  const accounts = p.config.positions.accounts;
  if (accounts.length === 0) return null;
  const sinks = new Map(accounts.map((a) => [addressHash(a.address), a.sinks]));
  return new PositionAlerter({
    store: p.store,
    eventLog: p.eventLog,
    outbox: p.ops.outbox,
    sinksOf: (hash) => sinks.get(hash),
    logger: p.logger.child({ component: 'position-alerts' }),
    onWriteOutcome: (error) => p.ops.storage.recordWrite('alerts', error),
    // One feed per database: only the incidents duty holder enqueues (always held by a single watcher).
    ...(p.ops.cluster && { duty: p.ops.cluster.duty('incidents') }),
    ...(p.config.alerts.publicUrl && { publicUrl: p.config.alerts.publicUrl }),
  });
}
