import { InvalidDecimalError, InvalidParameterError } from '../errors.js';

/**
 * Exact fixed-point decimals on `bigint`.
 *
 * A {@link Fixed} is an integer count of 10⁻¹⁸ units ("WAD" scale): `1.5` is `1_500_000_000_000_000_000n`.
 * Addition and subtraction are exact (`a + b`, `a - b` on the bigints); multiplication and division
 * round to the WAD scale with an explicit {@link Rounding} mode. Other scales (e.g. 6 decimals for USDC,
 * the exchange's `szDecimals`) are only used at the edges through {@link rescale} and
 * {@link formatDecimal}`({ decimals })`.
 *
 * This module is internal to the package (not part of the public API) but is stable enough for the
 * package's own sub-modules (`risk/**`) to use.
 */
export type Fixed = bigint;

/** Number of decimal places of the internal fixed-point scale. */
export const WAD_DECIMALS = 18;
/** `10^18`: the fixed-point representation of `1`. */
export const WAD = 1_000_000_000_000_000_000n;
/** `10^36`: used to divide a product of two WAD values by a third without losing precision. */
export const WAD2 = WAD * WAD;
/** Named scales (decimal places) that occur at the edges. */
export const Scale = {
  /** Internal scale of every {@link Fixed}. */
  wad: 18,
  /** USDC / USD amounts as exchanges settle them. */
  usd6: 6,
  /** Basis points of a rate expressed as a fraction have 4 decimals (`0.0001` = 1 bp). */
  bps: 4,
} as const;

/**
 * How to round a result that does not fit the target scale.
 * - `floor`: towards −∞, `ceil`: towards +∞, `trunc`: towards 0, `expand`: away from 0;
 * - `halfUp`: to nearest, ties away from 0; `halfEven`: to nearest, ties to even (banker's).
 */
export type Rounding = 'floor' | 'ceil' | 'trunc' | 'expand' | 'halfUp' | 'halfEven';

/** Thrown when a division's divisor is zero. */
export class DivisionByZeroError extends InvalidParameterError {
  override name = 'Math.DivisionByZeroError';
  constructor(parameter = 'divisor') {
    super(parameter, 'must not be zero');
  }
}

const POW10: readonly bigint[] = Array.from({ length: 78 }, (_, i) => 10n ** BigInt(i));

const TWO64 = 1n << 64n;

/** `10^n` as a bigint (cached for n < 78). */
export function pow10(n: number): bigint {
  return POW10[n] ?? 10n ** BigInt(n);
}

/**
 * Divides integers `n / d` and rounds the quotient with `rounding`. Exact: no intermediate floats.
 *
 * @throws {DivisionByZeroError} when `d` is `0n`.
 * @example divRound(7n, 2n, 'halfEven') // 4n; divRound(-7n, 2n, 'floor') // -4n
 */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d <= 0n) {
    if (d === 0n) throw new DivisionByZeroError();
    n = -n;
    d = -d;
  }
  const q = n / d; // truncated towards 0
  // V8: `%` is cheaper than n − q·d for a one-word divisor (< 2⁶⁴), dearer for a longer one.
  const r = d < TWO64 ? n % d : n - q * d;
  if (r === 0n) return q;
  // r ≠ 0 has n's sign. Each BigInt operation costs 10–50 ns (V8), so each branch uses few.
  const negative = r < 0n;
  // Away from zero: always ('expand'), towards −∞ for a negative ('floor') or +∞ for a positive
  // ('ceil') quotient, or past the half ('halfUp'/'halfEven'; at exactly half, halfEven goes to even).
  let away = rounding === 'expand' || rounding === (negative ? 'floor' : 'ceil');
  if (rounding[0] === 'h') {
    const twice = negative ? -(r + r) : r + r;
    away = twice > d || (twice === d && (rounding === 'halfUp' || (q & 1n) !== 0n));
  }
  return away ? (negative ? q - 1n : q + 1n) : q;
}

/**
 * Parses a decimal string (`'-0.5'`, `'12'`, `'0.000001'`) into a {@link Fixed}.
 *
 * Accepts an optional leading `-`, digits and at most one `.`; rejects exponents (`'1e5'`), `''`, `'.'`,
 * `'NaN'`, `'Infinity'`, signs other than a leading `-`, and any whitespace. Digits beyond the 18th
 * decimal are rounded with `rounding` (default `halfEven`).
 *
 * @param parameter Name reported in the error, e.g. `'size'`.
 * @throws {InvalidDecimalError} when `value` is not such a string.
 * @example parseDecimal('-0.5') // -500_000_000_000_000_000n
 */
