import type { ChainSummary } from '@perpscope/schemas';
import type { WriteFailure } from '../../db/storageHealth.js';
import { guidanceFor, phaseOf } from './guidance.js';

/** The storage-health writer name of a chain's poll writes. */
export const chainWriter = (chainId: number): string => `chain:${chainId}`;

/**
 * A chain as served while its poll writes fail: `unknown` (SPEC §7 — what the watcher cannot record
 * it does not vouch for), with the failure as the first reason. The stored state is the last one
 * that committed and would otherwise keep saying `up`.
 *
 * @example chainWithWriteFailure(summary, storage.writeFailure(chainWriter(summary.chainId)))
 */
export function chainWithWriteFailure<T extends ChainSummary>(
  summary: T,
  failure: WriteFailure | null,
): T {
  if (!failure) return summary;
  return {
    ...summary,
    status: 'unknown',
    phase: phaseOf('unknown'),
    guidance: [...guidanceFor('unknown')],
    reasons: [
      `database writes failing since ${new Date(failure.since).toISOString()} (${failure.error}): this chain's observations are not being recorded`,
      ...summary.reasons,
    ],
  };
}
