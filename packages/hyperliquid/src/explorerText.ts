/**
 * The explorer's `userDetails` answer, read from its bytes as they arrive, without keeping or
 * building the transactions a caller already has.
 *
 * The explorer answers an oracle writer's whole recent history on every request (hundreds of
 * `setOracle` transactions of one price pair per market), and a poller has seen all but the newest
 * few. A writer of 375 markets is ~6.4 MB per answer. Parsed whole, that is ~225,000 arrays and
 * strings per request, nearly all thrown away at once; read as one text, it is a 6.4 MB buffer and a
 * 6.4 MB string per request, held until the old generation is next collected
 * (`apps/watcher/ARCHITECTURE.md`, runs I and J). {@link createKnownTxFilter} reads the answer
 * chunk by chunk, finds each transaction's own `hash` and keeps only the bytes of the transactions
 * it does not know, so a poll holds one network chunk plus the new transactions.
 *
 * @module
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA_BYTES = new Uint8Array([COMMA]);

/** A byte for an error message: the character if printable ASCII, else its hex. */
const show = (c: number) =>
  c > 0x20 && c < 0x7f ? String.fromCharCode(c) : `0x${c.toString(16).padStart(2, '0')}`;

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Thrown by {@link createKnownTxFilter} when the bytes are not the JSON it can follow. */
export class ExplorerTextError extends SyntaxError {
  override readonly name = 'ExplorerTextError';
}

/** A streaming reader of one `userDetails` answer (see {@link createKnownTxFilter}). */
export type KnownTxFilter = {
  /** Reads the next bytes of the answer (UTF-8, as received; chunks may split anything). */
  push(chunk: Uint8Array): void;
  /** The answer's JSON text without the known transactions; call once, after the last chunk. */
  finish(): string;
};

/** Where the bytes being read go. */
enum Sink {
  /** Outside the `txs` array's elements: kept as they are. */
  Out,
  /** Between the elements of `txs` (spaces, commas): rewritten, one comma between kept ones. */
  Skip,
  /** Inside one element of `txs`: held until its `hash` decides. */
  Tx,
}

/** What the next token may be. */
enum Next {
  /** A value (the start, after a colon, after `[` or a comma in an array). */
  Value,
  /** A key (after `{` or a comma in an object). */
  Key,
  /** The colon after a key. */
  Colon,
  /** Inside a number or literal. */
  Primitive,
  /** After a value: a comma, a closing bracket, or (at the top) the end. */
  After,
}

/**
 * A reader of the explorer's `userDetails` answer that cuts the transactions `isKnown(hash, time)`
 * accepts out of `txs` as the bytes arrive. {@link KnownTxFilter.finish} returns the
 * rest of the answer's text, unchanged and in order (the kept transactions' bytes as received,
 * one comma between them).
 *
 * Only a transaction's own `hash` and `time` members are read — a `hash` nested in its action is
 * not one; of two, the last, as `JSON.parse` keeps. Only transactions with a string hash are
 * offered to `isKnown`, with their `time` when it is a number (else `null`). Only
 * the `txs` array of the top-level object is edited; any other answer passes through whole.
 *
 * The reader follows JSON's structure (brackets, keys, colons, commas, strings and their escapes)
 * down to the members of each transaction, and only strings and brackets inside those members'
 * values, and throws {@link ExplorerTextError} naming the byte offset where it breaks, or where
 * the answer ends early. It does not check the spelling of numbers and literals: what it keeps
 * goes to the caller's `JSON.parse`, which does; a defect inside a transaction it cuts goes with
 * it (that transaction was read and validated when it was first seen).
 *
 * @example
 * ```ts
 * const filter = createKnownTxFilter((hash) => seen.has(hash));
 * for await (const chunk of response.body) filter.push(chunk);
 * const details = HlUserDetails.parse(JSON.parse(filter.finish()));
 * ```
 */
