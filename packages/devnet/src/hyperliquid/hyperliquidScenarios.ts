/** Kinds of malformed `allDexsAssetCtxs` frames the replay server can emit. */
export const malformedFrameKinds = [
  'notJson',
  'ctxsNotArray',
  'numbersInsteadOfStrings',
  'missingFields',
  'nanStrings',
  'hugeArray',
  'wrongDexTuple',
] as const;
export type MalformedFrameKind = (typeof malformedFrameKinds)[number];

/** One thing a scenario does to the simulated exchange. */
export type ReplayAction =
  /** The oracle writer stops publishing this coin (mark falls back to the book after 10 s). */
  | { type: 'oracleStall'; coin: string }
  | { type: 'oracleResume'; coin: string }
  /** The writer of a whole dex stops (no `setOracle` for any of its coins). */
  | { type: 'writerStall'; dex: string }
  | { type: 'writerResume'; dex: string }
  /** One mark step of `fraction` at the next oracle update — above 0.01 violates the 1 % clamp. */
  | { type: 'markJump'; coin: string; fraction: number }
  /** One oracle step of `fraction` at the next oracle update. */
  | { type: 'oracleJump'; coin: string; fraction: number }
  /** The book (and with it the mark, ≤ 1 % per update) trades `fraction` away from the oracle. */
  | { type: 'depeg'; coin: string; fraction: number }
  | { type: 'oiCap'; coin: string; atCap: boolean }
  /** Scales book depth; 0.02 ≈ collapse, 1 = normal. */
  | { type: 'depth'; coin: string; factor: number }
  /** Fast depth swings (alternating ×6 / ×0.5 every tick). */
  | { type: 'spoof'; coin: string; on: boolean }
  | { type: 'halt'; coin: string; halted: boolean }
  /** Set reference, oracle, mark and mid to `px` at once. */
  | { type: 'setPrice'; coin: string; px: number }
  /** `silent`: existing sockets stop sending anything (no close, no pong); `close`: terminate them. */
  | { type: 'wsDrop'; mode: 'silent' | 'close' }
  | { type: 'malformedFrames'; kinds: readonly MalformedFrameKind[] };

/** An action at an offset (virtual ms) from the scenario start. */
export type ReplayStep = { atMs: number; action: ReplayAction };

/** A named timeline. */
export type ReplayScenario = {
  name: string;
  description: string;
  steps: readonly ReplayStep[];
  /** Virtual length; `play(…, { loop })` restarts after it. */
  durationMs: number;
};

/** Parameters shared by the single-market scenarios. */
export type MarketScenarioParameters = {
  /** Target coin, e.g. `xyz:TSLA`. Default `xyz:TSLA`. */
  coin?: string;
  /** Offset of the incident from the start (virtual ms). Default 5 000. */
  startMs?: number;
};

const at = (atMs: number, action: ReplayAction): ReplayStep => ({ atMs, action });

/**
 * The scenario library (SPEC §4). Times are protocol time (virtual ms); run them under a scaled
 * clock to compress them.
 */
