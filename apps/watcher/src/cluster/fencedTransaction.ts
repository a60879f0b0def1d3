import type { PgStoreAccess } from '../db/store/createPgStore.js';
import type { StoreQueries, WatcherStore } from '../db/store/watcherStore.js';
import { type Duty, DutyLostError } from './duty.js';

/**
 * Fences the transaction it was handed to: `true` while this process still holds `duty` (on
 * PostgreSQL the lease row is then share-locked until the transaction ends, so a takeover cannot
 * commit before it); `false` → the caller must not write on the duty's behalf.
 */
export type FenceIn = (duty: Duty) => Promise<boolean>;

/**
 * Runs `body` in one store transaction and hands it a {@link FenceIn} that fences on that same
 * transaction: on PostgreSQL through the store's raw transaction handle (`store.pg.transaction`,
 * `Duty.fence(tx)`); on SQLite (one process, duties always local) it answers `duty.held() !== null`.
 * Call the fence before the duty's writes; writes made before it (e.g. a watcher's own
 * observation) commit either way.
 *
 * @example await storeTransactionWithFence(store, async (q, fence) => { if (await fence(duty)) await q.chains.writeChainState(s); });
 */
export function storeTransactionWithFence<T>(
  store: WatcherStore,
  body: (q: StoreQueries, fence: FenceIn) => Promise<T>,
): Promise<T> {
  const pg = (store as WatcherStore & { pg?: PgStoreAccess }).pg;
  if (store.dialect === 'postgres') {
    // Never fall back to the local check on PostgreSQL: another watcher may hold the duty.
    if (!pg)
      throw new Error(
        'storeTransactionWithFence: a PostgreSQL store without its `pg` access cannot fence (open it with openStore/createPgStore)',
      );
    return pg.transaction((q, tx) => body(q, (duty) => duty.fence(tx)));
  }
  return store.transaction((q) => body(q, async (duty) => duty.held() !== null));
}

/**
 * Runs `body` in one store transaction guarded by `duty`: fences first, and when this process no
 * longer holds the duty rolls back and throws {@link DutyLostError} without running `body` — a
 * paused old holder cannot commit the duty's writes after a takeover.
 *
 * @throws DutyLostError as above; whatever `body` or the store throws.
 */
export function fencedStoreTransaction<T>(
  store: WatcherStore,
  duty: Duty,
  body: (q: StoreQueries) => Promise<T>,
): Promise<T> {
  return storeTransactionWithFence(store, async (q, fence) => {
    if (!(await fence(duty))) throw new DutyLostError(duty.name);
    return body(q);
  });
}
