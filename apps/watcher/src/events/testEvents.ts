/**
 * Well-formed event payloads for tests that need an event of some kind but not a real subject:
 * the event log checks every payload against the catalogue of `@perpscope/schemas`.
 *
 * @module
 */

import type { WatcherEventPayload } from '@perpscope/schemas';

/** A `chain.status` payload (Base devnet going `up` → `degraded`), fields overridable. */
export function chainStatusPayload(
  overrides: Partial<WatcherEventPayload<'chain.status'>> = {},
): WatcherEventPayload<'chain.status'> {
  return {
    chainId: 10,
    name: 'Test chain',
    from: 'up',
    to: 'degraded',
    phase: 'pre-halt',
    guidance: [],
    reasons: [],
    flags: { reorg: false, safeLagWarn: false, safeLagCrit: false, feedDown: false, idle: false },
    head: null,
    ...overrides,
  };
}

/** A `chain.flags` payload (the reorg flag raised), fields overridable. */
export function chainFlagsPayload(
  overrides: Partial<WatcherEventPayload<'chain.flags'>> = {},
): WatcherEventPayload<'chain.flags'> {
  return {
    chainId: 10,
    flags: { reorg: true, safeLagWarn: false, safeLagCrit: false, feedDown: false, idle: false },
    changed: ['reorg'],
    ...overrides,
  };
}
