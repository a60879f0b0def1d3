/** Parameters of {@link allDexsClearinghouseStateFrame}. */
export type AllDexsClearinghouseStateFrameParameters = {
  /** The subscribed user (any case; sent back lowercase). */
  user: string;
  /** Every served dex, the main dex `''` first. */
  dexes: readonly string[];
  /** The server's own `clearinghouseState` answer for one user and dex (same body as `POST /info`). */
  stateOf: (user: string, dex: string) => { status: number; body: unknown };
};

/**
 * One `allDexsClearinghouseState` WebSocket frame: the user's `clearinghouseState` on every dex in
 * one message, as `@nktkas/hyperliquid` 0.33.3 types it
 * (`esm/api/subscription/_methods/allDexsClearinghouseState.d.ts`, `AllDexsClearinghouseStateEvent`:
 * `{ user, clearinghouseStates: [dex, ClearinghouseStateResponse][] }`, the main dex named `''`),
 * wrapped in the usual `{ channel, data }` envelope. Built from the same function that answers the
 * REST request, so both paths carry identical states. A dex whose state cannot be built is left out.
 */
export function allDexsClearinghouseStateFrame(
  p: AllDexsClearinghouseStateFrameParameters,
): string {
  const user = p.user.toLowerCase();
  const clearinghouseStates: [string, unknown][] = [];
  for (const dex of p.dexes) {
    const out = p.stateOf(user, dex);
    if (out.status === 200) clearinghouseStates.push([dex, out.body]);
  }
  return JSON.stringify({
    channel: 'allDexsClearinghouseState',
    data: { user, clearinghouseStates },
  });
}
