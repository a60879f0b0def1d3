import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChainScenario, chainScenarios, playScenario } from '@perpscope/devnet';
import type { IncidentList } from '@perpscope/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEventOfKind } from '../src/events/eventLog.js';
import {
  type DevnetWatcher,
  isSubsequence,
  startDevnetWatcher,
  statusEvents,
  statusSequence,
  waitFor,
} from './support/devnetWatcher.js';

/*
 * Real incidents replayed time-compressed by the devnet scenario library (sources in each
 * scenario's `source`, research/sequencer.md §3 #5 and #7) and the `tx-driven-idle` scenario, watched
 * with the compressed devnet thresholds. They run at once on one devnet, so each scenario's chain is
 * renamed.
 */
const TIME_SCALE = 0.75;

function renamed(s: ChainScenario, name: string, chainId: number): ChainScenario {
  const [spec] = s.chains;
  if (!spec) throw new Error(`scenario ${s.name} has no chain`);
  return {
    ...s,
    chains: [{ ...spec, name, chainId }],
    steps: s.steps.map((st) => ({ ...st, chain: name })),
  };
}

const dec15 = renamed(chainScenarios['arbitrum-2023-12-15'], 'arb-2023-12-15', 421_611);
const jun07 = renamed(chainScenarios['arbitrum-2023-06-07'], 'arb-2023-06-07', 421_612);
const idle = renamed(chainScenarios['tx-driven-idle'], 'tx-driven-idle', 421_613);

let dw: DevnetWatcher;

beforeAll(async () => {
  dw = await startDevnetWatcher({
    specs: [...dec15.chains, ...jun07.chains, ...idle.chains],
    timing: { pollIntervalMs: 250, graceSeconds: 4 },
    dbPath: join(mkdtempSync(join(tmpdir(), 'perpscope-replay-')), 'w.db'),
  });
  await waitFor(
    'both chains up',
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

const flagTimeline = (chainId: number) =>
  dw.events
    .filter(isEventOfKind('chain.flags'))
    .filter((e) => e.subject.id === String(chainId))
    .map((e) => e.payload.flags);

describe.concurrent('incident replays', { timeout: 120_000 }, () => {
  it('Arbitrum 2023-12-15: degraded → halted → recovering → up, with the safe head lagging before the halt', async () => {
    const id = dec15.chains[0]!.chainId;
    await playScenario({ chains: dw.chains }, dec15, { timeScale: TIME_SCALE });
    await waitFor(
      'back up after the grace period',
      async () => (await dw.get<{ status: string }>(`/v1/chains/${id}`)).status === 'up',
      10_000,
    );
    const seq = statusSequence(dw.events, id);
    expect(seq[0]).toBe('unknown');
    expect(
      isSubsequence(['up', 'degraded', 'halted', 'recovering', 'up'], seq),
      seq.join(' → '),
    ).toBe(true);
    // Degradation came first: no halt before the first degraded, no unknown once observed.
    expect(seq.indexOf('degraded')).toBeLessThan(seq.indexOf('halted'));
    expect(seq.slice(1)).not.toContain('unknown');
    const flags = flagTimeline(id);
    expect(flags.some((f) => f.safeLagCrit)).toBe(true);
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}&kind=sequencer`);
    // The incident open when the chain halted was escalated to critical. (Not simply the oldest:
    // on a loaded machine a short degraded blip before the scenario's degradation opens and closes
    // a warning incident of its own first.)
    const haltAt = statusEvents(dw.events, id).find((e) => e.to === 'halted')?.at;
    expect(haltAt).toBeDefined();
    const duringHalt = items.filter(
      (i) =>
        Date.parse(i.startedAt) <= haltAt! &&
        (i.endedAt === null || Date.parse(i.endedAt) >= haltAt!),
    );
    expect(duringHalt.map((i) => i.severity)).toEqual(['critical']);
    expect(items.every((i) => i.state === 'closed')).toBe(true);
  });

  it('tx-driven-idle: an idle Nitro-class chain whose probe answers stays up (flag idle) for the whole lull; the halt after it is still detected', async () => {
    const id = idle.chains[0]!.chainId;
    const applied: Record<string, number> = {};
    const start = Date.now();
    // Real time (scale 1): its 15 s halt must outlast the 10 s halt threshold plus the probe timeout.
    await playScenario({ chains: dw.chains }, idle, {
      onStep: (s) => {
        applied[`${s.action.kind}:${'on' in s.action ? s.action.on : ''}`] = Date.now();
      },
    });
    await waitFor(
      'up after the grace period',
      async () => (await dw.get<{ status: string }>(`/v1/chains/${id}`)).status === 'up',
      10_000,
    );
    const events = statusEvents(dw.events, id);
    console.info(
      `tx-driven-idle: ${events
        .filter((e) => e.at >= start)
        .map((e) => `+${((e.at - start) / 1000).toFixed(1)}s ${e.to}`)
        .join(', ')}`,
    );
    const seq = statusSequence(dw.events, id);
    expect(seq.slice(seq.indexOf('up')), seq.join(' → ')).toEqual([
      'up',
      'degraded',
      'halted',
      'recovering',
      'up',
    ]);
    // The whole lull (no transactions → no blocks) and until the halt: not a single change.
    const lullStart = applied['emptyBlocks:true']!;
    const haltAt = applied['halt:']!;
    expect(events.filter((e) => e.at >= lullStart && e.at < haltAt)).toEqual([]);
    const idleFlags = flagTimeline(id).filter((f) => f.idle);
    expect(idleFlags.length).toBeGreaterThan(0);
  });

  it('Arbitrum 2023-06-07: safe lag only — the status stays up while safeLagWarn then safeLagCrit rise and clear', async () => {
    const id = jun07.chains[0]!.chainId;
    await playScenario({ chains: dw.chains }, jun07, { timeScale: TIME_SCALE });
    const seq = statusSequence(dw.events, id);
    expect(seq.slice(0, 2)).toEqual(['unknown', 'up']);
    // Safe lag alone never degrades or halts the chain. (A transient `unknown` would only mean the
    // overloaded test machine timed out every RPC at once; it is not part of the scenario.)
    expect(
      seq.filter((s) => s !== 'up' && s !== 'unknown'),
      seq.join(' → '),
    ).toEqual([]);
    const flags = flagTimeline(id);
    const warnAt = flags.findIndex((f) => f.safeLagWarn);
    const critAt = flags.findIndex((f) => f.safeLagCrit);
    expect(warnAt).toBeGreaterThanOrEqual(0);
    expect(critAt).toBeGreaterThan(warnAt);
    expect(flags.at(-1)).toEqual({
      reorg: false,
      safeLagWarn: false,
      safeLagCrit: false,
      feedDown: false,
      idle: false,
    });
    const { items } = await dw.get<IncidentList>(`/v1/incidents?subjectId=${id}`);
    expect(items.map((i) => [i.kind, i.severity, i.state])).toEqual([
      ['safe-lag', 'critical', 'closed'],
    ]);
  });
});
