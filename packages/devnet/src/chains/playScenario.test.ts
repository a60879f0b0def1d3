import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainScenario, ChainScenarioStep } from './ChainScenario.js';
import { playScenario } from './playScenario.js';
import { type DevnetChain, startDevnet } from './startDevnetChain.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const scenario: ChainScenario = {
  name: 'test-short',
  description: 'two chains, controls 300 ms apart (listed out of order on purpose)',
  chains: [
    { name: 'a', chainId: 4501, blockTime: 1, rpcCount: 1, uptimeFeed: false },
    { name: 'b', chainId: 4502, blockTime: 1, rpcCount: 1, uptimeFeed: false },
  ],
  steps: [
    {
      atMs: 900,
      chain: 'a',
      action: { kind: 'rpcFault', index: 0, fault: 'none' },
      note: 'a rpc healthy',
    },
    { atMs: 0, chain: 'a', action: { kind: 'halt' }, note: 'a halts' },
    { atMs: 300, chain: 'b', action: { kind: 'stallSafeHead' }, note: 'b safe stall' },
    {
      atMs: 600,
      chain: 'a',
      action: { kind: 'rpcFault', index: 0, fault: 'http500' },
      note: 'a rpc 500',
    },
    { atMs: 600, chain: 'b', action: { kind: 'emptyBlocks', on: true }, note: 'b empty' },
  ],
  durationMs: 1_500,
};

describe('playScenario', () => {
  let devnet: { chains: readonly DevnetChain[]; stop(): Promise<void> };
  beforeAll(async () => {
    devnet = await startDevnet(scenario.chains);
  });
  afterAll(async () => {
    await devnet?.stop();
  });

  it('applies the steps in timeline order at their times (timeScale 2)', async () => {
    const seen: { note: string; elapsedMs: number }[] = [];
    const started = performance.now();
    await playScenario(devnet, scenario, {
      timeScale: 2,
      onStep: (step: ChainScenarioStep, { elapsedMs }) => seen.push({ note: step.note, elapsedMs }),
    });
    const total = performance.now() - started;
    expect(seen.map((s) => s.note)).toEqual([
      'a halts',
      'b safe stall',
      'a rpc 500',
      'b empty',
      'a rpc healthy',
    ]);
    const expectedMs = [0, 600, 1200, 1200, 1800];
    seen.forEach((s, i) => {
      expect(s.elapsedMs).toBeGreaterThanOrEqual(expectedMs[i]! - 5);
      expect(s.elapsedMs).toBeLessThan(expectedMs[i]! + 400); // loaded 2-core machine
    });
    expect(total).toBeGreaterThanOrEqual(3_000 - 5); // durationMs 1500 × 2
    // the actions really happened
    const [a] = devnet.chains;
    const direct = createPublicClient({ transport: http(a!.directRpcUrl), cacheTime: 0 });
    const head = await direct.getBlockNumber();
    await sleep(1_300);
    expect(await direct.getBlockNumber()).toBe(head);
    await a!.resume();
  });

  it('rejects a step that targets a chain the devnet does not run, before doing anything', async () => {
    const bad: ChainScenario = {
      ...scenario,
      steps: [{ atMs: 0, chain: 'zzz', action: { kind: 'halt' }, note: 'x' }],
    };
    await expect(playScenario(devnet, bad)).rejects.toThrow(
      /unknown chain "zzz" \(running: a, b\)/,
    );
  });

  it('stops between steps when aborted and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const playing = playScenario(devnet, scenario, {
      signal: controller.signal,
      onStep: (s) => seen.push(s.note),
    });
    setTimeout(() => controller.abort(new Error('stop the demo')), 450);
    await expect(playing).rejects.toThrow('stop the demo');
    expect(seen).toEqual(['a halts', 'b safe stall']);
    await devnet.chains[0]!.resume();
  });
});
