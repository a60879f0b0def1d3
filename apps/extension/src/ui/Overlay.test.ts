// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { BADGE_TAG, Overlay, PANEL_TAG } from './Overlay.js';

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
});
