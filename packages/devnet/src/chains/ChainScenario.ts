import type { ChainFault } from './createRpcProxy.js';
import type { DevnetChainSpec } from './startDevnetChain.js';

/** One control applied to a devnet chain; mirrors the `DevnetChain` methods. */
export type ChainAction =
  | { kind: 'halt' }
  | { kind: 'resume' }
  | { kind: 'slowBlocks'; secondsPerBlock: number }
  | { kind: 'emptyBlocks'; on: boolean }
  | { kind: 'reorg'; depth: number }
  | { kind: 'stallSafeHead' }
  | { kind: 'releaseSafeHead' }
  | { kind: 'rpcFault'; index: number; fault: ChainFault }
  | { kind: 'forkRpc'; index: number; aheadBlocks: number }
  | { kind: 'sequencerUp'; up: boolean }
  | { kind: 'uptimeFeedReverts'; on: boolean };

/** A timed control: at `atMs` after the scenario starts, apply `action` to the chain named `chain`. */
export type ChainScenarioStep = {
  /** Milliseconds after the start of the scenario (before `timeScale`). */
  atMs: number;
  /** `DevnetChainSpec.name` of the target chain. */
  chain: string;
  action: ChainAction;
  /** What this step represents (shown by the demo and in test failure messages). */
  note: string;
};

/** A time-compressed timeline of chain controls, with the chains it needs. */
export type ChainScenario = {
  name: string;
  description: string;
  /** For replays of real incidents: the incident and its sources (sequencer.md §3). */
  source?: string;
  /** Chains to start (`startDevnet(scenario.chains)`) before playing. */
  chains: readonly DevnetChainSpec[];
  steps: readonly ChainScenarioStep[];
  /** Total length in ms (before `timeScale`); `playScenario` waits until then after the last step. */
  durationMs?: number;
  /**
   * For replays: per chain name, the status sequence a watcher with the compressed devnet thresholds
   * must report (consecutive repeats collapsed, from the first `up` on), written from the
   * post-mortem before any watcher was run against the scenario.
   */
  expectedStatuses?: Readonly<Record<string, readonly ReplayStatus[]>>;
};

/** The watcher's chain statuses, as replays name them (`@perpscope/schemas` `ChainStatus`). */
export type ReplayStatus = 'up' | 'degraded' | 'halted' | 'recovering' | 'unknown';
