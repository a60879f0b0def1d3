// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { BADGE_TAG, Overlay, PANEL_TAG, type PanelLine, worstState } from './Overlay.js';

/** What the records wrote, as sorted `<node> text|<attribute>` entries (each once). */
function written(records: MutationRecord[], node: (r: MutationRecord) => number): string[] {
  const what = records.map(
    (r) => `${node(r)} ${r.type === 'attributes' ? r.attributeName : 'text'}`,
  );
  return [...new Set(what)].sort();
}

describe('Overlay', () => {
  it('renders data as text only, never as HTML', () => {
    document.body.innerHTML = '<table><tr><td id="a">BTC</td></tr></table>';
    const overlay = new Overlay(document);
    const evil = '<img src=x onerror="window.pwned=1">';
    overlay.renderBadges([
      {
        anchor: document.getElementById('a') as Element,
        key: 'k',
        text: evil,
        label: evil,
        level: 'warn',
      },
    ]);
    overlay.renderPanel('t', [{ kind: 'chain', text: evil, state: 'halted' }]);
    const badge = document.querySelector(BADGE_TAG)?.shadowRoot;
    const panel = document.querySelector(PANEL_TAG)?.shadowRoot;
    expect(badge?.querySelector('.b')?.textContent).toBe(evil);
    expect(panel?.querySelector('li')?.textContent).toBe(evil);
    expect(badge?.querySelector('img')).toBeNull();
    expect(panel?.querySelector('img')).toBeNull();
  });

  it('updates in place, and removes badges of rows that went away', () => {
    document.body.innerHTML = '<div id="a"></div><div id="b"></div>';
    const overlay = new Overlay(document);
    const a = document.getElementById('a') as Element;
    const b = document.getElementById('b') as Element;
    overlay.renderBadges([
      { anchor: a, key: 'a', text: 'Liq 5.00%', label: 'l', level: 'critical' },
      { anchor: b, key: 'b', text: 'Liq 50.0%', label: 'l', level: 'ok' },
    ]);
    const hostA = a.querySelector(BADGE_TAG);
    overlay.renderBadges([
      { anchor: a, key: 'a', text: 'Liq 6.00%', label: 'l', level: 'critical' },
    ]);
    expect(a.querySelector(BADGE_TAG)).toBe(hostA);
    expect(hostA?.shadowRoot?.querySelector('.b')?.textContent).toBe('Liq 6.00%');
    expect(b.querySelector(BADGE_TAG)).toBeNull();
    overlay.clear();
    expect(document.querySelectorAll(`${BADGE_TAG}, ${PANEL_TAG}`)).toHaveLength(0);
  });

  it('writes nothing for an unchanged badge, and only what changed otherwise', () => {
    document.body.innerHTML = '<div id="a"></div><div id="b"></div>';
    const overlay = new Overlay(document);
    const a = document.getElementById('a') as Element;
    const b = document.getElementById('b') as Element;
    const items = (ageA: string, levelB: 'ok' | 'warn') => [
      {
        anchor: a,
        key: 'a',
        text: `Liq 5.00% · ${ageA}`,
        label: `a ${ageA}`,
        level: 'critical' as const,
      },
      { anchor: b, key: 'b', text: 'Liq 50.0% · 1 s', label: 'b 1 s', level: levelB },
    ];
    overlay.renderBadges(items('1 s', 'ok'));
    const roots = [a, b].map((x) => x.querySelector(BADGE_TAG)?.shadowRoot as ShadowRoot);
    const observer = new MutationObserver(() => {});
    const all = { childList: true, subtree: true, characterData: true, attributes: true };
    observer.observe(document.body, all);
    for (const r of roots) observer.observe(r, all);
    overlay.renderBadges(items('1 s', 'ok'));
    expect(observer.takeRecords()).toEqual([]);
    overlay.renderBadges(items('2 s', 'warn'));
    // Badge a: its text and its label; badge b: its level attribute. Nothing else. (One write can
    // make several records: happy-dom reports a text replacement as a removal and an addition.)
    expect(
      written(observer.takeRecords(), (r) => roots.indexOf(r.target.getRootNode() as ShadowRoot)),
    ).toEqual(['0 aria-label', '0 text', '1 data-level']);
    expect(roots[0]?.querySelector('.b')?.textContent).toBe('Liq 5.00% · 2 s');
    expect(roots[1]?.querySelector('.b')?.getAttribute('data-level')).toBe('warn');
    observer.disconnect();
  });

  it("updates the panel's lines in place when only texts and states change, as a fresh render would show them", () => {
    document.body.innerHTML = '';
    const overlay = new Overlay(document);
    const before: PanelLine[] = [
      { kind: 'chain', text: 'Arbitrum One: up — ok · 1 s', state: 'up' },
      { kind: 'pos', text: 'BTC 5.00% — keep ≥ 45.0%', state: 'critical', title: 'why' },
      { kind: 'note', text: 'No watcher configured: chain and oracle badges off.' },
    ];
    const after: PanelLine[] = [
      { kind: 'chain', text: 'Arbitrum One: up — ok · 2 s', state: 'up' },
      { kind: 'pos', text: 'BTC 5.00% — keep ≥ 45.0%', state: 'warn' },
      { kind: 'note', text: 'No watcher configured: chain and oracle badges off.' },
    ];
    overlay.renderPanel('perpscope · Hyperliquid', before);
    const root = document.querySelector(PANEL_TAG)?.shadowRoot as ShadowRoot;
    const lis = [...root.querySelectorAll('li')];
    const observer = new MutationObserver(() => {});
    observer.observe(root, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
    });
    overlay.renderPanel('perpscope · Hyperliquid', after);
    const records = observer.takeRecords();
    observer.disconnect();
    // The same list items: only the first one's text and the second one's level and title changed.
    expect([...root.querySelectorAll('li')]).toEqual(lis);
    expect(written(records, (r) => lis.indexOf(r.target as HTMLLIElement))).toEqual([
      '0 text',
      '1 data-level',
      '1 title',
    ]);
    // What a panel rendered from scratch with the new lines holds.
    const fresh = new Overlay(document);
    fresh.renderPanel('perpscope · Hyperliquid', after);
    const roots = [...document.querySelectorAll(PANEL_TAG)].map((h) => h.shadowRoot);
    expect(roots).toHaveLength(2);
    expect(roots[0]?.querySelector('ul')?.outerHTML).toBe(roots[1]?.querySelector('ul')?.outerHTML);
    // A line more (or of another kind): the list is rebuilt with the new lines.
    overlay.renderPanel('perpscope · Hyperliquid', [...after, { kind: 'note', text: 'more' }]);
    expect([...root.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      ...after.map((l) => l.text),
      'more',
    ]);
  });

  it('names the worst state on the one severity scale in the collapsed pill', () => {
    document.body.innerHTML = '';
    const overlay = new Overlay(document);
    overlay.setLayout({ collapsed: true, left: null, top: null });
    overlay.renderPanel('t', [
      { kind: 'chain', text: 'a', state: 'recovering' },
      { kind: 'pos', text: 'b', state: 'warn' },
      { kind: 'note', text: 'c' },
    ]);
    const pill = document.querySelector(PANEL_TAG)?.shadowRoot?.querySelector('button.toggle');
    expect(pill?.textContent).toBe('perpscope · warn');
    expect((pill as HTMLElement | null)?.dataset.status).toBe('warn');
  });
});

