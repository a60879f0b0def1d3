import type { PositionView, Snapshot } from '../model.js';
import { type WhatIfChange, whatIf } from '../risk/whatIf.js';
import { formatPct, formatVenuePrice, freshnessOf } from '../ui/formatBadge.js';

/**
 * The popup's what-if line: pick a position, enter a size change (`+0.5`, `-0.2`) or a leverage,
 * and read the new liquidation price and distance (`src/risk/whatIf.ts`, computed in the popup
 * from the position's {@link PositionView.basis}). It owns its elements, so the popup's refresh
 * every 3 s updates the numbers without touching what the user is typing.
 */
export class WhatIfView {
  readonly #select: HTMLSelectElement;
  readonly #kind: HTMLSelectElement;
  readonly #input: HTMLInputElement;
  readonly #result: HTMLParagraphElement;
  readonly #error: HTMLParagraphElement;
  readonly #section: HTMLElement;
  #positions: readonly PositionView[] = [];
  #fresh = { nowMs: 0, staleAfterMs: 0 };

  constructor(root: HTMLElement) {
    const doc = root.ownerDocument;
    const make = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Record<string, string>) => {
      const e = doc.createElement(tag);
      for (const [k, v] of Object.entries(props)) e.setAttribute(k, v);
      return e;
    };
    this.#section = make('section', { class: 'whatif', 'aria-labelledby': 'whatif-h' });
    const h = make('h2', { id: 'whatif-h' });
    h.textContent = 'What if';
    this.#select = make('select', { id: 'whatif-position', 'aria-label': 'Position' });
    this.#kind = make('select', { id: 'whatif-kind', 'aria-label': 'Change' });
    for (const [value, text] of [
      ['size', 'size change'],
      ['leverage', 'leverage'],
    ] as const) {
      const o = make('option', { value });
      o.textContent = text;
      this.#kind.append(o);
    }
    this.#input = make('input', {
      id: 'whatif-input',
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      placeholder: '+0.5',
      'aria-label': 'Size change or leverage',
      'aria-describedby': 'whatif-error',
    });
    this.#result = make('p', {
      id: 'whatif-result',
      class: 'whatif-result',
      'aria-live': 'polite',
    });
    this.#error = make('p', { id: 'whatif-error', class: 'whatif-error', role: 'alert' });
    const row = make('div', { class: 'whatif-row' });
    row.append(this.#select, this.#kind, this.#input);
    this.#section.append(h, row, this.#result, this.#error);
    this.#section.hidden = true;
    root.append(this.#section);
    const recompute = () => this.#compute();
    this.#select.addEventListener('change', recompute);
    this.#kind.addEventListener('change', () => {
      this.#input.placeholder = this.#kind.value === 'size' ? '+0.5' : '5';
      recompute();
    });
    this.#input.addEventListener('input', recompute);
  }

  /** New data: the position list (selection kept by key) and the numbers recomputed. */
  update(snap: Snapshot, nowMs: number): void {
    this.#positions = snap.positions;
    this.#fresh = { nowMs, staleAfterMs: snap.staleAfterMs };
    this.#section.hidden = snap.positions.length === 0;
    const selected = this.#select.value;
    // In the popup's order: closest to liquidation first.
    const list = [...snap.positions].sort(
      (a, b) =>
        (a.distancePct ?? Number.POSITIVE_INFINITY) - (b.distancePct ?? Number.POSITIVE_INFINITY),
    );
    const options = list.map((p) => {
      const o = this.#select.ownerDocument.createElement('option');
      o.value = p.key;
      o.textContent = `${p.coin} ${p.side} ${p.size}${p.venue === 'aevo' ? ' (Aevo)' : ''}`;
      return o;
    });
    const signature = options.map((o) => `${o.value}=${o.textContent}`).join('|');
    if (this.#select.dataset.signature !== signature) {
      this.#select.replaceChildren(...options);
      this.#select.dataset.signature = signature;
      // The position chosen before, else the first (closest to liquidation comes first in the list).
      this.#select.value = list.some((p) => p.key === selected) ? selected : (list[0]?.key ?? '');
    }
    this.#compute();
  }

  #compute(): void {
    const { result, error, liq, note } = this.#outcome();
    this.#result.textContent = result;
    this.#result.title = note ?? '';
    this.#error.textContent = error;
    this.#input.setAttribute('aria-invalid', String(error !== ''));
    if (liq === undefined) delete this.#result.dataset.liq;
    else this.#result.dataset.liq = liq;
  }

  /** What to show for the current selection and input. */
  #outcome(): { result: string; error: string; liq?: string; note?: string } {
    const p = this.#positions.find((x) => x.key === this.#select.value);
    const show = (result: string, error: string, liq?: string, note?: string) => ({
      result,
      error,
      ...(liq === undefined ? {} : { liq }),
      ...(note === undefined ? {} : { note }),
    });
    if (!p) return show('', '');
    if (!p.basis) return show(`What-if ${p.basisReason ?? 'not available'}.`, '');
    if (this.#input.value.trim() === '')
      return show(
        this.#kind.value === 'size'
          ? `Enter a size change in ${p.coin} (e.g. +0.5 or -0.2) to see the new liquidation price.`
          : `Enter a leverage (1–${p.basis.maxLeverage}) to see the new liquidation price.`,
        '',
      );
    const change: WhatIfChange =
      this.#kind.value === 'size'
        ? { kind: 'size', text: this.#input.value }
        : { kind: 'leverage', text: this.#input.value };
    let r: ReturnType<typeof whatIf>;
    try {
      r = whatIf(p.basis, change);
    } catch (error) {
      return show('', `Not computed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!r.ok) return show('', r.error);
    if (r.side === null) return show(`${p.coin}: the change closes the position.`, '', '', r.note);
    // Inputs past the freshness threshold: the result says so, like every other number.
    const { stale, age } = freshnessOf(p, this.#fresh);
    const head = `${stale ? `stale · ${age} · ` : ''}${p.coin} ${r.side} ${r.size}: `;
    if (r.liquidationPx === null)
      return show(`${head}no liquidation price (fully collateralised).`, '', '', r.note);
    return show(
      `${head}liq ${formatVenuePrice(r.liquidationPx)} · ${formatPct(Number(r.distancePct))} from the mark ${formatVenuePrice(p.basis.markPx)}`,
      '',
      r.liquidationPx,
      r.note,
    );
  }
}
