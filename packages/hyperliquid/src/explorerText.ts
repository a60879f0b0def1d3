/**
 * The explorer's `userDetails` answer, read from its JSON text without building the transactions a
 * caller already has.
 *
 * The explorer answers an oracle writer's whole recent history on every request (newest first,
 * hundreds of `setOracle` transactions of one price pair per market), and a poller has seen all but
 * the newest few. Parsed whole, a writer of 375 markets is ~7 MB of JSON turned into ~225,000
 * arrays and strings per request, nearly all of them thrown away at once: the garbage and the heap
 * growth of that, not the new rows, dominate an explorer poll (`apps/watcher/ARCHITECTURE.md`,
 * run I). {@link dropKnownExplorerTxs} finds each transaction's `hash` by scanning the text and
 * cuts the known ones out before `JSON.parse`.
 *
 * @module
 */

/** Thrown inside the scan when the text is not the JSON it expects (the caller falls back). */
class NotScannable extends Error {}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i += 1;
  return i;
}

/** Index of the quote that closes the string opening at `i` (escapes honoured). */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) throw new NotScannable('unterminated string');
    let k = q - 1;
    while (text.charCodeAt(k) === 0x5c) k -= 1; // backslashes before the quote
    if ((q - 1 - k) % 2 === 0) return q;
    from = q + 1;
  }
}

/** Index just after the JSON value starting at `i` (strings jumped over, brackets counted). */
function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return stringEnd(text, i) + 1;
  if (c !== 0x7b && c !== 0x5b) {
    // number, true, false, null
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) break;
      j += 1;
    }
    if (j === i) throw new NotScannable(`no value at ${i}`);
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x22) j = stringEnd(text, j);
    else if (d === 0x7b || d === 0x5b) depth += 1;
    else if (d === 0x7d || d === 0x5d) {
      depth -= 1;
      if (depth === 0) return j + 1;
    }
  }
  throw new NotScannable('unterminated object or array');
}

/**
 * Walks the members of the object opening at `i`, calling `member(key, valueStart, valueEnd)` for
 * each; returns the index just after the object.
 */
function eachMember(
  text: string,
  i: number,
  member: (key: string, start: number, end: number) => void,
): number {
  if (text.charCodeAt(i) !== 0x7b) throw new NotScannable(`no object at ${i}`);
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === 0x7d) return j + 1;
  for (;;) {
    if (text.charCodeAt(j) !== 0x22) throw new NotScannable(`no key at ${j}`);
    const keyEnd = stringEnd(text, j);
    const key = JSON.parse(text.slice(j, keyEnd + 1)) as string;
    j = skipSpace(text, keyEnd + 1);
    if (text.charCodeAt(j) !== 0x3a) throw new NotScannable(`no colon at ${j}`);
    const start = skipSpace(text, j + 1);
    const end = valueEnd(text, start);
    member(key, start, end);
    j = skipSpace(text, end);
    const d = text.charCodeAt(j);
    if (d === 0x7d) return j + 1;
    if (d !== 0x2c) throw new NotScannable(`no comma at ${j}`);
    j = skipSpace(text, j + 1);
  }
}

/**
 * The `userDetails` JSON text with every transaction whose `hash` `isKnown` accepts removed from
 * `txs` (the rest of the text, and the order of the kept transactions, unchanged). Only the
 * transactions' own `hash` members are read — a `hash` nested in an action is not one; of two, the
 * last, as `JSON.parse` keeps — and only string hashes are offered to `isKnown`.
 *
 * Text whose structure the scan cannot follow (not an object, no `txs` array, unbalanced brackets,
 * unterminated strings, missing commas or colons) comes back as it is: the caller's `JSON.parse` and
 * schema then say what is wrong with it, as they would without this step. The scan checks
 * structure, not every token: a malformed number or literal inside a transaction it cuts goes
 * with it (that transaction was read and validated when it was first seen).
 *
 * @example
 * ```ts
 * const kept = dropKnownExplorerTxs(await response.text(), (hash) => seen.has(hash));
 * const details = HlUserDetails.parse(JSON.parse(kept));
 * ```
 */
export function dropKnownExplorerTxs(text: string, isKnown: (hash: string) => boolean): string {
  try {
    let txs: { start: number; end: number } | null = null;
    const start = skipSpace(text, 0);
    const end = eachMember(text, start, (key, s, e) => {
      if (key === 'txs' && text.charCodeAt(s) === 0x5b) txs = { start: s, end: e };
    });
    if (skipSpace(text, end) !== text.length) return text;
    if (txs === null) return text;
    const { start: arrayStart, end: arrayEnd } = txs as { start: number; end: number };
    const kept: string[] = [];
    let dropped = 0;
    let j = skipSpace(text, arrayStart + 1);
    if (text.charCodeAt(j) === 0x5d) return text;
    for (;;) {
      const txStart = j;
      let hash: string | null = null;
      let txEnd: number;
      if (text.charCodeAt(j) === 0x7b) {
        txEnd = eachMember(text, j, (key, s, e) => {
          // The last member of a name wins, as in JSON.parse.
          if (key === 'hash')
            hash = text.charCodeAt(s) === 0x22 ? (JSON.parse(text.slice(s, e)) as string) : null;
        });
      } else txEnd = valueEnd(text, j);
      if (hash !== null && isKnown(hash)) dropped += 1;
      else kept.push(text.slice(txStart, txEnd));
      j = skipSpace(text, txEnd);
      const d = text.charCodeAt(j);
      if (d === 0x5d) break;
      if (d !== 0x2c) throw new NotScannable(`no comma at ${j}`);
      j = skipSpace(text, j + 1);
    }
    if (dropped === 0) return text;
    return `${text.slice(0, arrayStart)}[${kept.join(',')}]${text.slice(arrayEnd)}`;
  } catch (error) {
    if (error instanceof NotScannable || error instanceof SyntaxError) return text;
    throw error;
  }
}
