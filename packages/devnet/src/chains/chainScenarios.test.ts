import { describe, expect, it } from 'vitest';
import { chainScenarios, stuckEndpointsAfterHalt } from './chainScenarios.js';

/** Incidents the spec requires as replays (SPEC §4, sequencer.md §3), with a source URL each. */
const requiredReplays = {
  'arbitrum-2023-12-15': 'https://github.com/ArbitrumFoundation/docs/',
  'arbitrum-2023-06-07': 'https://arbitrumfoundation.notion.site/June-7-2023-Batch-Poster-Outage',
  'base-2025-08-05': 'https://base-l2.statuspage.io/incidents/kdq3t8s13gfs',
  'op-2024-02-15': 'https://status.optimism.io/clsmrawc31448hmlj2ja14ui3',
  'linea-2024-06-02': 'https://x.com/LineaBuild/status/1797283402745573837',
  // Issue 13: paths no earlier replay covers.
  'arbitrum-2022-01-09': 'https://offchain.medium.com/todays-arbitrum-sequencer-downtime',
  'zksync-2023-12-25': 'https://x.com/zkSyncDevs/status/1739395228233335154',
  'conduit-orbit-2024-05-12': 'https://conduitxyz.notion.site/External-Degen-and-Proof-of-Play',
} as const;

describe('chainScenarios', () => {
  it.each(Object.entries(requiredReplays))('has the %s replay citing %s', (name, url) => {
    const scenario = chainScenarios[name as keyof typeof chainScenarios];
    expect(scenario.name).toBe(name);
    expect('source' in scenario ? scenario.source : '').toContain(url);
  });

  it.each(['arbitrum-2022-01-09', 'zksync-2023-12-25', 'conduit-orbit-2024-05-12'] as const)(
    '%s states its expected status sequence for each chain',
    (name) => {
      const scenario = chainScenarios[name];
      expect(Object.keys(scenario.expectedStatuses ?? {})).toEqual(
        scenario.chains.map((c) => c.name),
      );
      for (const seq of Object.values(scenario.expectedStatuses ?? {})) {
        expect(seq).toEqual(['up', 'degraded', 'halted', 'recovering', 'up']);
      }
    },
  );

  it('conduit-orbit-2024-05-12 reorgs at least 10 blocks deep after the resumption', () => {
    const steps = chainScenarios['conduit-orbit-2024-05-12'].steps;
    const resume = steps.find((s) => s.action.kind === 'resume')!;
    const reorg = steps.find((s) => s.action.kind === 'reorg')!;
    expect(reorg.atMs).toBeGreaterThan(resume.atMs);
    expect(reorg.action).toMatchObject({ depth: expect.any(Number) });
    expect((reorg.action as { depth: number }).depth).toBeGreaterThanOrEqual(10);
  });

  it('stuckEndpointsAfterHalt: k of n endpoints stale from the halt until after the resumption; rejects k ≥ n', () => {
    const s = stuckEndpointsAfterHalt({ n: 5, k: 3 });
    expect(s.chains[0]?.rpcCount).toBe(5);
    const halt = s.steps.find((x) => x.action.kind === 'halt')!;
    const resume = s.steps.find((x) => x.action.kind === 'resume')!;
    const stale = s.steps.filter((x) => x.action.kind === 'rpcFault' && x.action.fault === 'stale');
    const healed = s.steps.filter((x) => x.action.kind === 'rpcFault' && x.action.fault === 'none');
    expect(stale.map((x) => (x.action as { index: number }).index)).toEqual([0, 1, 2]);
    expect(stale.every((x) => x.atMs === halt.atMs)).toBe(true);
    expect(healed.every((x) => x.atMs > resume.atMs)).toBe(true);
    expect(() => stuckEndpointsAfterHalt({ n: 3, k: 3 })).toThrow(/1 ≤ k < n/);
  });

  it('has a 3-chain demo with a 2 s chain, a tx-driven chain and a 1 s chain', () => {
    expect(chainScenarios.demo.chains.map((c) => c.blockTime)).toEqual([2, 'tx-driven', 1]);
    expect(chainScenarios.demo.chains[0]?.timestamps).toBe('op-stack');
    const kinds = chainScenarios.demo.steps.map((s) => `${s.chain}:${s.action.kind}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'op-devnet:halt',
        'op-devnet:resume',
        'arb-devnet:reorg',
        'fast-devnet:stallSafeHead',
      ]),
    );
  });

  it.each(['base-2025-08-05', 'op-2024-02-15'] as const)(
    '%s back-fills OP-stack timestamps after halts',
    (name) => {
      expect(chainScenarios[name].chains.map((c) => c.timestamps)).toEqual(['op-stack']);
    },
  );

  describe.each(Object.values(chainScenarios))('$name', (scenario) => {
    const names = scenario.chains.map((c) => c.name);

    it('keys match names, chain names are unique and every step targets one of them', () => {
      expect(chainScenarios[scenario.name as keyof typeof chainScenarios]).toBe(scenario);
      expect(new Set(names).size).toBe(names.length);
      for (const step of scenario.steps) expect(names).toContain(step.chain);
    });

    it('fits in its duration and leaves every chain as it found it', () => {
      const ordered = [...scenario.steps].sort((a, b) => a.atMs - b.atMs);
      expect(scenario.durationMs).toBeGreaterThan(0);
      for (const step of ordered) {
        expect(step.atMs).toBeGreaterThanOrEqual(0);
        expect(step.atMs).toBeLessThanOrEqual(scenario.durationMs ?? 0);
        expect(step.note.length).toBeGreaterThan(0);
      }
      for (const chain of names) {
        const state = { halted: false, stalled: false, empty: false, faults: new Set<number>() };
        for (const { action } of ordered.filter((s) => s.chain === chain)) {
          if (action.kind === 'halt') state.halted = true;
          if (action.kind === 'resume') state.halted = false;
          if (action.kind === 'stallSafeHead') state.stalled = true;
          if (action.kind === 'releaseSafeHead') state.stalled = false;
          if (action.kind === 'emptyBlocks') state.empty = action.on;
          if (action.kind === 'forkRpc') state.faults.add(action.index);
          if (action.kind === 'rpcFault') {
            if (action.fault === 'none') state.faults.delete(action.index);
            else state.faults.add(action.index);
          }
        }
        expect({ chain, ...state, faults: [...state.faults] }).toEqual({
          chain,
          halted: false,
          stalled: false,
          empty: false,
          faults: [],
        });
      }
    });

    it('holds every halt for at least 10 s so scaled-down watcher thresholds are crossed', () => {
      for (const chain of names) {
        const steps = [...scenario.steps]
          .filter((s) => s.chain === chain)
          .sort((a, b) => a.atMs - b.atMs);
        let haltedAt: number | null = null;
        for (const step of steps) {
          if (step.action.kind === 'halt') haltedAt = step.atMs;
          if (step.action.kind === 'resume' && haltedAt !== null) {
            expect(step.atMs - haltedAt).toBeGreaterThanOrEqual(10_000);
            haltedAt = null;
          }
        }
      }
    });
  });
});
