/** An alert the background wants to show as a system notification. */
export interface Alert {
  /** Dedupe key: the same condition (e.g. `liq|BTC|critical`, `chain|arbitrum-one|halted`). */
  readonly key: string;
  readonly title: string;
  readonly message: string;
  /**
   * Critical (liquidation close, chain halted, oracle critical/halted): the notification stays
   * until the user dismisses it (`requireInteraction` where the browser supports it).
   */
  readonly critical?: boolean;
}

/** Persisted state: when each key last notified (epoch ms). */
export type DedupeState = Readonly<Record<string, number>>;

/**
 * Decides which alerts to show: an alert key notifies again only after `cooldownMs` since it last
 * did. Pure: takes and returns the state, so the background can persist it (the service worker is
 * killed when idle) and tests need no timers.
 *
 * @example
 * const { show, state } = dedupeAlerts({ alerts, state: {}, nowMs: Date.now(), cooldownMs: 1_800_000 });
 */
export function dedupeAlerts(params: {
  readonly alerts: readonly Alert[];
  readonly state: DedupeState;
  readonly nowMs: number;
  readonly cooldownMs: number;
}): { show: Alert[]; state: DedupeState } {
  const { alerts, nowMs, cooldownMs } = params;
  const next: Record<string, number> = {};
  // Forget keys whose cool-down has passed, so the state stays small.
  for (const [key, at] of Object.entries(params.state)) if (nowMs - at < cooldownMs) next[key] = at;
  const show: Alert[] = [];
  for (const alert of alerts) {
    if (next[alert.key] !== undefined) continue;
    next[alert.key] = nowMs;
    show.push(alert);
  }
  return { show, state: next };
}
