import { z } from 'zod';

/**
 * The one severity scale of perpscope, lowest first: incidents use `warning` and `critical`; alerts
 * add `info` for resolve and test messages. Compare with {@link severityRank}, never by string.
 */
export const severities = ['info', 'warning', 'critical'] as const;

/** A severity on the one scale ({@link severities}). */
export const Severity = z.enum(severities);
export type Severity = z.infer<typeof Severity>;

/** The severities an incident can have: the scale without `info`. */
export const IncidentSeverity = z.enum(['warning', 'critical'] satisfies readonly Severity[]);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

/**
 * Position of a severity on the scale (`info` 0, `warning` 1, `critical` 2).
 *
 * @example severityRank('critical') > severityRank('warning') // true
 */
export function severityRank(severity: Severity): number {
  return severities.indexOf(severity);
}