export function parseDecimal(
  value: string,
  parameter = 'value',
  rounding: Rounding = 'halfEven',
): Fixed {
  const x = typeof value === 'string' ? scan(value, rounding) : undefined;
  if (x === undefined) throw new InvalidDecimalError(parameter, value);
  return x;
}

/**
 * The digits of the last decimal string parsed or checked, as an integer (`'12.50'` → 1250), when it was ≥ 0 with at
 * most 15 digits (exact in float64), else −1; {@link lastScale} is its number of decimals. Read right after
 * a parse, they let a hot path compute exact small products in float64 (see `readPositions`).
 */
export let lastMantissa = -1;
/** Decimals of the string behind {@link lastMantissa}. */
export let lastScale = 0;

let lexN = 0;
let lexNegative = false;

/**
 * {@link parseDecimal}'s grammar checked in one pass (no regex, no slices: parsing was ~15 % of
 * `analyzeHyperliquidAccount`): the number of digits of `value`, 0 when it is not a decimal string. Its
 * digits (exact up to 15), sign and decimals stay in the module state for {@link scan}.
 */
function lex(value: string): number {
  lexNegative = value.charCodeAt(0) === 45; /* '-' */
  let n = 0;
  let digits = 0;
  let dot = -1;
  for (let i = lexNegative ? 1 : 0; i < value.length; i++) {
    const c = value.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) {
      n = n * 10 + c;
      digits++;
    } else if (c === -2 /* '.' */ && dot < 0) dot = i;
    else return 0;
  }
  lexN = n;
  lastMantissa = digits && digits < 16 && !lexNegative ? n : -1;
  lastScale = dot < 0 ? 0 : value.length - dot - 1;
  return digits;
}

/** {@link parseDecimal} of a string: `undefined` when it is not a decimal string. */
function scan(value: string, rounding: Rounding): Fixed | undefined {
  const digits = lex(value);
  if (!digits) return undefined;
  const frac = lastScale;
  // Up to 15 digits are exact as a float64 integer: BigInt(number) is ~2.5× faster than BigInt(string).
  const signed = digits < 16 ? BigInt(lexNegative ? -lexN : lexN) : BigInt(value.replace('.', ''));
  // More than 18 decimals: drop the extra digits with the requested rounding.
  return frac > WAD_DECIMALS
    ? divRound(signed, pow10(frac - WAD_DECIMALS), rounding)
    : signed * pow10(WAD_DECIMALS - frac);
}

/** Options of {@link formatDecimal}. */
export type FormatOptions = {
  /** Decimal places to round to (0–18). Default: 18, then trailing zeros are trimmed. */
  decimals?: number;
  /** Rounding used when `decimals` < 18. Default `halfEven`. */
  rounding?: Rounding;
  /** Keep trailing zeros up to `decimals` (`'1.50'`). Default `false` (`'1.5'`). */
  padZeros?: boolean;
};

/**
 * Formats a {@link Fixed} as a plain decimal string (never exponent notation, never `'-0'`).
 *
 * @example formatDecimal(1_500_000_000_000_000_000n) // '1.5'
 * @example formatDecimal(parseDecimal('2.345'), { decimals: 2 }) // '2.34' (half-even)
 */
export function formatDecimal(x: Fixed, options: FormatOptions = NO_OPTIONS): string {
  if (options === NO_OPTIONS) return format18(x);
  const decimals = options.decimals ?? WAD_DECIMALS;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > WAD_DECIMALS) {
    throw new InvalidDecimalError('decimals', decimals);
  }
  let v = x;
  if (decimals < WAD_DECIMALS) {
    v = divRound(x, pow10(WAD_DECIMALS - decimals), options.rounding ?? 'halfEven');
  }
  const negative = v < 0n;
  let s = (negative ? -v : v).toString();
  if (decimals > 0) {
    s = s.padStart(decimals + 1, '0');
    const intPart = s.slice(0, s.length - decimals);
    let end = s.length;
    // Trim trailing zeros (a loop: the regex was a visible share of the Hyperliquid adapters' time).
    if (options.padZeros !== true)
      while (end > intPart.length && s.charCodeAt(end - 1) === 48) end--;
    const frac = s.slice(intPart.length, end);
    s = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  }
  return negative ? `-${s}` : s;
}

const NO_OPTIONS: FormatOptions = {};

/**
 * {@link formatDecimal} without options (18 dp, trailing zeros trimmed), without option checks: the
 * adapters' hot path; a bundle that never formats with options leaves that code out.
 */
export function format18(x: Fixed): string {
  return x < 0n ? `-${pointAt((-x).toString(), 18)}` : pointAt(x.toString(), 18);
}

