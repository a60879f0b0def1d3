import type { ChainAction, ChainScenario, ChainScenarioStep } from './ChainScenario.js';
import { DevnetChainError } from './DevnetChainError.js';
import type { DevnetChain } from './startDevnetChain.js';

/** Options of {@link playScenario}. */
export type PlayScenarioOptions = {
  /** Called after each step's action has been applied, in timeline order. */
  onStep?: (step: ChainScenarioStep, info: { elapsedMs: number }) => void;
  /** Aborting stops the timeline between steps; `playScenario` then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Multiplies every `atMs` (and `durationMs`): 0.1 plays ten times faster, 2 half as fast.
   * Default 1.
   */
  timeScale?: number;
};

/** Applies one action to a chain. */
export async function applyChainAction(chain: DevnetChain, action: ChainAction): Promise<void> {
  switch (action.kind) {
    case 'halt':
      return chain.halt();
    case 'resume':
      return chain.resume();
    case 'slowBlocks':
      return chain.slowBlocks(action.secondsPerBlock);
    case 'emptyBlocks':
      return chain.emptyBlocks(action.on);
    case 'reorg':
      return chain.reorg(action.depth);
    case 'stallSafeHead':
      return chain.stallSafeHead();
    case 'releaseSafeHead':
      return chain.releaseSafeHead();
    case 'rpcFault':
      return chain.setRpcFault(action.index, action.fault);
    case 'forkRpc':
      return chain.forkRpc(action.index, { aheadBlocks: action.aheadBlocks });
    case 'sequencerUp':
      return chain.setSequencerUp(action.up);
    case 'uptimeFeedReverts':
      return chain.setUptimeFeedReverts(action.on);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Plays a scenario against running chains: waits until each step's `atMs × timeScale` (measured
 * from the call) and applies its action, strictly in timeline order (steps with equal `atMs` keep
 * their listed order). An action that takes a while (e.g. waiting for an uptime-feed write to be
 * mined) delays later steps rather than overlapping them.
 *
 * @throws DevnetChainError before anything runs when a step names an unknown chain or the
 *   timeScale is not positive; rejects with `signal.reason` when aborted.
 * @example
 * const devnet = await startDevnet(chainScenarios.demo.chains);
 * await playScenario(devnet, chainScenarios.demo, { onStep: (s) => console.log(s.note) });
 */
export async function playScenario(
  devnet: { readonly chains: readonly DevnetChain[] },
  scenario: ChainScenario,
  opts: PlayScenarioOptions = {},
): Promise<void> {
  const scale = opts.timeScale ?? 1;
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new DevnetChainError(`playScenario "${scenario.name}": timeScale must be > 0`, {
      chain: scenario.name,
    });
  }
  const byName = new Map(devnet.chains.map((c) => [c.name, c]));
  for (const step of scenario.steps) {
    if (!byName.has(step.chain)) {
      throw new DevnetChainError(
        `scenario "${scenario.name}" step at ${step.atMs} ms targets unknown chain "${step.chain}" (running: ${[...byName.keys()].join(', ')})`,
        { chain: step.chain },
      );
    }
  }
  const steps = scenario.steps
    .map((step, i) => ({ step, i }))
    .sort((a, b) => a.step.atMs - b.step.atMs || a.i - b.i)
    .map((s) => s.step);
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  for (const step of steps) {
    await sleep(Math.max(0, step.atMs * scale - elapsed()), opts.signal);
    await applyChainAction(byName.get(step.chain)!, step.action);
    opts.onStep?.(step, { elapsedMs: elapsed() });
  }
  if (scenario.durationMs !== undefined) {
    await sleep(Math.max(0, scenario.durationMs * scale - elapsed()), opts.signal);
  }
}
