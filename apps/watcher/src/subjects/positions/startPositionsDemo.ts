import type { HyperliquidReplay } from '@perpscope/devnet';
import type { StoredEvent } from '../../db/queries/events.js';
import { positionEventKinds, type StoredPositionState } from './recordPositionChanges.js';

/** The position-guard part of `perpscope-watcher demo`. */
export type PositionsDemo = {
  /** The `positions` config section guarding the demo account. */
  config: Record<string, unknown>;
  /** A narration line for a position event, `null` for other events. */
  describe(ev: StoredEvent): string | null;
  stop(): void;
};

/** A replay account that no real wallet uses. */
const DEMO_ACCOUNT = '0x00000000000000000000000000000000000de300';
const COIN = 'xyz:AMZN';
const ROUND_MS = 90_000;
const STEP_MS = 3_000;

/**
 * Guards one replay account in the demo: 10 `xyz:AMZN` long, isolated at 10× (liquidation ≈ 79 % of
 * entry). Every ~90 s round the mark walks from the entry to 80 % of it in 3-second steps (warn
 * below ~87.7 %, critical below ~83.1 %), the position is liquidated at the end of the walk (a
 * liquidation fill on the replay server), and the next round opens it again.
 */
export function startPositionsDemo(replay: HyperliquidReplay): PositionsDemo {
  const entry = Number(replay.ctxOf(COIN)?.markPx ?? 200);
  const open = () => {
    replay.setMark(COIN, entry);
    replay.setAccount(DEMO_ACCOUNT, 'xyz', {
      crossRawUsd: '0.0',
      positions: [
        {
          coin: COIN,
          szi: '10',
          entryPx: String(entry),
          leverage: { type: 'isolated', value: 10, rawUsd: String(-7.5 * entry) },
        },
      ],
    });
  };
  open();
  const walkSteps = 20;
  let step = 0;
  const timer = setInterval(() => {
    step = (step + 1) % Math.round(ROUND_MS / STEP_MS);
    if (step === 0) open();
    else if (step <= walkSteps) replay.setMark(COIN, entry * (1 - (0.2 * step) / walkSteps));
    else if (step === walkSteps + 2) replay.users.liquidate(DEMO_ACCOUNT, 'xyz', COIN);
  }, STEP_MS);
  timer.unref();
  return {
    config: {
      pollIntervalSeconds: 2,
      accounts: [{ address: DEMO_ACCOUNT, label: 'demo trader' }],
    },
    describe(ev) {
      if (!ev.kind.startsWith('position.')) return null;
      const p: Record<string, unknown> = ev.payload;
      if (ev.kind === positionEventKinds.level) {
        const pos = p.position as StoredPositionState;
        return `  [guard]  ${String(p.label)} ${pos.coin}: ${String(p.from)} → ${String(p.to)} — liquidation ${Number(pos.distancePct).toFixed(2)} % away (liq ${Number(pos.liquidationPrice).toFixed(2)}, mark ${Number(pos.markPrice).toFixed(2)})`;
      }
      if (ev.kind === positionEventKinds.liquidated)
        return `  [guard]  ${String(p.label)} ${String(p.coin)}: LIQUIDATED — ${String(p.sz)} at ${String(p.px)}`;
      return '';
    },
    stop: () => clearInterval(timer),
  };
}
