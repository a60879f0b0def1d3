import type { AlertOutbox, EnqueueResult } from '../../alerts/AlertOutbox.js';
import { EventCursorFeed, type FollowDeps } from '../../alerts/EventCursorFeed.js';
import { describePositionAlert } from './describePositionAlert.js';

/** Dependencies of {@link PositionAlerter}: the feed's (store, log, duty, retries) and the outbox. */
export type PositionAlerterDeps = FollowDeps & {
  outbox: AlertOutbox;
  /** Address hash → the sinks named by that account (`undefined` = every sink). */
  sinksOf: (addressHash: string) => readonly string[] | undefined;
  publicUrl?: string;
};

/**
 * Feeds position-guard events into the alert outbox (dedupe, retries, rate limits), at least once:
 * like `IncidentAlerter`, an {@link EventCursorFeed} on its own cursor (`alert_cursor` `positions`)
 * whose batch's outbox rows and cursor advance commit in one transaction, so a crash or restart
 * neither loses nor repeats an alert (the outbox dedupe key catches a replayed event). Each
 * account's alerts go to its own sinks; storage health counts its writes under the `alerts` writer.
 * The first start begins at the end of the log.
 */
export class PositionAlerter extends EventCursorFeed {
  constructor(deps: PositionAlerterDeps) {
    const { outbox, sinksOf, publicUrl } = deps;
    super({
      ...deps,
      cursor: 'positions',
      name: 'position alerts',
      wakesOn: (ev) => ev.kind.startsWith('position.'),
      handleBatch: async ({ events, tx, queued }) => {
        const committed: EnqueueResult[] = [];
        let rows = 0;
        await tx(async (q) => {
          for (const ev of events) {
            const message = ev.kind.startsWith('position.')
              ? describePositionAlert(ev, publicUrl)
              : null;
            if (!message) continue;
            const hash = 'addressHash' in ev.payload ? ev.payload.addressHash : '';
            const sinks = sinksOf(hash) ?? outbox.sinkNames;
            for (const sink of sinks) {
              // In this transaction: an error here rolls the whole batch back.
              const results = await outbox.enqueueIn(q, message, { onlySink: sink });
              if (results.length === 0) throw new Error(`enqueue to ${sink} failed`);
              committed.push(...results);
              rows += results.filter((r) => r.outcome === 'queued').length;
            }
          }
          await q.alerts.advanceAlertCursor('positions', (events.at(-1) as { id: number }).id);
        });
        outbox.settle(committed);
        queued(rows);
      },
    });
  }
}
