import type { ChainScenario } from '../chains/ChainScenario.js';
import type { DevnetChainSpec } from '../chains/startDevnetChain.js';
import type { ReplayScenario, ReplayStep } from './hyperliquidScenarios.js';

/** Parameters of {@link positionScenarios.markWalk}. */
export type MarkWalkParameters = {
  /** Coin whose mark walks, e.g. `xyz:TSLA`. */
  coin: string;
  /** Mark at the start and at the end of the walk (e.g. a watched position's liquidation price). */
  fromPx: number;
  toPx: number;
  /** Number of equal steps. Default 20. */
  steps?: number;
  /** Virtual ms between steps. Default 3 000 (one oracle update). */
  stepMs?: number;
  /** Offset of the first step. Default 5 000. */
  startMs?: number;
};

/** Parameters of {@link positionScenarios.markWalkDuringHalt}. */
export type MarkWalkDuringHaltParameters = Omit<MarkWalkParameters, 'startMs'> & {
  /** The devnet chain halted around the walk. Default a 1 s interval chain `oracle-l2` (id 1901). */
  chain?: DevnetChainSpec;
  /**
   * The halt starts this long before the walk's first step, so a watcher has seen the chain halted
   * when the mark starts moving. Default 12 000 (a 1 s devnet chain reads halted after 6 s plus a
   * poll, `devnetChainEntry`).
   */
  haltLeadMs?: number;
  /** The chain resumes this long after the walk's last step. Default 5 000. */
  resumeAfterMs?: number;
};

/** A mark walk on the replay server and a chain halt on the devnet, on one timeline (t = 0 both). */
export type MarkWalkDuringHaltScenario = {
  name: 'markWalkDuringHalt';
  description: string;
  /** For `HyperliquidReplay.play` (virtual ms on the replay clock). */
  market: ReplayScenario;
  /** For `startDevnet(chain.chains)` + `playScenario` (real ms × `timeScale`). */
  chain: ChainScenario;
};

/** Scenarios for the position guard (watched accounts' positions). */
export const positionScenarios = {
  /**
   * The mark of `coin` walks in equal `setPrice` steps from `fromPx` to `toPx` — pass a watched
   * position's liquidation price as `toPx` to drive it through warn and critical to liquidation.
   * Combine with a devnet chain halt (`chainScenarios`) for the "during a halt" case.
   */
  markWalk: (p: MarkWalkParameters): ReplayScenario => {
    const steps = p.steps ?? 20;
    const stepMs = p.stepMs ?? 3_000;
    const startMs = p.startMs ?? 5_000;
    const list: ReplayStep[] = Array.from({ length: steps + 1 }, (_, i) => ({
      atMs: startMs + i * stepMs,
      action: { type: 'setPrice', coin: p.coin, px: p.fromPx + ((p.toPx - p.fromPx) * i) / steps },
    }));
    return {
      name: 'markWalk',
      description: `${p.coin}: mark walks ${p.fromPx} → ${p.toPx} in ${steps} steps`,
      steps: list,
      durationMs: startMs + steps * stepMs + 10_000,
    };
  },
  /**
   * A watched position's mark walks to its liquidation price (`toPx`) while a devnet chain (a real
   * anvil, halted through `DevnetChain.halt`) is halted: the halt starts `haltLeadMs` before the walk
   * and ends `resumeAfterMs` after it. Play `market` on the replay server and `chain` on the devnet
   * at the same moment (replay on a real-time clock, or `playScenario`'s `timeScale` = 1/scale).
   *
   * Whether the watcher multiplies the thresholds depends on how the venue depends on the chain,
   * which is the point of the scenario — the same timeline is alerted on differently:
   * - Hyperliquid ↔ Arbitrum One is a `bridge` dependency (`VENUE_CHAIN_IMPACT`): Hyperliquid runs
   *   its own L1 and Arbitrum carries only its USDC bridge (research/venues.md §6; Hyperliquid's docs
   *   on the Arbitrum bridge). A halt there changes no threshold — the real-world answer.
   * - A `prices` dependency (an L2-native venue such as GMX v2 on Arbitrum, venues.md §6, where the
   *   founding note's "keep liquidation distance ≥ 2× normal" applies) multiplies them. No public
   *   source shows a Hyperliquid market priced on an L2 chain: to exercise the multiplier for a
   *   Hyperliquid position the watcher's operator declares one (`positions.dependencies`), which
   *   is hypothetical, not a recorded venue.
   *
   * Assumptions and their evidence:
   * - Hyperliquid prices go on during the halt (so the mark can walk at all): venues.md §6, an
   *   inference from the architecture; no incident write-up of an Arbitrum halt mentions HL prices.
   * - One step per oracle update (3 s by default): HIP-3 deployers publish about every 3 s
   *   (research/hyperliquid.md §1.2, the replay's `oracleIntervalMs`). The steps are `setPrice`
   *   moves and ignore the 1 % mark clamp per update unless `steps` makes them ≤ 1 % (e.g. ≥ 24 steps
   *   for a 21 % walk); the walk's shape (linear) is invented, not recorded.
   * - The halt is the devnet's (no blocks, sends pending; packages/devnet chains README), with the
   *   compressed thresholds of `devnetChainEntry`; real halts last minutes to hours
   *   (research/sequencer.md §3). Its length here only has to cover the walk.
   */
  markWalkDuringHalt: (p: MarkWalkDuringHaltParameters): MarkWalkDuringHaltScenario => {
    const chain = p.chain ?? { name: 'oracle-l2', chainId: 1901, blockTime: 1 };
    const lead = p.haltLeadMs ?? 12_000;
    const steps = p.steps ?? 20;
    const stepMs = p.stepMs ?? 3_000;
    const walk = positionScenarios.markWalk({ ...p, steps, stepMs, startMs: lead });
    const resumeAt = lead + steps * stepMs + (p.resumeAfterMs ?? 5_000);
    return {
      name: 'markWalkDuringHalt',
      description: `${walk.description} while ${chain.name} is halted`,
      market: { ...walk, durationMs: Math.max(walk.durationMs, resumeAt) },
      chain: {
        name: 'markWalkDuringHalt',
        description: `${chain.name} halted from 0 to ${resumeAt} ms around a mark walk`,
        chains: [chain],
        steps: [
          { atMs: 0, chain: chain.name, action: { kind: 'halt' }, note: 'chain halted' },
          {
            atMs: resumeAt,
            chain: chain.name,
            action: { kind: 'resume' },
            note: 'chain resumes after the walk',
          },
        ],
        durationMs: resumeAt,
      },
    };
  },
} as const;
