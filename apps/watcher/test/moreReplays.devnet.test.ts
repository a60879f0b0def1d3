import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ChainScenario,
  type ChainScenarioStep,
  chainScenarios,
  playScenario,
} from '@perpscope/devnet';
import type { ChainDetail, IncidentList } from '@perpscope/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEventOfKind } from '../src/events/eventLog.js';
import {
  type DevnetWatcher,
  startDevnetWatcher,
  statusEvents,
  statusSequence,
  waitFor,
} from './support/devnetWatcher.js';

/*
 * Issue 13: three more real incidents (research/sequencer.md §3 #2, #8, #12; sources in each
 * scenario's `source`) and the stuck/forked-endpoint scenarios, replayed time-compressed on one
 * devnet watched by one watcher, next to a healthy control chain that nothing touches. Each
 * replay's expected status sequence is the scenario's `expectedStatuses`, written from the
 * post-mortem before this test existed. Compressed devnet thresholds (src/demo/devnetChainEntry.ts):
 * 1 s chains degraded after 3 s / halted after 6 s; tx-driven (Nitro) 5 s / 10 s plus a failed probe.
 */
const TIME_SCALE = 0.75;
const POLL_MS = 250;
const GRACE_S = 4;
const TOLERANCE_MS = 2000;

function renamed(s: ChainScenario, name: string, chainId: number): ChainScenario {
  const [spec] = s.chains;
  if (!spec) throw new Error(`scenario ${s.name} has no chain`);
  return {
    ...s,
    chains: [{ ...spec, name, chainId }],
    steps: s.steps.map((st) => ({ ...st, chain: name })),
    expectedStatuses: Object.fromEntries(
      Object.values(s.expectedStatuses ?? {}).map((seq) => [name, seq]),
    ),
  };
}

const arb = renamed(chainScenarios['arbitrum-2022-01-09'], 'arb-2022-01-09', 421_621);
const zk = renamed(chainScenarios['zksync-2023-12-25'], 'zksync-2023-12-25', 3241);
const orbit = renamed(chainScenarios['conduit-orbit-2024-05-12'], 'degen-2024-05-12', 6661);
const stuck = renamed(chainScenarios['stuck-rpcs-2-of-3'], 'stuck-rpcs', 9061);
const forked = renamed(chainScenarios['fork-ahead-1-of-3'], 'forked-rpc', 9071);
const control = { name: 'control', chainId: 9999, blockTime: 1 } as const;

let dw: DevnetWatcher;

beforeAll(async () => {
  dw = await startDevnetWatcher({
    specs: [arb, zk, orbit, stuck, forked].flatMap((s) => s.chains).concat([control]),
    timing: { pollIntervalMs: POLL_MS, graceSeconds: GRACE_S },
    dbPath: join(mkdtempSync(join(tmpdir(), 'perpscope-replay2-')), 'w.db'),
    // ZKsync Era is a zk-class chain: no invalid-tx probe, halted on head progress alone.
    overrides: { [zk.chains[0]!.name]: { class: 'zk' } },
  });
  await waitFor(
    'every chain up',
    async () => {
      const { chains } = await dw.get<{ chains: { status: string }[] }>('/v1/chains');
      return chains.every((c) => c.status === 'up');
    },
    30_000,
  );
}, 60_000);

afterAll(async () => {
  await dw?.stop();
});

type Played = { start: number; steps: { step: ChainScenarioStep; at: number }[] };

/** Plays a scenario, recording the wall-clock time each step was applied. */
async function play(s: ChainScenario): Promise<Played> {
  const start = Date.now();
  const steps: Played['steps'] = [];
  await playScenario({ chains: dw.chains }, s, {
    timeScale: TIME_SCALE,
    onStep: (step) => steps.push({ step, at: Date.now() }),
  });
  return { start, steps };
}

const stepAt = (p: Played, kind: string) => p.steps.find((s) => s.step.action.kind === kind)!.at;

