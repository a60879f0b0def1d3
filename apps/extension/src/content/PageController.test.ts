// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_SNAPSHOT, type PositionView, type Snapshot } from '../model.js';
import { BADGE_TAG, PANEL_TAG } from '../ui/Overlay.js';
import { hyperliquidSite } from './hyperliquidSite.js';
import { PageController, panelLines, type Timers, UPDATED_TEXT } from './PageController.js';

const NOW = 1_700_000_000_000;
const position = (coin: string, distancePct: number): PositionView => ({
  key: `hyperliquid|0xa|${coin}`,
  venue: 'hyperliquid',
  account: '0xa',
  dex: coin.includes(':') ? 'xyz' : '',
  coin,
  side: 'long',
  size: '1',
  markPx: '100',
  liqPx: '90',
  venueLiqPx: '90',
  liqCheck: 'agree',
  marginMode: 'cross',
  distancePct,
  distanceSigma: 1.25,
  level: distancePct < 7 ? 'critical' : 'ok',
  healthBufferUsd: null,
  headline: 'ours',
  accountMode: 'default',
  haltMultiplied: false,
  dataAt: NOW - 1_000,
  staleReason: null,
});

const SNAP: Snapshot = {
  ...EMPTY_SNAPSHOT,
  updatedAt: 1,
  positions: [position('BTC', 5.5), position('xyz:TSLA', 25)],
};

/** Timers run by hand, so the test controls when throttled renders happen. */
function manualTimers() {
  const pending: (() => void)[] = [];
  const timers: Timers = {
    setTimeout: (cb) => pending.push(cb),
    setInterval: () => 0,
  };
  return {
    timers,
    pending,
    flush: () => {
      for (const cb of pending.splice(0)) cb();
    },
  };
}

function setup(html: string) {
  document.body.innerHTML = html;
  const sent: unknown[] = [];
  const send = async (m: unknown) => {
    sent.push(m);
    return { ok: true, data: SNAP };
  };
  const { timers, flush, pending } = manualTimers();
  const controller = new PageController({
    doc: document,
    site: hyperliquidSite({ send, kind: 'hyperliquid', pollMs: 3000 }),
    timers,
    now: () => NOW,
  });
  return { controller, sent, flush, pending };
}

const snapshot = (name: string) =>
  readFileSync(resolve(process.cwd(), 'test/snapshots', name), 'utf8');

