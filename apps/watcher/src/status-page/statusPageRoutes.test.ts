import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { marketGuidance } from '../subjects/hip3/marketGuidance.js';
import { statusPageCsp, statusPageRoutes } from './statusPageRoutes.js';

describe('status page routes', () => {
  const app = new Hono().route('/', statusPageRoutes());

  it('serves the page with a strict CSP and relative asset URLs', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(statusPageCsp);
    expect(statusPageCsp).toContain("script-src 'self'");
    expect(statusPageCsp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).toContain('<script src="assets/status.js" defer></script>');
    expect(html).toContain('<script src="assets/uplot.min.js" defer></script>');
    expect(html).toContain('name="viewport"');
    // No third-party hosts: everything comes from the watcher itself.
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('serves uPlot from node_modules and the page script, with types', async () => {
    const js = await app.request('/assets/uplot.min.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toContain('uPlot');
    const css = await app.request('/assets/uplot.min.css');
    expect(await css.text()).toContain('.uplot');
    const status = await app.request('/assets/status.js');
    expect(status.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await status.text();
    // Built from status.ts: a browser script (one IIFE, no module syntax, no TypeScript left).
    expect(source).toContain('fetch("v1/events"');
    expect(source.trimStart()).toMatch(/^"use strict";\s*\(\(\) => \{|^\(\(\) => \{/);
    expect(source).not.toMatch(/^\s*(import|export)\s/m);
    expect(source).not.toMatch(/\bas (string|const)\b|: HTMLElement\b/);
    // Text only: the script never assigns HTML built from data.
    expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    // Advice comes from the API (`guidance`), never copied into the page.
    for (const text of Object.values(marketGuidance).filter(Boolean)) {
      expect(source).not.toContain(text);
    }
    expect((await app.request('/assets/../../package.json')).status).toBe(404);
    expect((await app.request('/assets/nope.js')).status).toBe(404);
  });

  it('answers 404 (not 500) for asset names that are Object.prototype keys', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const res = await app.request(`/assets/${name}`);
      expect(res.status, name).toBe(404);
    }
  });
});
