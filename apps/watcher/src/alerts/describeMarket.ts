import type { WatcherStore } from '../db/store/watcherStore.js';
import { parseMarketRow, presentHip3Market } from '../subjects/hip3/presentHip3Market.js';
import type { DescribeSubject } from './IncidentAlerter.js';

/**
 * Describes `market` subjects (HIP-3 coins such as `xyz:TSLA`) for alerts from the stored market
 * state: status, the reasons that are not `ok`, and the guidance for the status.
 */
export function describeMarket(store: WatcherStore): DescribeSubject {
  return async (subject) => {
    if (subject.type !== 'market') return null;
    const row = await store.queries.hip3.getHip3Market(subject.id);
    if (!row) return null;
    // The API's view of the market: the same guidance as `/v1/hip3/markets` and the status page.
    const market = presentHip3Market(parseMarketRow(row));
    return {
      name: market.coin,
      status: market.status,
      reasons: market.reasons.filter((r) => r.severity !== 'ok').map((r) => r.message),
      guidance: market.guidance,
    };
  };
}