/**
 * The digits `s` of an integer ≥ 0 (as `toString` prints it) read with `decimals` (≤ 18) decimal places,
 * in {@link formatDecimal}'s form: `pointAt('1500', 3)` is `'1.5'`, `pointAt('5', 2)` is `'0.05'`. One
 * `toString` can so print a value at two scales (a fraction and its percent).
 */
export function pointAt(s: string, decimals: number): string {
  const int = s.length - decimals;
  let end = s.length;
  while (end > int && s.charCodeAt(end - 1) === 48) end--;
  if (int > 0) return end > int ? `${s.slice(0, int)}.${s.slice(int, end)}` : s.slice(0, int);
  return end > 0 ? `0.${'0'.repeat(-int)}${s.slice(0, end)}` : '0';
}

/** {@link formatDecimal} of `x`, or `null` when `x` is `null` (quantities that may not exist). */
export function formatOrNull(x: Fixed | null): string | null {
  return x === null ? null : format18(x);
}

/** Rescales an integer at `fromDecimals` places to `toDecimals` places, rounding when shrinking. */
export function rescale(
  x: bigint,
  fromDecimals: number,
  toDecimals: number,
  rounding: Rounding = 'halfEven',
): bigint {
  if (toDecimals >= fromDecimals) return x * pow10(toDecimals - fromDecimals);
  return divRound(x, pow10(fromDecimals - toDecimals), rounding);
}

/** `a × b` at WAD scale, rounded with `rounding`. */
export function mul(a: Fixed, b: Fixed, rounding: Rounding = 'halfEven'): Fixed {
  return divRound(a * b, WAD, rounding);
}

/**
 * `a / b` at WAD scale, rounded with `rounding`.
 *
 * @throws {DivisionByZeroError} when `b` is zero.
 */
export function div(a: Fixed, b: Fixed, rounding: Rounding = 'halfEven'): Fixed {
  return divRound(a * WAD, b, rounding);
}

/** `a × b / c` with a single rounding (the product is kept exact). */
export function mulDiv(a: Fixed, b: Fixed, c: Fixed, rounding: Rounding = 'halfEven'): Fixed {
  return divRound(a * b, c, rounding);
}

/** Exact `a + b` (provided for symmetry; `a + b` on the bigints is the same). */
export function add(a: Fixed, b: Fixed): Fixed {
  return a + b;
}

/** Exact `a − b`. */
export function sub(a: Fixed, b: Fixed): Fixed {
  return a - b;
}

/** Absolute value. */
export function abs(a: Fixed): Fixed {
  return a < 0n ? -a : a;
}

/** Smaller of two values. */
export function min(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}

/** Larger of two values. */
export function max(a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b;
}

/** `x` limited to `[lo, hi]`. */
export function clamp(x: Fixed, lo: Fixed, hi: Fixed): Fixed {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Integer `n` as a {@link Fixed} (`fromInt(8)` is 8.0). */
export function fromInt(n: number | bigint): Fixed {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new InvalidDecimalError('n', n);
  return BigInt(n) * WAD;
}

/**
 * Converts a float64 to a {@link Fixed} via its shortest round-trip decimal representation
 * (`0.1` becomes exactly `0.1`). For statistics results that re-enter exact math.
 *
 * @throws {InvalidDecimalError} when `x` is not finite.
 * @example fromNumber(0.1) === parseDecimal('0.1') // true
 */
export function fromNumber(x: number, parameter = 'value'): Fixed {
  if (!Number.isFinite(x)) throw new InvalidDecimalError(parameter, x);
  // Exponent form ('1e-7', '1.5e+21'): a shortest round-trip mantissa has at most 16 decimals, so it
  // parses exactly; the power of ten is then applied with one rounding.
  const [mantissa = '', exponent = '0'] = String(x).split('e');
  const m = scan(mantissa, 'halfEven') as Fixed;
  const e = Number(exponent);
  return e < 0 ? divRound(m, pow10(-e), 'halfEven') : m * pow10(e);
}

/**
 * Converts a {@link Fixed} to the nearest float64 (for statistics; not for money).
 * @example toNumber(parseDecimal('1234.5678')) // 1234.5678
 */
export function toNumber(x: Fixed): number {
  // Split to keep 53 bits of precision for large values and exact small ones.
  const i = x / WAD;
  const f = x - i * WAD;
  return Number(i) + Number(f) / 1e18;
}

/**
 * Whether a value is a syntactically valid decimal string as accepted by {@link parseDecimal}.
 * @example isDecimalString('1e5') // false
 */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && lex(value) > 0;
}
