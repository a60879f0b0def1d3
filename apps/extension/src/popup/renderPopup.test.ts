// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, type GuardView, type Snapshot } from '../model.js';
import { renderPopup } from './renderPopup.js';

const A = '0x00000000000000000000000000000000000000a1';
const B = '0x00000000000000000000000000000000000000b2';
const NOW = 1_000_000;
const guard = (g: Partial<GuardView>): GuardView => ({
  on: true,
  label: 'main',
  level: 'ok',
  thresholds: { warnPct: 12, criticalPct: 6 },
  ageSeconds: 2,
  dataAt: NOW - 1_000,
  staleReason: null,
  ...g,
});
const snapOf = (guards: Snapshot['guards']): Snapshot => ({
  ...EMPTY_SNAPSHOT,
  watcher: 'ok',
  addresses: [A, B],
  guards,
});
function guardLines(snap: Snapshot): [string | undefined, string][] {
  const root = document.createElement('div');
  renderPopup(root, snap, NOW, { [A]: 'Main' });
  return [...root.querySelectorAll('li.guard')].map((li) => [
    (li as HTMLElement).dataset.guard,
    li.textContent ?? '',
  ]);
}

describe('renderPopup: the watcher’s guard (issue 16)', () => {
  it('says the guard is on for a guarded address and not guarded for the other', () => {
    expect(guardLines(snapOf({ [A]: guard({}), [B]: guard({ on: false, label: null }) }))).toEqual([
      [
        'on',
        'Main: Guard on — the watcher alerts you even with the browser closed · ok · warn 12% / critical 6% · 1 s',
      ],
      ['off', '0x0000…00b2: Not guarded by your watcher'],
    ]);
  });

  it('shows a stale answer as stale, never as "Guard on"', () => {
    const lines = guardLines(
      snapOf({
        [A]: guard({ dataAt: NOW - 42_000, staleReason: 'watcher: GET /v1/positions: HTTP 503' }),
        [B]: guard({ on: false, dataAt: 0, staleReason: 'watcher: network error' }),
      }),
    );
    expect(lines).toEqual([
      ['stale', 'Main: Guard stale · 42 s (last: on)'],
      ['stale', '0x0000…00b2: Guard unknown — watcher: network error'],
    ]);
  });

  it('shows no guard section without a watcher, and labels render as text', () => {
    const root = document.createElement('div');
    renderPopup(root, snapOf({ [A]: null, [B]: null }), NOW);
    expect(root.querySelector('li.guard')).toBeNull();
    expect(root.textContent).not.toContain('Position guard');
    renderPopup(root, snapOf({ [A]: guard({}) }), NOW, { [A]: '<img src=x onerror=alert(1)>' });
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('li.guard')?.textContent).toMatch(
      /^<img src=x onerror=alert\(1\)>: /,
    );
  });
});
