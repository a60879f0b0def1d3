import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'wxt';

// Builds the real extension (Chrome MV3 and Firefox MV3) into a temp dir and asserts the manifest
// carries exactly SPEC §5's permissions (storage, alarms, notifications) plus activeTab + scripting
// (issue 18, "Use this page's account"); host permissions for the
// exchange API only; the watcher origin optional at runtime; content scripts only on target sites.
const outDir = mkdtempSync(join(tmpdir(), 'perpscope-ext-'));
const manifests: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  for (const browser of ['chrome', 'firefox'] as const) {
    await build({
      root: process.cwd(),
      browser,
      manifestVersion: 3,
      outDir: join(outDir, browser),
      logger: quietLogger(),
    });
    manifests[browser] = JSON.parse(
      readFileSync(join(outDir, browser, `${browser}-mv3`, 'manifest.json'), 'utf8'),
    );
  }
}, 60_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function quietLogger() {
  const noop = () => {};
  return {
    debug: noop,
    log: noop,
    info: noop,
    warn: noop,
    error: console.error,
    fatal: console.error,
    success: noop,
    level: 0,
  };
}

describe.each(['chrome', 'firefox'])('%s manifest', (browser) => {
  it('asks for exactly storage, alarms, notifications, activeTab and scripting (+ offscreen on Chrome)', () => {
    // activeTab + scripting: "Use this page's account" reads the tab the popup was opened over,
    // on the user's click only; no `tabs`, no host permission for the exchange pages. offscreen:
    // the optional critical-alert sound (Chrome only).
    const common = ['storage', 'alarms', 'notifications', 'activeTab', 'scripting'];
    expect(manifests[browser]?.permissions).toEqual(
      browser === 'chrome' ? [...common, 'offscreen'] : common,
    );
  });

  it('ships the alert sound; the offscreen page that plays it only on Chrome', () => {
    const dir = join(outDir, browser, `${browser}-mv3`);
    expect(
      readFileSync(join(dir, 'sounds', 'critical.wav'))
        .subarray(0, 4)
        .toString(),
    ).toBe('RIFF');
    expect(existsSync(join(dir, 'offscreen.html'))).toBe(browser === 'chrome');
  });

  it('has host permissions for the exchange API only, the watcher origin optional', () => {
    expect(manifests[browser]?.host_permissions).toEqual(['https://api.hyperliquid.xyz/*']);
    expect(manifests[browser]?.optional_host_permissions).toEqual(['http://*/*', 'https://*/*']);
  });

  it('injects content scripts only on the exchange front-ends', () => {
    const scripts = manifests[browser]?.content_scripts as { matches: string[] }[];
    const matches = scripts.flatMap((s) => s.matches).sort();
    // HIP-3 front-ends of research/venues.md §3: trading is on trade.usefelix.xyz (usefelix.xyz is
    // the site), app.ventuals.com serves a sunset page.
    expect(matches).toEqual([
      'https://app.aevo.xyz/*',
      'https://app.hyena.trade/*',
      'https://app.hyperliquid.xyz/*',
      'https://app.trade.xyz/*',
      'https://markets.xyz/*',
      'https://trade.dreamcash.xyz/*',
      'https://trade.usefelix.xyz/*',
    ]);
    // `scripting` is asked for (activeTab only, above); no standing access to pages.
    expect(JSON.stringify(manifests[browser])).not.toMatch(/<all_urls>|"tabs"|webRequest/);
    expect(manifests[browser]?.web_accessible_resources).toBeUndefined();
  });
});

describe('store readiness', () => {
  it('ships icons at every size the stores ask for', () => {
    for (const browser of ['chrome', 'firefox'])
      expect(Object.keys((manifests[browser]?.icons ?? {}) as object).sort()).toEqual([
        '128',
        '16',
        '32',
        '48',
      ]);
  });

  it("declares Firefox's data collection (none for itself)", () => {
    const settings = manifests.firefox?.browser_specific_settings as
      | { gecko?: Record<string, unknown> }
      | undefined;
    const gecko = settings?.gecko;
    expect(gecko?.data_collection_permissions).toEqual({ required: ['none'] });
  });
});
