// perpscope status page: reads the watcher's JSON API and follows /v1/events (SSE) for live
// updates. Plain DOM, text only (no HTML from data), uPlot for charts. URLs are relative so the
// page also works behind a reverse proxy under a path prefix. Bundled into `/assets/status.js` by
// esbuild (`../buildStatusScript.ts`); typed by the API schemas of `@perpscope/schemas`, and every
// sentence of advice comes from the API (`guidance` of chains and markets), never from here.
import {
  type ChainGapSeriesList,
  type ChainList,
  type ChainSummary,
  chainSeverity,
  type GuardedAccount,
  type GuardedAccountList,
  type GuardedPosition,
  type Hip3Market,
  type Hip3MarketList,
  type Hip3OracleUpdatePage,
  type Incident,
  type IncidentList,
  isMarketVerdict,
  marketSeverity,
  positionLevelSeverity,
  type Severity,
  type SubjectType,
  severityRank,
  type WatcherEvent,
  type WatcherEventKind,
} from '@perpscope/schemas';
import type UPlot from 'uplot';

/** uPlot's IIFE build (`assets/uplot.min.js`, loaded before this script); absent if it failed. */
declare const uPlot: typeof UPlot | undefined;

/** Worst first on the one severity scale. */
const bySeverity = (a: Severity | null, b: Severity | null) => severityRank(b) - severityRank(a);

const state = {
  chains: [] as ChainSummary[],
  chainsAt: 0,
  markets: null as Hip3Market[] | null,
  incidents: [] as Incident[],
  selectedMarket: null as string | null,
  chainCharts: new Map<string, UPlot>(),
  marketCharts: new Map<string, UPlot>(),
};

function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`status page: #${id} is missing`);
  return node as T;
}

type Child = Node | string | number | null | undefined | false;

/** Creates an element; children are nodes or text (never parsed as HTML). */
function el(
  tag: string,
  attrs: Readonly<Record<string, string | number | null | undefined>> | null,
  ...children: Child[]
): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = String(v);
    else node.setAttribute(k, String(v));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** GETs a JSON body of the API; `null` on 404 (e.g. the HIP-3 watch is off). */
async function getJson<T>(path: string): Promise<T | null> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