/**
 * `+12.3s halted` per status change after the scenario start, when each step was applied, and
 * every reorg recorded (printed for the report and for a failure's story; the assertions don't
 * read it).
 */
function timeline(chainId: number, start: number, p?: Played): string {
  const t = (at: number) => `+${((at - start) / 1000).toFixed(1)}s`;
  const statuses = statusEvents(dw.events, chainId)
    .filter((e) => e.at >= start)
    .map((e) => `${t(e.at)} ${e.to}`)
    .join(', ');
  const steps = (p?.steps ?? []).map((s) => `${t(s.at)} ${s.step.action.kind}`).join(', ');
  const reorgs = reorgEvents(chainId)
    .map((e) => `${t(e.at)} depth ${e.payload.depth} from ${e.payload.fromNumber}`)
    .join(', ');
  return `statuses [${statuses}] steps [${steps}]${reorgs && ` reorgs [${reorgs}]`}`;
}

/** The watcher's statuses from the first `up` on, consecutive repeats collapsed. */
function observed(chainId: number): string[] {
  const seq = statusSequence(dw.events, chainId);
  return seq.slice(seq.indexOf('up'));
}

/**
 * 0 false `up` during the halt: from the moment the halt threshold (+ probe timeout, one poll and
 * the tolerance) has passed until the resumption, the chain is `halted` and never changes.
 */
function expectHaltedThroughout(chainId: number, from: number, to: number) {
  const events = statusEvents(dw.events, chainId);
  const before = events.filter((e) => e.at <= from).at(-1);
  expect(before?.to, timeline(chainId, from)).toBe('halted');
  expect(events.filter((e) => e.at > from && e.at < to)).toEqual([]);
}

const reorgEvents = (chainId: number) =>
  dw.events.filter(isEventOfKind('chain.reorg')).filter((e) => e.subject.id === String(chainId));

