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
} as const;