function ago(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} d`;
}

function duration(fromIso: string, toIso: string | null): string {
  const end = toIso ? Date.parse(toIso) : Date.now();
  return ago((end - Date.parse(fromIso)) / 1000);
}

function chartWidth(container: HTMLElement): number {
  return Math.max(200, Math.floor(container.clientWidth || 300));
}

// ---- chains -------------------------------------------------------------------------------

function renderChains() {
  const root = $('chains');
  const chains = [...state.chains].sort(
    (a, b) =>
      bySeverity(chainSeverity(a.status), chainSeverity(b.status)) || a.name.localeCompare(b.name),
  );
  const seen = new Set<string>();
  for (const chain of chains) {
    const key = String(chain.chainId);
    seen.add(key);
    let card = root.querySelector<HTMLElement>(`[data-chain-id="${key}"]`);
    if (!card) {
      card = el('article', { class: 'card', 'data-chain-id': key, 'data-chain': chain.key });
      card.append(
        el('div', { class: 'body' }),
        el('div', { class: 'chart', 'aria-hidden': 'true' }),
      );
    }
    root.append(card); // keeps the sorted order; existing nodes move, charts survive
    card.dataset.status = chain.status;
    const flags = Object.entries(chain.flags)
      .filter(([, on]) => on)
      .map(([name]) => name);
    const body = el(
      'div',
      { class: 'body' },
      el(
        'h3',
        {},
        el('span', {}, chain.name),
        el('span', { class: 'badge', 'data-status': chain.status }, chain.status),
      ),
      el(
        'p',
        { class: 'meta' },
        `${chain.class}${chain.phase ? ` · phase: ${chain.phase}` : ''} · head ${chain.head ? `#${chain.head.number}` : '—'} · new head `,
        el(
          'span',
          { 'data-age': String(chain.secondsSinceNewHead ?? '') },
          ago(chain.secondsSinceNewHead),
        ),
        ' ago',
        flags.length ? ` · ${flags.join(', ')}` : '',
      ),
      chain.reasons.length
        ? el('ul', { class: 'reasons' }, ...chain.reasons.map((r) => el('li', {}, r)))
        : null,
      chain.guidance.length
        ? el(
            'div',
            { class: 'guidance' },
            el('strong', {}, 'What to do: '),
            chain.guidance.join(' '),
          )
        : null,
    );
    card.querySelector('.body')?.replaceWith(body);
  }
  for (const card of [...root.children] as HTMLElement[]) {
    const id = card.dataset.chainId ?? '';
    if (!seen.has(id)) {
      state.chainCharts.get(id)?.destroy();
      state.chainCharts.delete(id);
      card.remove();
    }
  }
}

function tickAges() {
  const elapsed = (Date.now() - state.chainsAt) / 1000;
  for (const span of document.querySelectorAll<HTMLElement>('[data-age]')) {
    const base = Number.parseFloat(span.dataset.age ?? '');
    span.textContent = Number.isFinite(base) ? ago(base + elapsed) : '—';
  }
}

async function refreshChains() {
  const body = await getJson<ChainList>('v1/chains');
  state.chains = body ? body.chains : [];
  state.chainsAt = Date.now();
  $('chains-section').hidden = state.chains.length === 0;
  renderChains();
  renderSummary();
}

async function refreshChainCharts() {
  if (typeof uPlot === 'undefined' || state.chains.length === 0) return;
  const body = await getJson<ChainGapSeriesList>('v1/status/chain-gaps?minutes=30&buckets=90');
  if (!body) return;
  for (const series of body.chains) {
    const key = String(series.chainId);
    const container = document.querySelector<HTMLElement>(`[data-chain-id="${key}"] .chart`);
    if (!container) continue;
    const data: UPlot.AlignedData = [series.times, series.headAgeSeconds, series.maxGapSeconds];
    const existing = state.chainCharts.get(key);
    if (existing) {
      existing.setData(data);
      continue;
    }
    const chart = new uPlot(
      {
        width: chartWidth(container),
        height: 130,
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, Math.max(5, max * 1.1)] },
        },
        axes: [{ size: 28 }, { size: 40, label: 's' }],
        series: [
          {},
          { label: 'head age (s)', stroke: '#2563eb', width: 1.5 },
          {
            label: 'max block gap (s)',
            stroke: '#dc2626',
            width: 1,
            paths: uPlot.paths.stepped!({ align: 1 }),
          },
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      container,
    );
    state.chainCharts.set(key, chart);
  }
}

// ---- markets ------------------------------------------------------------------------------

function renderMarkets() {
  const section = $('markets-section');
  if (state.markets === null) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const onlyIssues = $<HTMLInputElement>('only-issues').checked;
  const rows = [...state.markets]
    .filter(
      (m) => !onlyIssues || (m.status !== 'ok' && !m.isDelisted) || m.coin === state.selectedMarket,
    )
    .sort(
      (a, b) =>
        bySeverity(marketSeverity(a.status), marketSeverity(b.status)) ||
        a.coin.localeCompare(b.coin),
    );
  const tbody = $('markets').querySelector('tbody');
  tbody?.replaceChildren(
    ...rows.map((m) => {
      const tr = el(
        'tr',
        {
          'data-coin': m.coin,
          'data-status': m.status,
          class: 'market-halted',
          'aria-selected': m.coin === state.selectedMarket ? 'true' : 'false',
        },
        el('td', {}, m.coin, m.isDelisted ? ' (delisted)' : ''),
        el('td', {}, el('span', { class: 'badge', 'data-status': m.status }, m.status)),
        el(
          'td',
          {},
          m.reasons.length ? m.reasons.map((r) => r.message).join('; ') : '—',
          m.guidance ? el('div', { class: 'muted' }, m.guidance) : null,
        ),
        el('td', { class: 'num' }, m.oraclePx ?? '—'),
        el('td', { class: 'num' }, m.markPx ?? '—'),
        el(
          'td',
          { class: 'num' },
          m.fundingApr === null ? '—' : `${(Number(m.fundingApr) * 100).toFixed(2)} %`,
        ),
      );
      tr.addEventListener('click', () => {
        state.selectedMarket = state.selectedMarket === m.coin ? null : m.coin;
        renderMarkets();
        refreshMarketCharts().catch(report);
      });
      return tr;
    }),
  );
  $('markets-empty').hidden = rows.length > 0;
}

async function refreshMarkets() {
  const body = await getJson<Hip3MarketList>('v1/hip3/markets');
  state.markets = body ? body.markets : null;
  renderMarkets();
  renderSummary();
}

/**
 * Which markets get a chart first: a live oracle problem (a verdict, by severity) beats a halt or
 * missing data (usually long-standing).
 */
const byChartPriority = (a: Hip3Market, b: Hip3Market) =>
  Number(isMarketVerdict(b.status)) - Number(isMarketVerdict(a.status)) ||
  bySeverity(marketSeverity(a.status), marketSeverity(b.status));

/** Charts for the selected market and the worst listed markets with issues, at most 4. */
function chartedMarkets(): string[] {
  if (!state.markets) return [];
  const worst = state.markets
    .filter((m) => m.status !== 'ok' && !m.isDelisted)
    .sort(byChartPriority)
    .map((m) => m.coin);
  const list = state.selectedMarket
    ? [state.selectedMarket, ...worst.filter((c) => c !== state.selectedMarket)]
    : worst;
  return list.slice(0, 4);
}

async function refreshMarketCharts() {
  if (typeof uPlot === 'undefined') return;
  const root = $('market-charts');
  const coins = chartedMarkets();
  for (const card of [...root.children] as HTMLElement[]) {
    const coin = card.dataset.chartCoin ?? '';
    if (coins.includes(coin)) continue;
    state.marketCharts.get(coin)?.destroy();
    state.marketCharts.delete(coin);
    card.remove();
  }
  for (const coin of coins) await chartMarket(root, coin).catch(report);
}

/** Oracle-update intervals (s) and mark–oracle deviation (%) of one market. */
async function chartMarket(root: HTMLElement, coin: string) {
  if (typeof uPlot === 'undefined') return;
  const page = await getJson<Hip3OracleUpdatePage>(
    `v1/hip3/markets/${encodeURIComponent(coin)}/oracle-updates?limit=200`,
  );
  if (!page) return;
  const updates = page.updates.filter((u) => u.source === 'ctx').reverse();
  const data: UPlot.AlignedData = [
    updates.map((u) => u.timeMs / 1000),
    updates.map((u) => u.intervalSeconds),
    updates.map((u) =>
      u.markPx !== null && u.oraclePx !== null && Number(u.oraclePx) !== 0
        ? (Number(u.markPx) / Number(u.oraclePx) - 1) * 100
        : null,
    ),
  ];
  const market = state.markets?.find((m) => m.coin === coin);
  let card = root.querySelector<HTMLElement>(`[data-chart-coin="${CSS.escape(coin)}"]`);
  if (!card) {
    card = el(
      'article',
      { class: 'card', 'data-chart-coin': coin },
      el('h3', {}),
      el('div', { class: 'chart' }),
    );
    root.append(card);
  }
  const status = market ? market.status : 'unknown';
  card.dataset.status = status;
  card
    .querySelector('h3')
    ?.replaceChildren(
      el('span', {}, coin),
      el('span', { class: 'badge', 'data-status': status }, status),
    );
  const container = card.querySelector<HTMLElement>('.chart');
  if (!container) return;
  const first = updates[0];
  if (updates.length < 2) {
    state.marketCharts.get(coin)?.destroy();
    state.marketCharts.delete(coin);
    container.replaceChildren(
      el(
        'p',
        { class: 'muted' },
        first === undefined
          ? 'No oracle update recorded yet.'
          : `One oracle update recorded so far (${new Date(first.timeMs).toLocaleTimeString()}).`,
      ),
    );
    return;
  }
  const existing = state.marketCharts.get(coin);
  if (existing) {
    existing.setData(data);
    return;
  }
  container.replaceChildren();
  state.marketCharts.set(
    coin,
    new uPlot(
      {
        width: chartWidth(container),
        height: 140,
        scales: {
          x: { time: true },
          s: { auto: true },
          pct: { auto: true },
        },
        axes: [
          { size: 28 },
          { scale: 's', size: 40, label: 's' },
          { scale: 'pct', side: 1, size: 40, label: '%', grid: { show: false } },
        ],
        series: [
          {},
          {
            label: 'oracle update interval (s)',
            scale: 's',
            stroke: '#2563eb',
            width: 1,
            points: { show: true, size: 3 },
          },
          { label: 'mark−oracle (%)', scale: 'pct', stroke: '#c2410c', width: 1.5 },
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      container,
    ),
  );
}

// ---- incidents ----------------------------------------------------------------------------

function subjectName(type: string, id: string): string {
  if (type === 'chain') {
    const chain = state.chains.find((c) => String(c.chainId) === id);
    return chain ? chain.name : `chain ${id}`;
  }
  return id;
}

function renderIncidents() {
  const list = $('incidents');
  if (state.incidents.length === 0) {
    list.replaceChildren(
      el('li', { class: 'muted', 'data-state': 'closed' }, 'No incidents recorded.'),
    );
    return;
  }
  list.replaceChildren(
    ...state.incidents.map((i) =>
      el(
        'li',
        {
          'data-incident-id': i.id,
          'data-state': i.state,
          // Coloured by the one severity scale (status.css), the badge too.
          'data-severity': i.state === 'open' ? i.severity : undefined,
        },
        el(
          'div',
          { class: 'when' },
          new Date(i.startedAt).toLocaleString(),
          i.state === 'open'
            ? ` · open for ${duration(i.startedAt, null)}`
            : ` · lasted ${duration(i.startedAt, i.endedAt)}`,
        ),
        el('div', {}, el('strong', {}, subjectName(i.subjectType, i.subjectId)), ` — ${i.title} `),
        el('span', { class: 'badge' }, i.state === 'open' ? i.severity : 'resolved'),
      ),
    ),
  );
}

async function refreshIncidents() {
  const body = await getJson<IncidentList>('v1/incidents?limit=30');
  state.incidents = body ? body.items : [];
  renderIncidents();
  renderSummary();
}

function renderSummary() {
  const parts: string[] = [];
  // The statuses present that the one severity scale reports (not `up`/`ok`), most severe first.
  const count = <S extends string>(
    list: readonly { status: S }[],
    severity: (status: S) => Severity | null,
  ) => {
    const counts = new Map<S, number>();
    for (const { status } of list)
      if (severity(status) !== null) counts.set(status, (counts.get(status) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => severityRank(severity(b)) - severityRank(severity(a)));
  };
  if (state.chains.length) {
    const bad = count(state.chains, chainSeverity);
    parts.push(
      bad.length
        ? `chains: ${bad.map(([s, n]) => `${n} ${s}`).join(', ')}`
        : `all ${state.chains.length} chains up`,
    );
  }
  if (state.markets) {
    const bad = count(state.markets, marketSeverity);
    parts.push(
      bad.length
        ? `markets: ${bad.map(([s, n]) => `${n} ${s}`).join(', ')}`
        : `all ${state.markets.length} markets ok`,
    );
  }
  const open = state.incidents.filter((i) => i.state === 'open').length;
  parts.push(`${open} open incident${open === 1 ? '' : 's'}`);
  $('summary').textContent = parts.join(' · ');
}

// ---- live updates -------------------------------------------------------------------------

function report(error: unknown) {
  console.warn('[perpscope status]', error);
}

type Refresh = () => Promise<void>;

const pending = new Set<Refresh>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;
function schedule(what: Refresh) {
  pending.add(what);
  if (flushTimer) return;
  flushTimer = setTimeout(() => {
    flushTimer = null;
    const jobs = [...pending];
    pending.clear();
    for (const job of jobs) job().catch(report);
  }, 250);
}

type Section = 'chains' | 'markets' | 'incidents' | 'positions';

/** The section each event kind of the catalogue changes: a new kind must be placed here. */
const sectionOfKind: Readonly<Record<WatcherEventKind, Section>> = {
  'chain.status': 'chains',
  'chain.flags': 'chains',
  'chain.reorg': 'chains',
  'market.listed': 'markets',
  'market.delisted': 'markets',
  'market.relisted': 'markets',
  'market.status': 'markets',
  'hip3.stream': 'markets',
  'incident.opened': 'incidents',
  'incident.escalated': 'incidents',
  'incident.closed': 'incidents',
  'position.level': 'positions',
  'position.freshness': 'positions',
  'position.liquidated': 'positions',
  'position.closed': 'positions',
};

/** The section an event's subject also changes (an incident of a chain moves its card). */
const sectionOfSubject: Readonly<Partial<Record<SubjectType, Section>>> = {
  chain: 'chains',
  market: 'markets',
};

function onEvent(kind: string, data: string) {
  let subjectType = '';
  try {
    subjectType = (JSON.parse(data) as WatcherEvent).subject.type;
  } catch {}
  const sections = new Set<Section | undefined>([
    Object.hasOwn(sectionOfKind, kind) ? sectionOfKind[kind as WatcherEventKind] : undefined,
    Object.hasOwn(sectionOfSubject, subjectType)
      ? sectionOfSubject[subjectType as SubjectType]
      : undefined,
  ]);
  if (sections.has('incidents')) schedule(refreshIncidents);
  if (sections.has('chains')) schedule(refreshChainsAndCharts);
  if (sections.has('markets')) schedule(refreshMarketsAndCharts);
  if (sections.has('positions')) schedule(refreshPositions);
}

// ---- guarded positions (hidden while no account is configured) -----------------------------

/** Where a guarded position's mark comes from (`markSource` of /v1/positions). */
const MARK_SOURCE: Record<NonNullable<GuardedPosition['markSource']>, string> = {
  ctxStream: 'ctx stream',
  ctxRest: 'ctx REST',
  accountState: 'account',
};

function renderPositions(accounts: readonly GuardedAccount[]) {
  const section = $('positions-section');
  section.hidden = accounts.length === 0;
  const rows = accounts
    .flatMap((a) => a.positions.map((p): { a: GuardedAccount; p: GuardedPosition } => ({ a, p })))
    .sort(
      (x, y) =>
        bySeverity(positionLevelSeverity(x.p.level), positionLevelSeverity(y.p.level)) ||
        Number(x.p.distancePct ?? Number.POSITIVE_INFINITY) -
          Number(y.p.distancePct ?? Number.POSITIVE_INFINITY),
    );
  $('positions')
    .querySelector('tbody')
    ?.replaceChildren(
      ...rows.map(({ a, p }) =>
        el(
          'tr',
          { 'data-level': p.level },
          el('td', {}, a.label, el('div', { class: 'muted' }, a.addressMasked)),
          el('td', {}, `${p.side} ${p.size} ${p.coin}`),
          el(
            'td',
            {},
            el('span', { class: 'badge', 'data-status': p.level }, p.level),
            p.stale
              ? el('div', { class: 'muted' }, `was ${p.lastKnownLevel}, ${ago(p.ageSeconds)} ago`)
              : null,
          ),
          el(
            'td',
            { class: 'num' },
            p.distancePct === null ? '—' : `${Number(p.distancePct).toFixed(2)} %`,
            p.distanceSigmas === null
              ? null
              : el('div', { class: 'muted' }, `${p.distanceSigmas} σ/day`),
          ),
          el(
            'td',
            { class: 'num' },
            p.liquidationPrice ?? '—',
            el('div', { class: 'muted' }, p.venueLiquidationPrice ?? '—'),
          ),
          el(
            'td',
            { class: 'num' },
            p.markPrice,
            p.markSource
              ? el(
                  'div',
                  { class: 'muted' },
                  `${MARK_SOURCE[p.markSource]}, ${ago(p.markAgeSeconds ?? 0)}`,
                )
              : null,
          ),
          el('td', {}, p.reasons.length ? p.reasons.join('; ') : '—'),
        ),
      ),
    );
  const notes: string[] = [];
  for (const a of accounts) {
    if (a.status !== 'ok') notes.push(`${a.label}: ${a.status}${a.reason ? ` — ${a.reason}` : ''}`);
    else if (a.positions.length === 0) notes.push(`${a.label}: no open positions`);
    for (const l of a.liquidations.slice(0, 3))
      notes.push(`${a.label}: liquidated ${l.sz} ${l.coin} at ${l.px} (${l.at})`);
  }
  $('positions-notes').replaceChildren(...notes.map((n) => el('li', {}, n)));
}

async function refreshPositions() {
  const body = await getJson<GuardedAccountList>('v1/positions');
  renderPositions(body ? body.accounts : []);
}

// Charts read the lists, so each list refresh completes before its charts are redrawn.
const refreshChainsAndCharts: Refresh = () => refreshChains().then(refreshChainCharts);
const refreshMarketsAndCharts: Refresh = () => refreshMarkets().then(refreshMarketCharts);

/** SSE over fetch: every named event reaches us, and Last-Event-ID resumes after a drop. */
async function follow() {
  let lastId: string | null = null;
  let delay = 1000;
  const live = $('live');
  for (;;) {
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastId) headers['last-event-id'] = lastId;
      const res = await fetch('v1/events', { headers });
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      live.dataset.state = 'live';
      live.textContent = 'live';
      delay = 1000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut = buffer.indexOf('\n\n');
        while (cut >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let kind = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) kind = line.slice(6).trim();
            else if (line.startsWith('data:')) data += line.slice(5).trim();
            else if (line.startsWith('id:')) lastId = line.slice(3).trim();
          }
          if (data) onEvent(kind, data);
          cut = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      report(error);
    }
    live.dataset.state = 'reconnecting';
    live.textContent = 'reconnecting…';
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(30_000, delay * 2);
    // Whatever happened while we were away: reload everything once.
    refreshAll();
  }
}

function refreshAll() {
  refreshChainsAndCharts().catch(report);
  refreshMarketsAndCharts().catch(report);
  refreshIncidents().catch(report);
  refreshPositions().catch(report);
}

function resizeCharts() {
  for (const chart of [...state.chainCharts.values(), ...state.marketCharts.values()]) {
    const container = chart.root.parentElement;
    if (container) chart.setSize({ width: chartWidth(container), height: chart.height });
  }
}

$('only-issues').addEventListener('change', renderMarkets);
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(resizeCharts, 150);
});
refreshAll();
follow();
setInterval(tickAges, 1000);
// Safety net besides SSE: ages and charts move even when nothing changes state.
setInterval(() => {
  refreshChainsAndCharts().catch(report);
  refreshMarketsAndCharts().catch(report);
  refreshPositions().catch(report);
}, 15_000);