describe.concurrent('more incident replays (issue 13)', { timeout: 150_000 }, () => {
  it('Arbitrum One 2022-01-09: a multi-hour halt with no reorg', async () => {
    const id = arb.chains[0]!.chainId;
    const p = await play(arb);
    await waitFor(
      'up after the grace period',
      async () => (await dw.get<ChainDetail>(`/v1/chains/${id}`)).status === 'up',
      GRACE_S * 1000 + TOLERANCE_MS + 2000,
    );
    console.info(`arbitrum-2022-01-09: ${timeline(id, p.start, p)}`);
    expect(observed(id)).toEqual(arb.expectedStatuses![arb.chains[0]!.name]);
    const haltedBy = stepAt(p, 'halt') + 10_000 + 1000 + POLL_MS + TOLERANCE_MS;
    expectHaltedThroughout(id, haltedBy, stepAt(p, 'resume'));
    expect(reorgEvents(id)).toEqual([]);
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}`);
    expect(items.map((i) => [i.kind, i.severity, i.state])).toContainEqual([
      'sequencer',
      'critical',
      'closed',
    ]);
    expect(items.map((i) => i.kind)).not.toContain('reorg');
  });

  it('ZKsync Era 2023-12-25: safety-mode halt, safe head stalled with it, then resume', async () => {
    const id = zk.chains[0]!.chainId;
    const p = await play(zk);
    await waitFor(
      'up after the grace period',
      async () => (await dw.get<ChainDetail>(`/v1/chains/${id}`)).status === 'up',
      GRACE_S * 1000 + TOLERANCE_MS + 2000,
    );
    console.info(`zksync-2023-12-25: ${timeline(id, p.start, p)}`);
    expect(observed(id)).toEqual(zk.expectedStatuses![zk.chains[0]!.name]);
    expectHaltedThroughout(
      id,
      stepAt(p, 'halt') + 6000 + POLL_MS + TOLERANCE_MS,
      stepAt(p, 'resume'),
    );
    const flags = dw.events
      .filter(isEventOfKind('chain.flags'))
      .filter((e) => e.subject.id === String(id))
      .map((e) => e.payload.flags);
    expect(flags.some((f) => f.safeLagCrit)).toBe(true);
    await waitFor(
      'safe-lag flags cleared',
      async () => {
        const d = await dw.get<ChainDetail>(`/v1/chains/${id}`);
        return !d.flags.safeLagWarn && !d.flags.safeLagCrit;
      },
      5000,
    );
    expect(reorgEvents(id)).toEqual([]);
  });

  it('Conduit Orbit 2024-05-12: outage, then a deep reorg after the resumption', async () => {
    const id = orbit.chains[0]!.chainId;
    const p = await play(orbit);
    await waitFor(
      'up after the grace period',
      async () => (await dw.get<ChainDetail>(`/v1/chains/${id}`)).status === 'up',
      GRACE_S * 1000 + TOLERANCE_MS + 4000,
    );
    console.info(`conduit-orbit-2024-05-12: ${timeline(id, p.start, p)}`);
    expect(observed(id)).toEqual(orbit.expectedStatuses![orbit.chains[0]!.name]);
    const haltedBy = stepAt(p, 'halt') + 10_000 + 1000 + POLL_MS + TOLERANCE_MS;
    expectHaltedThroughout(id, haltedBy, stepAt(p, 'resume'));
    const reorgs = reorgEvents(id);
    expect(reorgs.length).toBeGreaterThanOrEqual(1);
    expect(reorgs.every((e) => e.at >= stepAt(p, 'resume'))).toBe(true);
    expect(Math.max(...reorgs.map((e) => Number(e.payload.depth)))).toBeGreaterThanOrEqual(10);
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=reorg`);
    expect(items[0]?.severity).toBe('critical');
    expect(items[0]?.peak.maxReorgDepth).toBeGreaterThanOrEqual(10);
  });

  it('stuck-rpcs-2-of-3: recovers while the stuck pair outnumbers the healthy endpoint; the head never goes backwards', async () => {
    const id = stuck.chains[0]!.chainId;
    const heads: number[] = [];
    let verdicts: string[] = [];
    const sampling = (async () => {
      const until = Date.now() + 40_000 * TIME_SCALE;
      while (Date.now() < until) {
        const d = await dw.get<ChainDetail>(`/v1/chains/${id}`);
        if (d.head) heads.push(d.head.number);
        if (d.rpcs[0]?.health === 'stuck') verdicts = d.rpcs.map((r) => r.health);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const p = await play(stuck);
    await sampling;
    console.info(`stuck-rpcs-2-of-3: ${timeline(id, p.start, p)}`);
    expect(observed(id)).toEqual(stuck.expectedStatuses![stuck.chains[0]!.name]);
    expect(verdicts).toEqual(['stuck', 'stuck', 'healthy']);
    expect(heads.findIndex((h, i) => i > 0 && h < heads[i - 1]!)).toBe(-1);
  });

  it('fork-ahead-1-of-3: the forked endpoint is never believed; the chain stays up with no reorg', async () => {
    const id = forked.chains[0]!.chainId;
    let sawFailing = false;
    const sampling = (async () => {
      const until = Date.now() + 20_000 * TIME_SCALE;
      while (Date.now() < until) {
        const d = await dw.get<ChainDetail>(`/v1/chains/${id}`);
        if (d.rpcs[0]?.reasonCode === 'inconsistent-chain') sawFailing = true;
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const p = await play(forked);
    await sampling;
    console.info(`fork-ahead-1-of-3: ${timeline(id, p.start, p)}`);
    expect(observed(id)).toEqual(forked.expectedStatuses![forked.chains[0]!.name]);
    expect(sawFailing).toBe(true);
    expect(reorgEvents(id)).toEqual([]);
  });

  it('the healthy control chain beside them: never halted (nor degraded)', async () => {
    const id = dw.chain(control.name).chainId;
    const start = Date.now();
    // Runs as long as the longest replay.
    await new Promise((r) => setTimeout(r, (orbit.durationMs ?? 0) * TIME_SCALE));
    console.info(`control: ${timeline(id, start)}`);
    expect(observed(id)).toEqual(['up']);
  });
});
