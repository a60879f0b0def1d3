import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's `gc` extension with the options this module uses. */
type GcExtension = (options: { type: 'minor' | 'major' }) => void;

let scavenge: (() => void) | null | undefined;

/**
 * A function that runs one young-generation collection (a scavenge) of the calling thread's
 * isolate, or `null` when V8's `gc` extension cannot be had. The extension is switched on the way
 * the bin does for its start-up GC (`--expose-gc` set at run time, then read from a fresh context),
 * so the process needs no flag; the global `gc` of existing contexts stays undefined.
 */
export function youngGenerationCollector(): (() => void) | null {
  if (scavenge !== undefined) return scavenge;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as GcExtension | undefined;
    scavenge = typeof gc === 'function' ? () => gc({ type: 'minor' }) : null;
  } catch {
    scavenge = null;
  }
  return scavenge;
}

/**
 * Paces young-generation collections by bytes read from the network: the returned function is told
 * each chunk's size once its reader is done with it, and runs one scavenge every `everyBytes`.
 *
 * Why: a chunk's bytes live outside the JS heap (the socket's read buffer, and fetch's copy of
 * it), and V8 frees them only when it collects their small JS wrappers — at the next scavenge,
 * which comes after ~4 MB of *JS* allocation (the bin's `--max-semi-space-size=4`). Reading an
 * explorer answer (6.4 MB for a 375-market writer) allocates little JS, so all its chunks were
 * still held when the last arrived: ~13 MB of garbage at once, every 7.5 s, and glibc keeps the
 * peak resident. A scavenge per MiB read bounds that at ~2 MiB. A scavenge costs in proportion to
 * what is alive in the young generation, and each one stands in for one that would have come
 * anyway: the worker's GC time stayed within its scatter (median 9.9 against 9.2 ms/s over nine
 * 10-second windows each, 7–12 both). ARCHITECTURE.md, run M, has the measurements.
 *
 * @param everyBytes - bytes read between two collections (> 0).
 * @param collect - the collection to run; default {@link youngGenerationCollector}'s (without
 *   one, the returned function does nothing).
 */
export function paceYoungGarbage(
  everyBytes: number,
  collect: (() => void) | null = youngGenerationCollector(),
): (bytes: number) => void {
  if (!(everyBytes > 0)) throw new RangeError(`everyBytes must be > 0, got ${everyBytes}`);
  if (collect === null) return () => {};
  let read = 0;
  return (bytes) => {
    read += bytes;
    if (read < everyBytes) return;
    read = 0;
    collect();
  };
}