export function createKnownTxFilter(
  isKnown: (hash: string, time: number | null) => boolean,
): KnownTxFilter {
  const out: Uint8Array[] = [];
  let outBytes = 0;
  /** Open containers, innermost last: `{` or `[`. */
  const stack: number[] = [];
  let next = Next.Value;
  /** Right after `{` or `[`: the container may close at once. */
  let opened = false;
  let inString = false;
  let escaped = false;
  /** Bytes of the string being captured: a key at depth 1 or of a transaction, or a hash. */
  let capture: number[] | null = null;
  let capturingHash = false;
  /** The key whose value comes next: of the top-level object, and of the transaction object. */
  let topKey: string | null = null;
  let txKey: string | null = null;
  /** The stack depth inside the `txs` array (2), or -1 while not in it. */
  let txsDepth = -1;
  let keptTxs = 0;
  let finished = false;
  // The transaction being read.
  let txParts: Uint8Array[] = [];
  let txHash: string | null = null;
  let txTime: number | null = null;
  /** Bytes of the transaction's `time` number being read. */
  let timeBytes: number[] | null = null;
  let sink: Sink = Sink.Out;
  /** Bytes pushed before the current chunk (for error offsets). */
  let offset = 0;

  const fail = (what: string, at: number): never => {
    throw new ExplorerTextError(`explorer answer is not JSON: ${what} at byte ${at}`);
  };

  function decodeCaptured(bytes: number[], at: number): string {
    let plain = true;
    for (const b of bytes) if (b >= 0x80 || b === BACKSLASH) plain = false;
    if (plain) return String.fromCharCode(...bytes);
    const text = new TextDecoder().decode(new Uint8Array(bytes));
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      return fail('bad string', at);
    }
  }

  /** The transaction just read ends: kept unless it has a string hash that `isKnown` accepts. */
  function endTx() {
    if (txHash === null || !isKnown(txHash, txTime)) {
      if (keptTxs > 0) {
        out.push(COMMA_BYTES);
        outBytes += 1;
      }
      for (const p of txParts) {
        out.push(p);
        outBytes += p.length;
      }
      keptTxs += 1;
    }
    txParts = [];
    txHash = null;
    txTime = null;
    txKey = null;
  }

  function push(chunk: Uint8Array) {
    if (finished) throw new Error('createKnownTxFilter: push after finish');
    let segment = 0;
    /** Moves the bytes `[segment, end)` to the current sink and starts a new segment at `end`. */
    const flush = (end: number) => {
      if (end > segment) {
        const part = chunk.subarray(segment, end);
        if (sink === Sink.Out) {
          out.push(part);
          outBytes += part.length;
        } else if (sink === Sink.Tx) txParts.push(part);
      }
      segment = end;
    };
    /** A value just ended at `end` (exclusive): if it was an element of `txs`, decide it. */
    const valueEnded = (end: number) => {
      next = Next.After;
      if (sink === Sink.Tx && stack.length === txsDepth) {
        flush(end);
        endTx();
        sink = Sink.Skip;
      }
    };
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      let c = chunk[i] as number;
      if (inString) {
        if (escaped) {
          escaped = false;
          capture?.push(c);
          continue;
        }
        // Jump to the next quote or backslash: the bulk of the bytes are inside strings.
        const from = i;
        while (i < n) {
          c = chunk[i] as number;
          if (c === QUOTE || c === BACKSLASH) break;
          i += 1;
        }
        if (capture) for (let k = from; k < i; k++) capture.push(chunk[k] as number);
        if (i === n) break;
        if (c === BACKSLASH) {
          escaped = true;
          capture?.push(c);
          continue;
        }
        inString = false;
        if (txsDepth > 0 && stack.length > txsDepth + 1) continue; // see "nested" below
        if (next === Next.Key) {
          next = Next.Colon;
          if (capture) {
            const key = decodeCaptured(capture, offset + i);
            if (stack.length === 1) topKey = key;
            else txKey = key;
          }
        } else {
          if (capture && capturingHash) txHash = decodeCaptured(capture, offset + i);
          valueEnded(i + 1);
        }
        capture = null;
        capturingHash = false;
        continue;
      }
      if (txsDepth > 0 && stack.length > txsDepth + 1) {
        // Nested inside a transaction (its action: most of the bytes): only strings and brackets
        // are followed here, to find where the transaction ends; `JSON.parse` checks the rest of
        // what is kept.
        if (c === QUOTE) inString = true;
        else if (c === OPEN_OBJECT || c === OPEN_ARRAY) stack.push(c);
        else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
          if (stack.pop() !== (c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY))
            fail(`unmatched ${show(c)}`, offset + i);
          if (stack.length === txsDepth + 1) {
            next = Next.After;
            opened = false;
          }
        }
        continue;
      }
      if (next === Next.Primitive) {
        if (c !== COMMA && c !== CLOSE_ARRAY && c !== CLOSE_OBJECT && !isSpace(c)) {
          if (c === QUOTE || c === COLON || c === OPEN_OBJECT || c === OPEN_ARRAY)
            fail(`unexpected ${show(c)}`, offset + i);
          timeBytes?.push(c);
          continue;
        }
        if (timeBytes) {
          const time = Number(String.fromCharCode(...timeBytes));
          txTime = Number.isFinite(time) ? time : null;
          timeBytes = null;
        }
        valueEnded(i);
      }
      if (isSpace(c)) continue;
      const depth = stack.length;
      if (next === Next.Value) {
        if (c === CLOSE_ARRAY && opened) {
          // An empty array: handled below.
        } else {
          if (depth === txsDepth && sink === Sink.Skip) {
            // An element of `txs` starts.
            flush(i);
            sink = Sink.Tx;
            txHash = null;
            txTime = null;
            txKey = null;
          } else if (txsDepth > 0 && depth === txsDepth + 1 && stack[depth - 1] === OPEN_OBJECT) {
            // A transaction's own `hash` or `time` member: the last one counts.
            if (txKey === 'hash') {
              txHash = null;
              capturingHash = c === QUOTE;
            } else if (txKey === 'time') {
              txTime = null;
              if (c === 0x2d || (c >= 0x30 && c <= 0x39)) timeBytes = [c];
            }
          }
          if (c === QUOTE) {
            inString = true;
            if (capturingHash) capture = [];
          } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            if (c === OPEN_ARRAY && depth === 1 && topKey === 'txs' && txsDepth < 0) {
              flush(i + 1);
              txsDepth = 2;
              keptTxs = 0;
              sink = Sink.Skip;
            }
            stack.push(c);
            next = c === OPEN_OBJECT ? Next.Key : Next.Value;
            opened = true;
            continue;
          } else if (
            c === 0x2d ||
            (c >= 0x30 && c <= 0x39) ||
            c === 0x74 ||
            c === 0x66 ||
            c === 0x6e
          ) {
            next = Next.Primitive; // -, a digit, true, false, null
          } else fail(`unexpected ${show(c)}`, offset + i);
          opened = false;
          continue;
        }
      }
      if (next === Next.Key) {
        if (c === QUOTE) {
          inString = true;
          if (depth === 1 || (depth === txsDepth + 1 && txsDepth > 0 && sink === Sink.Tx))
            capture = [];
          opened = false;
          continue;
        }
        if (!(c === CLOSE_OBJECT && opened)) fail('expected a key', offset + i);
      }
      if (next === Next.Colon) {
        if (c !== COLON) fail('expected a colon after the key', offset + i);
        next = Next.Value;
        continue;
      }
      // After a value (or an empty container): a comma or a closing bracket.
      opened = false;
      if (c === COMMA) {
        if (depth === 0) fail('unexpected comma after the answer', offset + i);
        next = stack[depth - 1] === OPEN_OBJECT ? Next.Key : Next.Value;
        continue;
      }
      if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
        const open = stack.pop();
        if (open !== (c === CLOSE_OBJECT ? OPEN_OBJECT : OPEN_ARRAY))
          fail(`unmatched ${show(c)}`, offset + i);
        if (depth === txsDepth) {
          // The end of `txs`: its closing bracket is kept.
          flush(i);
          sink = Sink.Out;
          txsDepth = -1;
          next = Next.After;
          continue;
        }
        valueEnded(i + 1);
        continue;
      }
      fail(
        depth === 0
          ? 'unexpected text after the answer'
          : `expected a comma or a closing bracket, found ${show(c)}`,
        offset + i,
      );
    }
    flush(n);
    offset += n;
  }

  return {
    push,
    finish() {
      if (finished) throw new Error('createKnownTxFilter: finish called twice');
      finished = true;
      if (inString) fail('unterminated string', offset);
      if (next === Next.Primitive) next = Next.After;
      if (stack.length > 0 || next !== Next.After) fail('unexpected end of the answer', offset);
      const all = new Uint8Array(outBytes);
      let at = 0;
      for (const p of out) {
        all.set(p, at);
        at += p.length;
      }
      return new TextDecoder().decode(all);
    },
  };
}
