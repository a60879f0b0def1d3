import { describe, expect, it } from 'vitest';
import type { ChainScenario } from './ChainScenario.js';
import { chainScenarios } from './chainScenarios.js';
import { playScenario } from './playScenario.js';
import { startDevnet } from './startDevnetChain.js';

/** Plays a library scenario against real anvil chains, 25× faster than written. */
async function playFast(scenario: ChainScenario): Promise<string[]> {
  const devnet = await startDevnet(scenario.chains);
  try {
    const notes: string[] = [];
    await playScenario(devnet, scenario, {
      timeScale: 0.04,
      onStep: (step) => notes.push(`${step.chain}: ${step.note}`),
    });
    return notes;
  } finally {
    await devnet.stop();
  }
}

describe('every library scenario plays against real chains', () => {
  it('applies all steps of all scenarios without an error', { timeout: 60_000 }, async () => {
    const scenarios = Object.values(chainScenarios);
    const results = await Promise.all(scenarios.map(playFast));
    results.forEach((notes, i) => {
      const scenario = scenarios[i]!;
      const expected = [...scenario.steps]
        .map((s, j) => ({ s, j }))
        .sort((a, b) => a.s.atMs - b.s.atMs || a.j - b.j)
        .map(({ s }) => `${s.chain}: ${s.note}`);
      expect(notes).toEqual(expected);
    });
  });
});
