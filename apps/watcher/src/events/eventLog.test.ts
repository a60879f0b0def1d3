import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type OpenDb, openDb } from '../db/openDb.js';
import { eventsAfter } from '../db/queries/events.js';
import { listHip3StreamGaps } from '../db/queries/hip3.js';
import { listIncidents } from '../db/queries/incidents.js';
import { createSqliteStore } from '../db/store/createSqliteStore.js';
import { EventLog, type EventWriter } from './eventLog.js';
import { chainFlagsPayload, chainStatusPayload } from './testEvents.js';

let open: OpenDb | null = null;
afterEach(() => open?.close());

function setup() {
  open = openDb({ path: ':memory:' });
  let now = 1000;
  const clock = { now: () => now };
  const log = new EventLog({
    store: createSqliteStore(open),
    clock,
    logger: pino({ level: 'silent' }),
  });
  return {
    db: open.db,
    log,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

const subject = { type: 'chain', id: '10' };

describe('EventLog', () => {
  it('publishes only after the commit: a listener finds its event in the database', async () => {
    const { db, log } = setup();
    const seen: number[] = [];
    log.subscribe((ev) => {
      expect(eventsAfter(db, { afterId: ev.id - 1, limit: 1 })[0]?.id).toBe(ev.id);
      seen.push(ev.id);
    });
    await log.write((w) => w.emit('chain.status', subject, chainStatusPayload({ to: 'halted' })));
    expect(seen).toEqual([1]);
  });

  it('publishes nothing when the transaction fails', async () => {
    const { db, log } = setup();
    const seen: unknown[] = [];
    log.subscribe((ev) => seen.push(ev));
    await expect(
      log.write(async (w) => {
        await w.emit('chain.status', subject, chainStatusPayload());
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).toEqual([]);
    expect(eventsAfter(db, { afterId: 0, limit: 10 })).toEqual([]);
  });

  it('keeps one open incident per subject and kind, escalates once and closes with events', async () => {
    const { db, log, tick } = setup();
    const kinds: string[] = [];
    log.subscribe((ev) => kinds.push(ev.kind));
    const first = await log.write((w) =>
      w.openIncident({ subject, kind: 'sequencer', severity: 'warning', title: 'degraded' }),
    );
    const again = await log.write((w) =>
      w.openIncident({ subject, kind: 'sequencer', severity: 'warning', title: 'degraded' }),
    );
    expect(again.id).toBe(first.id);
    tick(5000);
    await log.write(async (w) => {
      const inc = await w.escalateIncident(first, 'critical', 'halted');
      await w.escalateIncident(inc, 'critical');
      await w.touchIncident(inc, { peak: { maxSecondsSinceNewHead: 70 } });
    });
    tick(5000);
    await log.write(async (w) =>
      w.closeIncident((await w.findOpenIncident(subject, 'sequencer'))!),
    );
    expect(kinds).toEqual(['incident.opened', 'incident.escalated', 'incident.closed']);
    const [inc] = listIncidents(db, { limit: 10 }).items;
    expect(inc).toMatchObject({
      state: 'closed',
      severity: 'critical',
      title: 'halted',
      startedAt: 1000,
      endedAt: 11_000,
      peak: { maxSecondsSinceNewHead: 70 },
    });
  });

  it('a failing listener does not stop the others', async () => {
    const { log } = setup();
    const seen: number[] = [];
    log.subscribe(() => {
      throw new Error('listener bug');
    });
    log.subscribe((ev) => seen.push(ev.id));
    await log.write((w) => w.emit('chain.flags', subject, chainFlagsPayload()));
    expect(seen).toEqual([1]);
  });

  it('refuses an event outside the catalogue or with a wrong payload, and commits nothing', async () => {
    const { db, log } = setup();
    const seen: unknown[] = [];
    log.subscribe((ev) => seen.push(ev));
    const write = (emit: (w: EventWriter) => Promise<unknown>) =>
      log.write(async (w) => {
        await w.q.hip3.insertHip3StreamGap({ fromAt: 1, toAt: 2, reason: 'probe' });
        await emit(w);
      });
    // @ts-expect-error -- not a kind of the catalogue
    await expect(write((w) => w.emit('chain.exploded', subject, {}))).rejects.toThrow(
      'unknown event kind "chain.exploded"',
    );
    await expect(
      // @ts-expect-error -- `to` is a chain status
      write((w) => w.emit('chain.status', subject, chainStatusPayload({ to: 'on fire' }))),
    ).rejects.toThrow(/^chain\.status: payload\.to: /);
    await expect(
      write((w) =>
        w.emit('chain.status', { type: 'market', id: 'xyz:TSLA' }, chainStatusPayload()),
      ),
    ).rejects.toThrow('chain.status: subject type "market", expected "chain"');
    await expect(
      // An extra field slips past the compiler through a spread; the catalogue refuses it.
      write((w) => w.emit('chain.flags', subject, { ...chainFlagsPayload(), ...{ extra: 1 } })),
    ).rejects.toThrow(/^chain\.flags: payload: .*"extra"/);
    expect(seen).toEqual([]);
    expect(eventsAfter(db, { afterId: 0, limit: 10 })).toEqual([]);
    // The row written before the refused event rolled back with it.
    expect(listHip3StreamGaps(db)).toEqual([]);
  });
});
