import type { WatcherStore } from '../db/store/watcherStore.js';
import { presentChainSummary } from '../subjects/sequencer/presentChain.js';
import type { DescribeSubject } from './IncidentAlerter.js';

/**
 * Describes `chain` subjects for alerts from the stored chain state: name, status, reasons and
 * note 1's guidance for the phase (SPEC §0). Other subject types return `null`.
 */
export function describeChain(store: WatcherStore): DescribeSubject {
  return async (subject, atMs) => {
    if (subject.type !== 'chain') return null;
    const row = await store.queries.chains.getChain(Number(subject.id));
    if (!row) return null;
    const s = presentChainSummary(row.config, row.state, atMs);
    return { name: s.name, status: s.status, reasons: s.reasons, guidance: s.guidance.join(' ') };
  };
}

/** Tries each describer in order; the first non-null answer wins. */
export function describeAny(describers: readonly DescribeSubject[]): DescribeSubject {
  return async (subject, atMs) => {
    for (const d of describers) {
      const answer = await d(subject, atMs);
      if (answer) return answer;
    }
    return null;
  };
}
