import type { WriteFailure } from '../db/storageHealth.js';
import type { ParsedMarketRow } from '../subjects/hip3/presentHip3Market.js';

/** The storage-health writer name of the HIP-3 subject's writes. */
export const HIP3_WRITER = 'hip3';

/**
 * A HIP-3 market as served while the HIP-3 writes fail: `unknown` with a `no_data` reason first
 * (our data is not being recorded), instead of the last status that committed.
 *
 * @example marketWithWriteFailure(parseMarketRow(row), storage.writeFailure(HIP3_WRITER))
 */
export function marketWithWriteFailure(
  p: ParsedMarketRow,
  failure: WriteFailure | null,
): ParsedMarketRow {
  if (!failure) return p;
  return {
    ...p,
    row: { ...p.row, status: 'unknown' },
    reasons: [
      {
        code: 'no_data',
        severity: 'unknown',
        message: `database writes failing (${failure.error}): this market's data is not being recorded`,
        sinceMs: failure.since,
      },
      ...p.reasons,
    ],
  };
}
