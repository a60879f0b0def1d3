/**
 * The one alert shape every sink formats from. Built from an incident transition of a chain or
 * HIP-3 market; carries the guidance text so the message tells the reader what to do.
 *
 * @module
 */

import { type Severity, severities } from '@perpscope/schemas';

/** What happened to the incident this alert is about. */
export const alertTransitions = ['open', 'escalate', 'resolve', 'test'] as const;
export type AlertTransition = (typeof alertTransitions)[number];

/** The one severity scale (`@perpscope/schemas`); `info` is used for resolve and test messages. */
export const alertSeverities = severities;
export type AlertSeverity = Severity;

/** One alert, independent of the sink it goes to. */
export type AlertMessage = {
  /** Subject key, e.g. `chain:42161` or `market:xyz:TSLA`; rate limits and dedupe are per subject. */
  subject: string;
  /** Human name of the subject, e.g. `Arbitrum One` or `xyz:TSLA`. */
  subjectName: string;
  transition: AlertTransition;
  severity: AlertSeverity;
  /** Status after the transition (`halted`, `degraded`, `critical`, `up`...). */
  status: string;
  /** Status before the transition, when known. */
  previousStatus?: string;
  /** Why the status is what it is, one short line each. */
  reasons: readonly string[];
  /** What a trader should do now (SPEC §0 note 1/note 4 phases). */
  guidance: string;
  /** Incident id the transition belongs to; part of the dedupe key. */
  incidentId: string;
  /** When the transition happened, ms since the epoch. */
  atMs: number;
  /** Link to the status page, when the operator configured a public URL. */
  url?: string;
};

const transitionWord: Record<AlertTransition, string> = {
  open: 'OPEN',
  escalate: 'ESCALATED',
  resolve: 'RESOLVED',
  test: 'TEST',
};

/** One-line title used by every sink, e.g. `[OPEN] Arbitrum One: halted (was degraded)`. */
export function alertTitle(message: AlertMessage): string {
  const was = message.previousStatus ? ` (was ${message.previousStatus})` : '';
  return `[${transitionWord[message.transition]}] ${message.subjectName}: ${message.status}${was}`;
}

/** Shortens `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
