import { type Settings, settingsSchema } from '../storage/settings.js';

/** Result of reading the options form: valid settings, or error messages per field name. */
export type OptionsFormResult =
  | { readonly ok: true; readonly settings: Settings }
  | { readonly ok: false; readonly errors: Readonly<Record<string, string>> };

function value(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name);
  return el instanceof form.ownerDocument.defaultView!.HTMLInputElement ||
    el instanceof form.ownerDocument.defaultView!.HTMLTextAreaElement
    ? el.value
    : '';
}

function checked(form: HTMLFormElement, name: string): boolean {
  const el = form.elements.namedItem(name);
  return el instanceof form.ownerDocument.defaultView!.HTMLInputElement && el.checked;
}

const list = (s: string) =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * `op-devnet=prices, my-l2=status` → `{ 'op-devnet': 'prices', 'my-l2': 'status' }`. Entries
 * without `=` keep their text as the kind, so validation names them.
 */
export function parseDependencies(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(s.replace(/\s*=\s*/g, '='))) {
    const [chain = '', kind = ''] = item.split('=');
    out[chain] = kind;
  }
  return out;
}

/** The inverse of {@link parseDependencies}. */
export function formatDependencies(d: Readonly<Record<string, string>>): string {
  return Object.entries(d)
    .map(([chain, kind]) => `${chain}=${kind}`)
    .join(', ');
}

/**
 * The addresses field: one address per line (or comma-separated), each optionally followed by a
 * label — `0xabc… Main account`. Returns the addresses in order and the labels by lower-case address.
 */
export function parseAddressLines(s: string): {
  addresses: string[];
  labels: Record<string, string>;
} {
  const addresses: string[] = [];
  const labels: Record<string, string> = {};
  for (const item of s.split(/[\n,]+/)) {
    const [address = '', ...rest] = item.trim().split(/\s+/);
    if (address === '') continue;
    addresses.push(address);
    const label = rest.join(' ').trim();
    if (label) labels[address.toLowerCase()] = label;
  }
  return { addresses, labels };
}

/** Reads and validates the options form (field names = `Settings` paths joined by `.`). */
export function readOptionsForm(form: HTMLFormElement): OptionsFormResult {
  const watcher = value(form, 'watcherUrl').trim();
  const accounts = parseAddressLines(value(form, 'addresses'));
  const raw = {
    addresses: accounts.addresses,
    labels: accounts.labels,
    watcherUrl: watcher === '' ? null : watcher,
    thresholds: {
      warnPct: Number(value(form, 'thresholds.warnPct')),
      criticalPct: Number(value(form, 'thresholds.criticalPct')),
      haltMultiplier: Number(value(form, 'thresholds.haltMultiplier')),
    },
    sites: {
      hyperliquid: checked(form, 'sites.hyperliquid'),
      hip3: checked(form, 'sites.hip3'),
      aevo: checked(form, 'sites.aevo'),
    },
    notifications: {
      enabled: checked(form, 'notifications.enabled'),
      cooldownMinutes: Number(value(form, 'notifications.cooldownMinutes')),
      sound: checked(form, 'notifications.sound'),
    },
    chains: {
      hyperliquid: list(value(form, 'chains.hyperliquid')),
      aevo: list(value(form, 'chains.aevo')),
    },
    timing: {
      staleAfterPolls: Number(value(form, 'timing.staleAfterPolls')),
      haltHoldMinutes: Number(value(form, 'timing.haltHoldMinutes')),
    },
    dependencies: {
      hyperliquid: parseDependencies(value(form, 'dependencies.hyperliquid')),
      aevo: parseDependencies(value(form, 'dependencies.aevo')),
    },
  };
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return { ok: true, settings: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    // Array items report their index (`addresses.1`): show them on the field.
    // Record keys (a chain id under `dependencies.hyperliquid`) are data, not form fields.
    const field = (
      issue.path[0] === 'dependencies'
        ? issue.path.slice(0, 2)
        : issue.path.filter((p) => typeof p === 'string')
    ).join('.');
    if (issue.path[0] === 'dependencies') {
      errors[field] ??=
        `${String(issue.path[2] ?? '')}: write chain=kind, kind one of prices, bridge, settlement, status`;
      continue;
    }
    const where = issue.path.find((p) => typeof p === 'number');
    errors[field] ??= where === undefined ? issue.message : `item ${where + 1}: ${issue.message}`;
  }
  return { ok: false, errors };
}

/** Fills the options form from settings. */
export function fillOptionsForm(form: HTMLFormElement, s: Settings): void {
  const set = (name: string, v: string | boolean) => {
    const el = form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null;
    if (!el) return;
    if (typeof v === 'boolean') (el as HTMLInputElement).checked = v;
    else el.value = v;
  };
  set('addresses', s.addresses.map((a) => (s.labels[a] ? `${a} ${s.labels[a]}` : a)).join('\n'));
  set('watcherUrl', s.watcherUrl ?? '');
  set('thresholds.warnPct', String(s.thresholds.warnPct));
  set('thresholds.criticalPct', String(s.thresholds.criticalPct));
  set('thresholds.haltMultiplier', String(s.thresholds.haltMultiplier));
  set('sites.hyperliquid', s.sites.hyperliquid);
  set('sites.hip3', s.sites.hip3);
  set('sites.aevo', s.sites.aevo);
  set('notifications.enabled', s.notifications.enabled);
  set('notifications.cooldownMinutes', String(s.notifications.cooldownMinutes));
  set('notifications.sound', s.notifications.sound);
  set('chains.hyperliquid', s.chains.hyperliquid.join(', '));
  set('chains.aevo', s.chains.aevo.join(', '));
  set('timing.staleAfterPolls', String(s.timing.staleAfterPolls));
  set('timing.haltHoldMinutes', String(s.timing.haltHoldMinutes));
  set('dependencies.hyperliquid', formatDependencies(s.dependencies.hyperliquid));
  set('dependencies.aevo', formatDependencies(s.dependencies.aevo));
}
