import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/loadConfig.js';
import { type OpenDb, openDb } from '../../db/openDb.js';
import { eventsAfter } from '../../db/queries/events.js';
import { listIncidents } from '../../db/queries/incidents.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { Env } from '../../env.js';
import { EventLog } from '../../events/eventLog.js';
import { type ChainStateRecord, initialChainState } from './chainStateRecord.js';
import { recordChainChanges } from './recordChainChanges.js';

let open: OpenDb | null = null;
afterEach(() => open?.close());

const config = parseConfig({ raw: { chains: ['base'] }, source: 't', env: Env.parse({}) })
  .chains[0]!;
const flags = {
  reorg: false,
  safeLagWarn: false,
  safeLagCrit: false,
  feedDown: false,
  idle: false,
};

function setup() {
  open = openDb({ path: ':memory:' });
  let now = 1_000_000;
  const log = new EventLog({
    store: createSqliteStore(open),
    clock: { now: () => now },
    logger: pino({ level: 'silent' }),
  });
  let prev = initialChainState(config.chainId, now);
  const step = async (patch: Partial<ChainStateRecord>, reorgDepth?: number) => {
    now += 1000;
    const next: ChainStateRecord = { ...prev, ...patch, updatedAt: now };
    await log.write((w) =>
      recordChainChanges(w, {
        config,
        prev,
        next,
        reorg: reorgDepth
          ? {
              depth: reorgDepth,
              fromNumber: 9,
              replaced: [{ number: 9, hash: '0x9' }],
              newHash: '0xa',
            }
          : null,
      }),
    );
    prev = next;
  };
  return { db: open.db, step };
}

describe('recordChainChanges', () => {
  it('one sequencer incident per halt: opened at degraded, escalated at halted, kept through recovering, closed at up', async () => {
    const { db, step } = setup();
    const head = { number: 5, hash: '0x5', timestamp: 1 };
    await step({ status: 'up', head, lastIncreaseAt: 1_000_000 });
    await step({ status: 'degraded' });
    await step({ status: 'degraded' });
    await step({ status: 'halted' });
    await step({ status: 'recovering', head: { ...head, number: 6 } });
    await step({ status: 'up' });
    const kinds = eventsAfter(db, { afterId: 0, limit: 100 }).map(
      (e) => `${e.kind}${'to' in e.payload ? `:${e.payload.to}` : ''}`,
    );
    expect(kinds).toEqual([
      'chain.status:up',
      'chain.status:degraded',
      'incident.opened',
      'chain.status:halted',
      'incident.escalated',
      'chain.status:recovering',
      'chain.status:up',
      'incident.closed',
    ]);
    const [inc] = listIncidents(db, { limit: 10 }).items;
    expect(inc).toMatchObject({
      kind: 'sequencer',
      severity: 'critical',
      state: 'closed',
      title: 'Base: sequencer halted',
    });
    expect(inc?.context.lastBlockBefore).toEqual(head);
    expect(inc?.context.firstBlockAfter).toEqual({ ...head, number: 6 });
    // The halted step ran at t = 4 s after the last head increase.
    expect(inc?.peak.maxSecondsSinceNewHead).toBe(4);
  });

  it('flags: a reorg opens an incident closed when the flag clears; safe lag escalates; no events without changes', async () => {
    const { db, step } = setup();
    await step({ status: 'up' });
    await step({ flags: { ...flags, reorg: true } }, 2);
    await step({
      flags: { ...flags, reorg: true, safeLagWarn: true },
      safe: { number: 1, timestamp: 0 },
    });
    await step({ flags: { ...flags, reorg: false, safeLagWarn: true, safeLagCrit: true } });
    await step({ flags });
    await step({ flags });
    const kinds = eventsAfter(db, { afterId: 0, limit: 100 }).map((e) => e.kind);
    expect(kinds).toEqual([
      'chain.status',
      'chain.flags',
      'chain.reorg',
      'incident.opened',
      'chain.flags',
      'incident.opened',
      'chain.flags',
      'incident.closed',
      'incident.escalated',
      'chain.flags',
      'incident.closed',
    ]);
    const items = listIncidents(db, { limit: 10 }).items.map((i) => [
      i.kind,
      i.severity,
      i.state,
      i.peak,
    ]);
    expect(items).toEqual([
      ['safe-lag', 'critical', 'closed', { maxSafeLagSeconds: 1004 }],
      ['reorg', 'warning', 'closed', { maxReorgDepth: 2 }],
    ]);
  });
});
