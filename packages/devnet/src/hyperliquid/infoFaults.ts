import type { ServerResponse } from 'node:http';

/**
 * A failure the replay server plays on `POST /info` and `/explorer`, for clients' error paths:
 * - `status`: answer every matching request with this HTTP status and an empty body, as HL's rate
 *   limiter does with 429 and an overloaded backend with 500;
 * - `hang`: hold every matching request for `ms` real milliseconds, then answer it normally (a
 *   client with a shorter timeout sees a timeout).
 *
 * `types` limits the fault to those request types (`clearinghouseState`, …); absent = all.
 */
export type InfoFault =
  | { readonly kind: 'status'; readonly status: number; readonly types?: readonly string[] }
  | { readonly kind: 'hang'; readonly ms: number; readonly types?: readonly string[] };

/** What {@link InfoFaults.play} did with a request. */
export type PlayedFault =
  | { readonly played: 'status'; readonly status: number }
  | { readonly played: 'held' };

/** The fault switch of one replay server (`replay.setInfoFault`). */
export type InfoFaults = {
  /**
   * Sets, or with null clears, the fault; responses already held keep their delay.
   *
   * @throws {RangeError} for a status outside 400–599 or a negative hang.
   */
  set(fault: InfoFault | null): void;
  /**
   * Plays the current fault on one request of `type`: sends the status now, or runs `answer` after
   * the hang (unless the client went away). Null when no fault applies (answer normally).
   */
  play(params: {
    readonly type: string;
    readonly res: ServerResponse;
    readonly answer: () => void;
  }): PlayedFault | null;
  /** Answers every held request now (server stop). */
  releaseAll(): void;
};

/** Creates the fault switch used by `startHyperliquidReplay`. */
export function createInfoFaults(): InfoFaults {
  let fault: InfoFault | null = null;
  const held = new Set<() => void>();
  return {
    set(next) {
      if (next?.kind === 'status' && !(next.status >= 400 && next.status <= 599))
        throw new RangeError(`Hyperliquid replay: fault status ${next.status} is not 400–599`);
      if (next?.kind === 'hang' && !(next.ms >= 0))
        throw new RangeError(`Hyperliquid replay: hang of ${next.ms} ms is negative`);
      fault = next;
    },
    play({ type, res, answer }) {
      const f = fault;
      if (!f || (f.types && !f.types.includes(type))) return null;
      if (f.kind === 'status') {
        res.writeHead(f.status, { 'content-length': '0' });
        res.end();
        return { played: 'status', status: f.status };
      }
      const release = () => {
        clearTimeout(timer);
        held.delete(release);
        if (!res.destroyed && !res.writableEnded) answer();
      };
      const timer = setTimeout(release, f.ms);
      held.add(release);
      return { played: 'held' };
    },
    releaseAll() {
      for (const release of [...held]) release();
    },
  };
}
