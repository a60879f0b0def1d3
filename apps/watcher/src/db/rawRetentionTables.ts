import { defaultRetentionTargets } from './queries/retentionTargets.js';

/**
 * The raw tables the retention job prunes by `rawDays` (the keys of `retention.rawDaysByTable`),
 * in the order of the default retention targets: the same names in every dialect.
 */
export const rawRetentionTables: readonly string[] = defaultRetentionTargets
  .filter((t) => t.horizon === 'raw')
  .map((t) => t.table);