export const hyperliquidScenarios = {
  /** No incident: oracle every 3 s, small noise. */
  calm: (): ReplayScenario => ({
    name: 'calm',
    description: 'Normal operation',
    steps: [],
    durationMs: 60_000,
  }),
  /** The coin's oracle stops at `startMs` for 90 s, then resumes. */
  oracleStall: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'oracleStall',
    description: `${coin}: oracle stops for 90 s (fallback after 10 s, dead after 60 s)`,
    steps: [
      at(startMs, { type: 'oracleStall', coin }),
      at(startMs + 90_000, { type: 'oracleResume', coin }),
    ],
    durationMs: startMs + 120_000,
  }),
  /** One 2.5 % mark step — a violation of the 1 %-per-update clamp. */
  jumpViolation: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'jumpViolation',
    description: `${coin}: one mark step of 2.5 % (> 1 % clamp)`,
    steps: [at(startMs, { type: 'markJump', coin, fraction: 0.025 })],
    durationMs: startMs + 30_000,
  }),
  /** Book and mark drift 3.5 % (L1), then 6 % held 6 min (L2 after 30 s, L3 after 5 min), then back. */
  depeg: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'depeg',
    description: `${coin}: depeg 3.5 % then 6 % for 6 minutes`,
    steps: [
      at(startMs, { type: 'depeg', coin, fraction: 0.035 }),
      at(startMs + 20_000, { type: 'depeg', coin, fraction: 0.06 }),
      at(startMs + 400_000, { type: 'depeg', coin, fraction: 0 }),
    ],
    durationMs: startMs + 460_000,
  }),
  /** OI reaches the per-asset cap and the coin is listed by `perpsAtOpenInterestCap`. */
  oiCap: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'oiCap',
    description: `${coin}: open interest at its cap for 60 s`,
    steps: [
      at(startMs, { type: 'oiCap', coin, atCap: true }),
      at(startMs + 60_000, { type: 'oiCap', coin, atCap: false }),
    ],
    durationMs: startMs + 90_000,
  }),
  /** Depth within ±3 % falls to 2 % of normal for 60 s. */
  depthCollapse: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'depthCollapse',
    description: `${coin}: book depth collapses to 2 % for 60 s`,
    steps: [
      at(startMs, { type: 'depth', coin, factor: 0.02 }),
      at(startMs + 60_000, { type: 'depth', coin, factor: 1 }),
    ],
    durationMs: startMs + 90_000,
  }),
  /** Fast depth swings for 60 s. */
  spoofing: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'spoofing',
    description: `${coin}: depth swings ×6/×0.5 every tick for 60 s`,
    steps: [
      at(startMs, { type: 'spoof', coin, on: true }),
      at(startMs + 60_000, { type: 'spoof', coin, on: false }),
    ],
    durationMs: startMs + 90_000,
  }),
  /** `haltTrading`: book cleared, OI settled, listed as delisted; resumes after 60 s. */
  marketHalt: ({ coin = 'xyz:TSLA', startMs = 5_000 }: MarketScenarioParameters = {}) => ({
    name: 'marketHalt',
    description: `${coin}: trading halted for 60 s`,
    steps: [
      at(startMs, { type: 'halt', coin, halted: true }),
      at(startMs + 60_000, { type: 'halt', coin, halted: false }),
    ],
    durationMs: startMs + 90_000,
  }),
  /** Open sockets go silent without a close frame (new connections work). */
  wsDropSilent: ({ startMs = 5_000 }: { startMs?: number } = {}) => ({
    name: 'wsDropSilent',
    description: 'WebSocket goes silent without closing',
    steps: [at(startMs, { type: 'wsDrop', mode: 'silent' })],
    durationMs: startMs + 60_000,
  }),
  /** One malformed frame of every kind, between good frames. */
  malformedFrames: ({ startMs = 5_000 }: { startMs?: number } = {}) => ({
    name: 'malformedFrames',
    description: 'One malformed allDexsAssetCtxs frame of every kind',
    steps: [at(startMs, { type: 'malformedFrames', kinds: malformedFrameKinds })],
    durationMs: startMs + 30_000,
  }),
  /**
   * The `demo` timeline on two dexes (xyz and flx), ~10 minutes, meant to loop: a stall with
   * fallback and death, a jump violation, a depeg through L1→L2→L3, an OI cap hit, a depth
   * collapse, a halt and a silent WebSocket drop.
   */
  demo: (): ReplayScenario => ({
    name: 'demo',
    description: 'xyz + flx: stall, jump, depeg L1→L3, OI cap, depth collapse, halt, WS drop',
    steps: [
      at(20_000, { type: 'oracleStall', coin: 'xyz:TSLA' }),
      at(110_000, { type: 'oracleResume', coin: 'xyz:TSLA' }),
      at(30_000, { type: 'depeg', coin: 'flx:GOLD', fraction: 0.035 }),
      at(60_000, { type: 'depeg', coin: 'flx:GOLD', fraction: 0.06 }),
      at(420_000, { type: 'depeg', coin: 'flx:GOLD', fraction: 0 }),
      at(45_000, { type: 'markJump', coin: 'xyz:NVDA', fraction: 0.025 }),
      at(90_000, { type: 'oiCap', coin: 'flx:SILVER', atCap: true }),
      at(200_000, { type: 'oiCap', coin: 'flx:SILVER', atCap: false }),
      at(150_000, { type: 'depth', coin: 'xyz:XYZ100', factor: 0.02 }),
      at(240_000, { type: 'depth', coin: 'xyz:XYZ100', factor: 1 }),
      at(260_000, { type: 'halt', coin: 'flx:OIL', halted: true }),
      at(380_000, { type: 'halt', coin: 'flx:OIL', halted: false }),
      at(300_000, { type: 'wsDrop', mode: 'silent' }),
      at(320_000, { type: 'spoof', coin: 'xyz:GOLD', on: true }),
      at(400_000, { type: 'spoof', coin: 'xyz:GOLD', on: false }),
    ].sort((a, b) => a.atMs - b.atMs),
    durationMs: 600_000,
  }),
} as const;
