import { and, eq, inArray, sql } from 'drizzle-orm';
import type * as sqlite from '../queries/alerts.js';
import type { AlertOutboxRow } from '../schema/alerts.js';
import type { PgStoreAccess } from '../store/createPgStore.js';
import type { PgDb } from './openPgDb.js';
import { claimDueAlertRows, recordAlertAttempt } from './queries/alerts.js';
import { alertOutbox } from './schema/alerts.js';

/**
 * Marks an outbox row as being sent (in `last_error`, overwritten when its outcome is recorded):
 * `IN_FLIGHT_PREFIX` + the holder and epoch. A row claimed with this mark still on it was being sent
 * by a holder that stopped before recording the outcome: the sink may already have it.
 */
export const IN_FLIGHT_PREFIX = 'in flight: ';

/**
 * How long past the send timeout a claim lasts (`untilMs` = claim + timeout + this): slack for a
 * request still going out when a holder stalls. Once another holder owns the duty (the old one is
 * fenced and can never record), its rows in flight are due again at claim + timeout instead.
 */
export const CLAIM_MARGIN_MS = 5_000;

/** Appended to an in-flight mark once the holder that wrote it no longer holds the duty. */
const HOLDER_GONE = ' (holder gone)';

/**
 * The fence of a duty's write: called first inside the transaction with its handle; `false` rolls
 * the transaction back (`Duty.fence` of the `alerts` duty).
 */
export type TransactionFence = (tx: PgDb) => Promise<boolean>;

/** The delivery loop's PostgreSQL writes, each in one fenced transaction ({@link pgAlertDelivery}). */
export type PgAlertDelivery = {
  /**
   * Claims up to `limit` due rows (`claimDueAlertRows`: each goes to one claimer, leased until
   * `untilMs`) and marks them {@link IN_FLIGHT_PREFIX}`inFlightNote` in the same transaction.
   * Returns the rows as they were before the mark (`lastError` tells the previous attempt's fate).
   * `null` when the fence refused (nothing claimed).
   */
  claim(p: {
    nowMs: number;
    limit: number;
    untilMs: number;
    inFlightNote: string;
    /**
     * This grant as its marks begin (`<holder> epoch <n>`): rows marked by any other grant are a
     * predecessor's.
     */
    holder: string;
  }): Promise<AlertOutboxRow[] | null>;
  /** Records an attempt's outcome (only on a `pending` row); `false` when the fence refused. */
  record(id: number, set: Parameters<typeof sqlite.recordAlertAttempt>[2]): Promise<boolean>;
};

class FenceRefused extends Error {}

/**
 * The alert outbox's claim and record transactions on PostgreSQL, each opened with `fence` (the
 * `alerts` duty), so a watcher that lost the duty without noticing commits nothing
 * (ARCHITECTURE.md "One alert, once").
 */
export function pgAlertDelivery(access: PgStoreAccess, fence: TransactionFence): PgAlertDelivery {
  const fenced = async <T>(body: (tx: PgDb) => Promise<T>): Promise<T | null> => {
    try {
      return await access.transaction(async (_q, tx) => {
        if (!(await fence(tx))) throw new FenceRefused();
        return body(tx);
      });
    } catch (error) {
      if (error instanceof FenceRefused) return null;
      throw error;
    }
  };
  return {
    claim: async ({ inFlightNote, holder, ...p }) =>
      fenced(async (tx) => {
        // Rows a previous holder was sending when it lost the duty (it is fenced: it can never
        // record them): due at claim + timeout, not + the margin meant for a live holder.
        await tx.execute(sql`update alert_outbox
          set next_attempt_at_ms = next_attempt_at_ms - ${CLAIM_MARGIN_MS},
              last_error = last_error || ${HOLDER_GONE}
          where state = 'pending' and starts_with(last_error, ${IN_FLIGHT_PREFIX})
            and not starts_with(last_error, ${`${IN_FLIGHT_PREFIX}${holder} `})
            and right(last_error, ${HOLDER_GONE.length}) <> ${HOLDER_GONE}`);
        const rows = await claimDueAlertRows(tx, p);
        if (rows.length > 0)
          await tx
            .update(alertOutbox)
            .set({ lastError: `${IN_FLIGHT_PREFIX}${inFlightNote}` })
            .where(
              and(
                inArray(
                  alertOutbox.id,
                  rows.map((r) => r.id),
                ),
                eq(alertOutbox.state, 'pending'),
              ),
            );
        return rows; // as claimed: `lastError` is still the previous attempt's
      }),
    record: async (id, set) =>
      (await fenced(async (tx) => {
        await recordAlertAttempt(tx, id, set);
        return true;
      })) === true,
  };
}