describe('PageController', () => {
  it('badges the watched rows and renders the text of each', async () => {
    const { controller, sent } = setup(snapshot('hl-positions.html'));
    await controller.poll();
    expect(sent[0]).toEqual({
      perpscope: 1,
      type: 'getSnapshot',
      data: { maxAgeMs: 2500, focusCoin: null },
    });
    const texts = [...document.querySelectorAll(BADGE_TAG)].map((h) => h.shadowRoot?.textContent);
    expect(texts).toEqual(['Liq 5.50% · 1.3σ · 1 s', 'Liq 25.0% · 1.3σ · 1 s']);
    expect(
      document.querySelector(`${BADGE_TAG}[data-key$="BTC"]`)?.closest('tr')?.textContent,
    ).toContain('0.5 BTC');
  });

  it('after an extension update removes the frozen badges and says to reload the page', async () => {
    const { controller } = setup(snapshot('hl-positions.html'));
    await controller.poll();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    controller.showUpdated();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    const panel = document.querySelector(PANEL_TAG)?.shadowRoot;
    expect([...(panel?.querySelectorAll('li') ?? [])].map((li) => li.textContent)).toEqual([
      UPDATED_TEXT,
    ]);
    // A poll that answers after that (in flight during the update) keeps the hint.
    await controller.poll();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    expect(document.querySelector(PANEL_TAG)?.shadowRoot?.textContent).toContain(UPDATED_TEXT);
  });

  it.each(['hl-trade-history.html', 'hl-open-orders.html', 'hl-funding-history.html'])(
    'puts no badge on %s rows: lists the positions in the panel and says the table was not recognised',
    async (name) => {
      const { controller } = setup(snapshot(name));
      await controller.poll();
      expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
      const items = [
        ...(document.querySelector(PANEL_TAG)?.shadowRoot?.querySelectorAll('li') ?? []),
      ]
        .map((li) => li.textContent)
        .filter((t) => !t?.startsWith('No watcher'));
      expect(items).toEqual([
        'Positions table not recognised on this page: positions listed here.',
        'BTC long 1: 5.50% to liq (critical) · 1 s',
        'xyz:TSLA long 1: 25.0% to liq (ok) · 1 s',
      ]);
    },
  );

  it('gives a row the position of its side when two watched addresses hold the same coin', () => {
    document.body.innerHTML = snapshot('hl-positions.html');
    const short = {
      ...position('ETH', 9),
      key: 'hyperliquid|0xb|ETH',
      account: '0xb',
      side: 'short' as const,
    };
    const snap = { ...SNAP, positions: [position('ETH', 5), short] };
    const site = hyperliquidSite({
      send: async () => undefined,
      kind: 'hyperliquid',
      pollMs: 3000,
    });
    // The ETH row is red (short): it belongs to 0xb, though 0xa's long is closer to liquidation.
    expect(site.readBadges(document, snap, NOW)?.map((b) => b.key)).toEqual([
      'hyperliquid|0xb|ETH',
    ]);
  });

  it('degrades to the floating panel with a "table not recognised" line when the headers were renamed', async () => {
    const { controller } = setup(snapshot('hl-positions-renamed.html'));
    await controller.poll();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    const lines = [
      ...(document.querySelector(PANEL_TAG)?.shadowRoot?.querySelectorAll('li.note') ?? []),
    ].map((li) => li.textContent);
    expect(lines).toContain('Positions table not recognised on this page: positions listed here.');
  });

  it('falls back to a floating panel listing the positions when no table is found', async () => {
    const { controller } = setup(snapshot('hl-no-positions.html'));
    await controller.poll();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(0);
    const items = [
      ...(document.querySelector(PANEL_TAG)?.shadowRoot?.querySelectorAll('li.pos') ?? []),
    ].map((li) => li.textContent);
    expect(items).toEqual([
      'BTC long 1: 5.50% to liq (critical) · 1 s',
      'xyz:TSLA long 1: 25.0% to liq (ok) · 1 s',
    ]);
  });

  it('re-renders page mutations at most once per throttle window, ignoring its own writes', async () => {
    const { controller, flush, pending } = setup('<div id="host"></div>');
    const tick = () => new Promise((r) => setTimeout(r, 10)); // deliver messages and mutation records
    controller.start(3000);
    await tick();
    // First render: no table yet, so the floating panel was added — our own write, no re-render.
    expect(document.querySelector(PANEL_TAG)).not.toBeNull();
    expect(pending).toHaveLength(0);
    // The app renders its positions table later (SPA): two mutations, one throttled render.
    document.getElementById('host')!.innerHTML = snapshot('hl-positions.html');
    document.getElementById('host')!.append(document.createElement('span'));
    await tick();
    expect(pending).toHaveLength(1);
    flush();
    expect(document.querySelectorAll(BADGE_TAG)).toHaveLength(2);
    // Adding the two badge hosts to the coin cells is our own write: no further render.
    await tick();
    expect(pending).toHaveLength(0);
    document.querySelector('td')!.textContent = 'Coin ';
    await tick();
    expect(pending).toHaveLength(1);
    controller.stop();
    expect(document.querySelectorAll(`${BADGE_TAG}, ${PANEL_TAG}`)).toHaveLength(0);
  });
  it('polls again for the new page when the user navigates while a poll is under way', async () => {
    document.body.innerHTML = snapshot('hl-positions.html');
    history.replaceState(null, '', '/trade/BTC');
    const sent: { data: { focusCoin: string | null } }[] = [];
    const answers: (() => void)[] = [];
    // The background answers only when the test says so.
    const send = (m: unknown) =>
      new Promise<unknown>((resolve) => {
        sent.push(m as { data: { focusCoin: string | null } });
        answers.push(() => resolve({ ok: true, data: SNAP }));
      });
    const controller = new PageController({
      doc: document,
      site: hyperliquidSite({ send, kind: 'hyperliquid', pollMs: 3000 }),
      timers: manualTimers().timers,
    });
    const tick = () => new Promise((r) => setTimeout(r, 0));
    try {
      const first = controller.poll();
      // SPA navigation to another market while the request is in flight (runOverlay polls too).
      history.pushState(null, '', '/trade/xyz:TSLA');
      void controller.poll();
      answers.shift()?.();
      await tick();
      // The answer was for BTC's page: the market on screen now is xyz:TSLA, so ask again.
      expect(sent.map((m) => m.data.focusCoin)).toEqual(['BTC', 'xyz:TSLA']);
      answers.shift()?.();
      await first;
      // Without a navigation, calls during a poll add no request (the interval polls next).
      const third = controller.poll();
      void controller.poll();
      answers.shift()?.();
      await third;
      await tick();
      expect(sent).toHaveLength(3);
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('starts without throwing on a page that has no body (nothing to observe or anchor)', async () => {
    const body = document.body;
    body.remove();
    try {
      expect(document.body).toBeNull();
      const { timers } = manualTimers();
      const controller = new PageController({
        doc: document,
        site: hyperliquidSite({
          send: async () => ({ ok: true, data: SNAP }),
          kind: 'hyperliquid',
          pollMs: 3000,
        }),
        timers,
      });
      expect(() => controller.start(3000)).not.toThrow();
      await controller.poll();
      expect(() => controller.stop()).not.toThrow();
    } finally {
      document.documentElement.append(body);
    }
  });
});

describe('panelLines during a prices halt', () => {
  it('gives each multiplied position one line with the distance to keep', () => {
    const snap: Snapshot = {
      ...EMPTY_SNAPSHOT,
      thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 3 },
      positions: [
        {
          ...position('BTC', 15),
          haltMultiplied: true,
          dataAt: NOW,
          haltPlan: {
            keepPct: 45,
            addCollateral: '1240.5',
            collateralSymbol: 'USDC',
            cutPct: 38,
            note: null,
          },
        },
        {
          ...position('xyz:TSLA', 20),
          haltMultiplied: true,
          dataAt: NOW,
          haltPlan: {
            keepPct: 45,
            addCollateral: '12',
            collateralSymbol: 'USDC',
            cutPct: null,
            note: 'No cut shown for an isolated position.',
          },
        },
        {
          ...position('HYPE', 30),
          haltMultiplied: true,
          dataAt: NOW,
          haltPlan: {
            keepPct: 45,
            addCollateral: null,
            collateralSymbol: 'USDC',
            cutPct: null,
            note: 'Amounts not available: account mode unknown.',
          },
        },
        { ...position('ETH', 50), haltMultiplied: true, dataAt: NOW },
        { ...position('SOL', 10), dataAt: NOW },
      ],
    };
    const all = panelLines(snap, {
      venue: 'hyperliquid',
      focus: null,
      chainIds: null,
      listPositions: false,
      nowMs: NOW,
    });
    expect(all.map((l) => l.text)).toEqual([
      'No watcher configured: chain and oracle badges off.',
      'Halt of a chain this venue prices on: liquidation thresholds multiplied.',
      'BTC 15.0% — during this halt keep ≥ 45.0%: add 1,240.50 USDC or cut 38%',
      'xyz:TSLA 20.0% — during this halt keep ≥ 45.0%: add 12 USDC',
      'HYPE 30.0% — during this halt keep ≥ 45.0%',
      'ETH 50.0% — during this halt keep ≥ 45.0% (kept)',
    ]);
    // Why an amount is missing goes to the tooltip, never a guess in the text.
    expect(all.map((l) => l.title)).toEqual([
      undefined,
      undefined,
      undefined,
      'No cut shown for an isolated position.',
      'Amounts not available: account mode unknown.',
      undefined,
    ]);
  });

  it('writes nothing to the page when a render has nothing new, and rewrites an age when its second changes', async () => {
    document.body.innerHTML = snapshot('hl-positions.html');
    let t = NOW;
    // Each poll brings new objects with the same values, as the background's messages do.
    const send = async () => ({ ok: true, data: structuredClone(SNAP) });
    const controller = new PageController({
      doc: document,
      site: hyperliquidSite({ send, kind: 'hyperliquid', pollMs: 3000 }),
      timers: manualTimers().timers,
      now: () => t,
    });
    await controller.poll();
    const hosts = [...document.querySelectorAll(`${BADGE_TAG}, ${PANEL_TAG}`)];
    expect(hosts.map((h) => h.localName)).toEqual([BADGE_TAG, BADGE_TAG, PANEL_TAG]);
    // The page's tree and each of perpscope's shadow roots (a document observer cannot see inside).
    const records: MutationRecord[] = [];
    const observer = new MutationObserver((r) => records.push(...r));
    const all = { childList: true, subtree: true, characterData: true, attributes: true };
    observer.observe(document.body, all);
    for (const h of hosts) if (h.shadowRoot) observer.observe(h.shadowRoot, all);
    const writes = () => {
      records.push(...observer.takeRecords());
      return records.splice(0);
    };
    const badgeTexts = () =>
      [...document.querySelectorAll(BADGE_TAG)].map((h) => h.shadowRoot?.textContent);

    t = NOW + 400; // ages still round to the same second: "1 s"
    controller.render();
    await controller.poll(); // same values in new objects
    expect(writes()).toEqual([]);
    expect(badgeTexts()).toEqual(['Liq 5.50% · 1.3σ · 1 s', 'Liq 25.0% · 1.3σ · 1 s']);

    t = NOW + 600; // now "2 s": both texts and labels change, nothing else
    controller.render();
    const changed = writes();
    expect(badgeTexts()).toEqual(['Liq 5.50% · 1.3σ · 2 s', 'Liq 25.0% · 1.3σ · 2 s']);
    expect(changed.length).toBeGreaterThan(0);
    for (const r of changed)
      expect(hosts.slice(0, 2)).toContain((r.target.getRootNode() as ShadowRoot).host);
    controller.render();
    expect(writes()).toEqual([]);
    observer.disconnect();
  });
});
