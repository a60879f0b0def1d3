// Locating data tables on exchange pages by their header text — never by class names, which the
// sites generate (hashed styled-components classes change on every deploy; research/extension.md §1.4).

/** A column found by header text: patterns are tried against the normalised header label. */
export type ColumnSpec = Readonly<Record<string, readonly RegExp[]>>;

/** One data row with its cells, in document order. */
export interface TableRow {
  readonly row: Element;
  readonly cells: readonly Element[];
}

/** A table whose header row matched every required column. */
export interface FoundTable<C extends string> {
  /** The element holding the rows (`<table>` or a `role=table|grid` element). */
  readonly table: Element;
  /** Column index per spec key (−1 for optional columns that are absent). */
  readonly columns: Readonly<Record<C, number>>;
  readonly rows: readonly TableRow[];
}

/** Elements {@link findTable} takes for tables. */
export const TABLE_SELECTOR = 'table, [role="table"], [role="grid"]';
/** Elements {@link findTable} takes for rows (of the nearest enclosing table only). */
export const ROW_SELECTOR = 'tr, [role="row"]';
const CELL_SELECTOR =
  ':scope > td, :scope > th, :scope > [role="cell"], :scope > [role="gridcell"], :scope > [role="columnheader"]';

/** Lower-cases, collapses whitespace and drops sort arrows / trailing punctuation of a header label. */
export function normaliseLabel(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/[\u2191\u2193\u25b2\u25bc\u2195]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .replace(/[:*]+$/, '');
}

function cellsOf(row: Element): Element[] {
  return Array.from(row.querySelectorAll(CELL_SELECTOR));
}

/**
 * Finds the first table under `root` whose header row has a column for each `required` key (and
 * records `optional` ones when present) and that `accept` approves (e.g. "has a positions-only
 * column"). The header row is the first row of the table (`<th>` in a `<thead>` or, as on
 * Hyperliquid, `<td>` cells). Reads only; returns null when no table matches.
 */
export function findTable<R extends string, O extends string = never>(
  root: ParentNode,
  required: Readonly<Record<R, readonly RegExp[]>>,
  optional: Readonly<Record<O, readonly RegExp[]>> = {} as Record<O, readonly RegExp[]>,
  accept: (columns: Readonly<Record<R | O, number>>) => boolean = () => true,
): FoundTable<R | O> | null {
  const tables = root.querySelectorAll(TABLE_SELECTOR);
  for (const table of Array.from(tables)) {
    const rows = Array.from(table.querySelectorAll(ROW_SELECTOR)).filter(
      (r) => r.closest(TABLE_SELECTOR) === table,
    );
    const header = rows[0];
    if (!header) continue;
    const labels = cellsOf(header).map((c) => normaliseLabel(c.textContent));
    const columns: Record<string, number> = {};
    let ok = true;
    for (const [key, patterns] of Object.entries(required) as [string, readonly RegExp[]][]) {
      const idx = labels.findIndex((l) => patterns.some((p) => p.test(l)));
      if (idx < 0) {
        ok = false;
        break;
      }
      columns[key] = idx;
    }
    if (!ok) continue;
    for (const [key, patterns] of Object.entries(optional) as [string, readonly RegExp[]][]) {
      columns[key] = labels.findIndex((l) => patterns.some((p) => p.test(l)));
    }
    if (!accept(columns as Record<R | O, number>)) continue;
    const data = rows.slice(1).map((row) => ({ row, cells: cellsOf(row) }));
    return {
      table,
      columns: columns as Record<R | O, number>,
      rows: data.filter((r) => r.cells.length > 0),
    };
  }
  return null;
}

/**
 * Parses a number as exchanges display it: `$1,234.50`, `−12.3`, `12.3 USDC`, `0.05 ETH`.
 * Returns a plain decimal string (`-12.3`) or null when the text holds no single number.
 */
export function parseDisplayedNumber(text: string | null | undefined): string | null {
  const cleaned = (text ?? '')
    .replace(/[\u2212\u2013]/g, '-')
    .replace(/[$,\s\u00a0]/g, '')
    .replace(/(USDC|USDT|USD|[A-Z]{2,6})$/i, '');
  const m = /^([+-]?)(\d+(?:\.\d+)?)$/.exec(cleaned);
  if (!m) return null;
  const digits = (m[2] ?? '').replace(/^0+(?=\d)/, '');
  return m[1] === '-' ? `-${digits}` : digits;
}
