import type { Db } from '../db/openDb.js';
import { getHip3Market } from '../db/queries/hip3.js';
import { parseMarketRow } from '../subjects/hip3/presentHip3Market.js';
import type { DescribeSubject } from './IncidentAlerter.js';

/**
 * What a trader should do per HIP-3 market status — SPEC §0 note 4's monitoring tiers turned into
 * advice. The status page script (`status-page/assets/status.js`) shows the same sentences.
 */
export const marketGuidance: Readonly<Record<string, string>> = {
  watch: 'Early signs (deviation ≥ 3 %, OI near cap, thin book): check your liquidation distance.',
  warn: 'Oracle stale or deviating: the mark may jump when it catches up. Reduce leverage, avoid market orders.',
  critical:
    'Oracle dead or deviation persisting: mark is detached from the outside price. Close or hedge elsewhere; keep at least 2× normal liquidation distance.',
  halted: 'Trading halted: positions settle at the mark. Do not assume exits are possible here.',
  unknown: 'No trustworthy data for this market right now: treat it as unwatched.',
  ok: '',
};

/**
 * Describes `market` subjects (HIP-3 coins such as `xyz:TSLA`) for alerts from the stored market
 * state: status, the reasons that are not `ok`, and the guidance for the status.
 */
export function describeMarket(db: Db): DescribeSubject {
  return (subject) => {
    if (subject.type !== 'market') return null;
    const row = getHip3Market(db, subject.id);
    if (!row) return null;
    const parsed = parseMarketRow(row);
    return {
      name: row.coin,
      status: row.status,
      reasons: parsed.reasons.filter((r) => r.severity !== 'ok').map((r) => r.message),
      guidance: marketGuidance[row.status] ?? '',
    };
  };
}
