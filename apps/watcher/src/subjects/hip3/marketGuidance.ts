import type { Hip3MarketStatus } from '@perpscope/schemas';

/**
 * What a trader should do per HIP-3 market status — SPEC §0 note 4's monitoring tiers turned into
 * advice. Served as `guidance` of every market (`/v1/hip3/markets`, read by the status page) and
 * put into alerts (`alerts/describeMarket.ts`); written only here.
 */
export const marketGuidance: Readonly<Record<Hip3MarketStatus, string>> = {
  watch: 'Early signs (deviation ≥ 3 %, OI near cap, thin book): check your liquidation distance.',
  warn: 'Oracle stale or deviating: the mark may jump when it catches up. Reduce leverage, avoid market orders.',
  critical:
    'Oracle dead or deviation persisting: mark is detached from the outside price. Close or hedge elsewhere; keep at least 2× normal liquidation distance.',
  halted: 'Trading halted: positions settle at the mark. Do not assume exits are possible here.',
  unknown: 'No trustworthy data for this market right now: treat it as unwatched.',
  ok: '',
};