describe('worstState (the pill: severities of @perpscope/schemas per line kind)', () => {
  const chain = (state: Extract<PanelLine, { kind: 'chain' }>['state']): PanelLine => ({
    kind: 'chain',
    text: '',
    state,
  });
  const market = (state: Extract<PanelLine, { kind: 'market' }>['state']): PanelLine => ({
    kind: 'market',
    text: '',
    state,
  });
  const pos = (state: Extract<PanelLine, { kind: 'pos' }>['state']): PanelLine => ({
    kind: 'pos',
    text: '',
    state,
  });

  it('orders critical > warning > info, whatever the line kind', () => {
    // A halted chain is critical; a halted market is a warning (the schemas' scale).
    expect(worstState([market('halted'), chain('halted')])).toBe('halted');
    expect(worstState([market('halted'), pos('critical')])).toBe('critical');
    expect(worstState([chain('recovering'), market('halted')])).toBe('halted');
    expect(worstState([market('watch'), chain('degraded')])).toBe('degraded');
    expect(worstState([pos('unknown'), chain('recovering')])).toBe('unknown');
    // Equal severity: the first line's word.
    expect(worstState([chain('degraded'), pos('warn')])).toBe('degraded');
    expect(worstState([pos('warn'), chain('degraded')])).toBe('warn');
  });

  it('says stale only when no line has a severity, and ok when nothing is wrong', () => {
    expect(worstState([chain('stale'), market('watch')])).toBe('watch');
    expect(worstState([chain('up'), pos('stale'), { kind: 'note', text: 'n' }])).toBe('stale');
    expect(worstState([chain('up'), market('ok'), pos('ok')])).toBe('ok');
    expect(worstState([])).toBe('ok');
  });
});
