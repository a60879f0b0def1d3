/**
 * The latest mark of one market as a subject holds it (read-only), e.g. the HIP-3 watch's ctx stream.
 * Prices are decimal strings as the venue sends them.
 */
export type MarkQuote = {
  /** The venue's mark price (decimal string). */
  markPx: string;
  /** When the watcher received it (watcher clock, ms). */
  receivedMs: number;
  /** How it arrived: the push stream or the REST fallback (`metaAndAssetCtxs`). */
  via: 'ws' | 'rest';
};

/** A read-only view of the marks one subject holds, by the venue's coin name (`BTC`, `xyz:TSLA`). */
export type MarkSource = {
  /** `null` when the subject does not watch `coin` or holds no usable mark for it right now. */
  markOf(coin: string): MarkQuote | null;
};

/**
 * Where subjects offer their marks to one another without importing each other's internals: a
 * subject that holds marks `provide`s a {@link MarkSource}; a subject that needs marks reads
 * `markOf` at use time (so start order does not matter). Composed by `runtime/startWatcher.ts`.
 */
export type MarkBoard = MarkSource & {
  /** Registers a source; the first one that knows a coin answers for it. */
  provide(source: MarkSource): void;
};

/** An empty {@link MarkBoard}. */
export function createMarkBoard(): MarkBoard {
  const sources: MarkSource[] = [];
  return {
    provide(source) {
      sources.push(source);
    },
    markOf(coin) {
      for (const s of sources) {
        const q = s.markOf(coin);
        if (q) return q;
      }
      return null;
    },
  };
}
