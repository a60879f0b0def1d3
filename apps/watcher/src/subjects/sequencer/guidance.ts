import type { ChainStatus, HaltPhase } from '@perpscope/schemas';

/** Maps a status onto the halt playbook of SPEC §0 note 1. */
export function phaseOf(status: ChainStatus): HaltPhase | null {
  switch (status) {
    case 'degraded':
      return 'pre-halt';
    case 'halted':
      return 'halted';
    case 'recovering':
      return 'recovering';
    default:
      return null;
  }
}

/**
 * Note 1's guidance per phase (SPEC §0 note 1), as short plain-text sentences shown beside the badge.
 */
export const phaseGuidance: Record<HaltPhase, readonly string[]> = {
  'pre-halt': [
    'Warning signs: block gaps, transaction delays or a lagging safe head.',
    'Cut L2 beta and shrink cross-chain arbitrage.',
    'Pre-define delta-neutral plans with maximum rates, margin and liquidation thresholds.',
    'Widen or pull LP ranges.',
  ],
  halted: [
    'No new blocks: DEX prices on this chain are frozen while CEX prices move.',
    'Move execution to a CEX; capture funding delta-neutral, trade basis, small stable spreads.',
    'Size strictly by volatility target; keep liquidation distance at least 2× normal.',
  ],
  recovering: [
    'Blocks are flowing again: expect gaps on thin books and possible reorgs.',
    'No market orders (use OCO); unwind hedges shortest-latency first.',
    "Don't chase a completed reversion.",
  ],
};

/** Guidance for a status (empty for `up` and `unknown`). */
export function guidanceFor(status: ChainStatus): readonly string[] {
  const phase = phaseOf(status);
  return phase ? phaseGuidance[phase] : [];
}
