import { z } from 'zod';
import { type Severity as SeverityValue, severities } from './severityScale.js';

/** A severity on the one scale (`severities` of `severityScale.ts`: `info < warning < critical`). */
export const Severity = z.enum(severities);
export type Severity = SeverityValue;

/** The severities an incident can have: the scale without `info`. */
export const IncidentSeverity = z.enum(['warning', 'critical'] satisfies readonly Severity[]);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;
