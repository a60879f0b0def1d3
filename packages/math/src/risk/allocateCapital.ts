import { InvalidParameterError } from '../errors.js';
import {
  finiteNumber,
  parseNonNegative,
  positiveInteger,
  unitFractionDecimal,
} from '../internal/args.js';
import { divRound, type Fixed, formatDecimal, fromNumber, mul } from '../internal/decimal.js';

/**
 * A cell (or any candidate) competing for capital.
 *
 * @example
 * const candidate: AllocationCandidate = { id: 'ETH@08:00', score: 0.00015 }
 */
export type AllocationCandidate = {
  /** Caller's identifier, e.g. `'ETH@2026-06-01T08:00Z'`. */
  readonly id: string;
  /** Score (e.g. from `fundingCellScore`); only candidates with a score > 0 receive capital. */
  readonly score: number;
};

/** Parameters of {@link allocateCapital}. */
export type AllocateCapitalParameters = {
  /** Capital to distribute, decimal string ≥ 0 (any currency unit). */
  readonly capital: string;
  readonly candidates: readonly AllocationCandidate[];
  /** Per-cell cap as a fraction of capital, decimal string in (0, 1]. Default `'0.05'` (note 3). */
  readonly maxCellFraction?: string;
  /** At most this many cells receive capital (the best-scored ones). Default: no limit. */
  readonly maxCells?: number;
  /**
   * `greedy` (default): best score first, each cell gets the full cap until capital runs out.
   * `proportional`: capital split in proportion to score, cells above the cap are held at the cap
   * and the excess is re-split among the others (water-filling).
   */
  readonly weighting?: 'greedy' | 'proportional';
};

/** One funded candidate. */
export type Allocation = {
  readonly id: string;
  readonly score: number;
  /** Capital given, decimal string (rounded down: never more than the cap or the capital). */
  readonly amount: string;
};

/** Result of {@link allocateCapital}. */
export type CapitalAllocation = {
  /** Funded candidates, best score first. */
  readonly allocations: readonly Allocation[];
  /** Sum of the amounts, ≤ capital. */
  readonly allocated: string;
  /** `capital − allocated`, ≥ 0. */
  readonly unallocated: string;
};

/**
 * Allocates capital to the top-scored cells of a funding surface with a per-cell cap (note 3:
 * 5 % of capital per cell by default). Cells with a score ≤ 0 get nothing. Exact decimal
 * arithmetic; amounts are rounded down, so no cell exceeds the cap and the total never exceeds
 * the capital. Ties keep the input order.
 *
 * @throws {InvalidDecimalError} `capital` or `maxCellFraction` is not a decimal string.
 * @throws {InvalidParameterError} negative capital, cap outside (0, 1], `maxCells` < 1, a
 *   non-finite score or a duplicate id.
 * @example
 * allocateCapital({
 *   capital: '1000000',
 *   candidates: [{ id: 'ETH', score: 0.0002 }, { id: 'BTC', score: 0.0001 }, { id: 'DOGE', score: -0.0001 }],
 * })
 * // { allocations: [{ id: 'ETH', score: 0.0002, amount: '50000' }, { id: 'BTC', score: 0.0001, amount: '50000' }],
 * //   allocated: '100000', unallocated: '900000' }
 */
export function allocateCapital(params: AllocateCapitalParameters): CapitalAllocation {
  const capital = parseNonNegative(params.capital, 'capital');
  const capFraction = unitFractionDecimal(
    'maxCellFraction',
    params.maxCellFraction ?? '0.05',
    '(0, 1]',
  );
  const maxCells =
    params.maxCells === undefined
      ? Number.POSITIVE_INFINITY
      : positiveInteger('maxCells', params.maxCells);
  const seen = new Set<string>();
  params.candidates.forEach((c, i) => {
    finiteNumber(`candidates[${i}].score`, c.score);
    if (seen.has(c.id))
      throw new InvalidParameterError(`candidates[${i}].id`, `duplicates "${c.id}"`);
    seen.add(c.id);
  });
  const ranked = params.candidates
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score) // Array.prototype.sort is stable
    .slice(0, maxCells);
  const cap = mul(capital, capFraction, 'floor');

  const amounts =
    (params.weighting ?? 'greedy') === 'greedy'
      ? greedy(ranked.length, capital, cap)
      : proportional(ranked, capital, cap);
  const allocations: Allocation[] = [];
  let allocated = 0n;
  ranked.forEach((c, i) => {
    const amount = amounts[i] as Fixed;
    if (amount <= 0n) return;
    allocated += amount;
    allocations.push({ id: c.id, score: c.score, amount: formatDecimal(amount) });
  });
  return {
    allocations,
    allocated: formatDecimal(allocated),
    unallocated: formatDecimal(capital - allocated),
  };
}

function greedy(count: number, capital: Fixed, cap: Fixed): Fixed[] {
  const out: Fixed[] = [];
  let remaining = capital;
  for (let i = 0; i < count; i++) {
    const amount = remaining < cap ? remaining : cap;
    out.push(amount);
    remaining -= amount;
  }
  return out;
}

function proportional(ranked: readonly AllocationCandidate[], capital: Fixed, cap: Fixed): Fixed[] {
  const weights = ranked.map((c) => fromNumber(c.score));
  const out: (Fixed | null)[] = ranked.map(() => null); // null = not yet fixed at the cap
  let remaining = capital;
  // Each pass fixes at least one cell at the cap or ends, so this runs at most n + 1 times.
  for (;;) {
    let totalWeight = 0n;
    out.forEach((a, i) => {
      if (a === null) totalWeight += weights[i] as Fixed;
    });
    if (totalWeight === 0n) break;
    const shares = out.map((a, i) =>
      a === null ? divRound(remaining * (weights[i] as Fixed), totalWeight, 'floor') : null,
    );
    const over = shares.map((s) => s !== null && s > cap);
    if (!over.includes(true)) {
      shares.forEach((s, i) => {
        if (s !== null) out[i] = s;
      });
      break;
    }
    over.forEach((o, i) => {
      if (o) {
        out[i] = cap;
        remaining -= cap;
      }
    });
  }
  return out.map((a) => a ?? 0n);
}
