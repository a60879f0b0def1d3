import { HL_API_URL } from '@perpscope/hyperliquid';
import { VENUE_CHAIN_IMPACT } from '@perpscope/schemas';
import { watcherPermissionPattern } from '@/src/net/watcherUrl';
import { discoverAccounts } from '@/src/options/discoverAccounts';
import { fillOptionsForm, parseDependencies, readOptionsForm } from '@/src/options/readOptionsForm';
import { testConnection } from '@/src/options/testConnection';
import { loadSettings, settingsItem } from '@/src/storage/settings';

const form = document.querySelector<HTMLFormElement>('#options');
const status = document.querySelector<HTMLElement>('#status');
const connection = document.querySelector<HTMLElement>('#connection');
const watcherChains = document.querySelector<HTMLElement>('#watcher-chains');
const unlisted = document.querySelector<HTMLElement>('#chains-unlisted');

/**
 * Asks for the watcher's host (any port and path, see `watcherPermissionPattern`), an optional
 * host permission requested at runtime (SPEC §5).
 * Called synchronously from a click handler: the request needs the click's user gesture, so
 * nothing may be awaited before it (it resolves true at once when already granted).
 */
function requestWatcherAccess(url: string): Promise<boolean> {
  return browser.permissions
    .request({ origins: [watcherPermissionPattern(url)] })
    .catch(() => false);
}

const input = (name: string) =>
  form?.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | null;
const listOf = (name: string) => (input(name)?.value ?? '').split(/[\s,]+/).filter(Boolean);
let tested = false;

/** Ticks the setup checklist from what the form holds now. */
function updateChecklist(): void {
  const done = {
    address: listOf('addresses').length > 0,
    watcher: (input('watcherUrl')?.value.trim() ?? '') !== '',
    test: tested,
  };
  for (const [step, ok] of Object.entries(done)) {
    const li = document.querySelector<HTMLElement>(`#setup li[data-step="${step}"]`);
    if (li) li.dataset.done = String(ok);
  }
}

/**
 * Names the chains a site lists that perpscope's venue ↔ chain table does not know for that
 * venue: the user says how the venue depends on them (`chain=prices`), else only their status shows.
 */
function updateUnlisted(): void {
  if (!unlisted) return;
  const parts: string[] = [];
  for (const [venue, label] of [
    ['hyperliquid', 'Hyperliquid'],
    ['aevo', 'Aevo'],
  ] as const) {
    const declared = parseDependencies(input(`dependencies.${venue}`)?.value ?? '');
    const missing = listOf(`chains.${venue}`).filter(
      (id) => !VENUE_CHAIN_IMPACT[venue].some((d) => d.chain === id) && !(id in declared),
    );
    if (missing.length > 0)
      parts.push(
        `${missing.join(', ')}: perpscope does not know how ${label} depends on ${missing.length > 1 ? 'them' : 'it'} — say so below (e.g. ${missing[0]}=prices), else only the status is shown.`,
      );
  }
  unlisted.textContent = parts.join(' ');
}

/** Offers the watcher's own chains as buttons that add them to a site's list. */
function showWatcherChains(chains: readonly { key: string; name: string }[]): void {
  if (!watcherChains) return;
  const buttons: HTMLElement[] = [];
  for (const c of chains)
    for (const [venue, label] of [
      ['hyperliquid', 'Hyperliquid'],
      ['aevo', 'Aevo'],
    ] as const) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = `+ ${c.key} → ${label}`;
      b.title = `Show ${c.name} (${c.key}) on ${label} pages`;
      b.dataset.chain = c.key;
      b.dataset.site = venue;
      b.addEventListener('click', () => {
        const field = input(`chains.${venue}`);
        if (!field) return;
        const ids = listOf(`chains.${venue}`);
        if (!ids.includes(c.key)) field.value = [...ids, c.key].join(', ');
        updateUnlisted();
      });
      buttons.push(b);
    }
  watcherChains.replaceChildren(...buttons);
}

/** Looks up sub-accounts and vaults of the entered addresses and offers each as an "add" button. */
function setUpDiscovery(): void {
  const out = document.querySelector<HTMLElement>('#discovered');
  document.querySelector('#discover')?.addEventListener('click', () => {
    if (!out) return;
    const addresses = listOf('addresses').filter((a) => /^0x[0-9a-fA-F]{40}$/.test(a));
    if (addresses.length === 0) {
      out.textContent = 'Enter an address first: its sub-accounts and vaults are looked up.';
      return;
    }
    out.textContent = 'Looking up…';
    void discoverAccounts({ apiBase: HL_API_URL, addresses, fetch: (u, i) => fetch(u, i) }).then(
      ({ accounts, problems }) => {
        const parts: (HTMLElement | string)[] = [];
        if (accounts.length === 0)
          parts.push(
            problems.length > 0
              ? `Lookup failed: ${problems.join('; ')}`
              : 'No sub-accounts or vault deposits found.',
          );
        for (const a of accounts) {
          const b = document.createElement('button');
          b.type = 'button';
          b.dataset.address = a.address;
          b.textContent = `+ ${a.kind} ${a.label} (${a.address.slice(0, 6)}…${a.address.slice(-4)})`;
          b.addEventListener('click', () => {
            const field = input('addresses');
            if (!field) return;
            const label = a.kind === 'vault' ? 'vault' : a.label;
            field.value = `${field.value.trimEnd()}\n${a.address} ${label}`.trimStart();
            b.remove();
            updateChecklist();
          });
          parts.push(b);
        }
        out.replaceChildren(...parts);
      },
    );
  });
}

if (form && status && connection) {
  setUpDiscovery();
  void loadSettings().then((s) => {
    fillOptionsForm(form, s);
    updateChecklist();
    updateUnlisted();
  });
  form.addEventListener('input', () => {
    updateChecklist();
    updateUnlisted();
  });
  document.querySelector('#grant-access')?.addEventListener('click', () => {
    const url = input('watcherUrl')?.value.trim() ?? '';
    let access: Promise<boolean>;
    try {
      access = requestWatcherAccess(url);
    } catch {
      connection.textContent = 'Write the watcher URL first.';
      return;
    }
    void access.then((granted) => {
      connection.textContent = granted
        ? 'Access granted: perpscope may reach the watcher. Test the connection again.'
        : 'Access not granted.';
    });
  });
  document.querySelector('#test-connection')?.addEventListener('click', () => {
    const url = input('watcherUrl')?.value.trim() ?? '';
    connection.dataset.kind = 'testing';
    connection.textContent = url ? 'Testing…' : 'No watcher URL: chain and oracle badges stay off.';
    if (!url) return;
    void testConnection({
      watcherUrl: url,
      chainIds: [...listOf('chains.hyperliquid'), ...listOf('chains.aevo')],
      extensionOrigin: location.origin,
      fetch: (u, init) => fetch(u, init),
    }).then((r) => {
      connection.dataset.kind =
        r.kind === 'ok' && r.unknownChains.length > 0 ? 'unknown-chains' : r.kind;
      connection.textContent = r.message;
      tested = r.kind === 'ok';
      showWatcherChains(r.kind === 'ok' ? r.chains : []);
      updateChecklist();
    });
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const p of form.querySelectorAll<HTMLElement>('[data-error-for]')) p.textContent = '';
    const result = readOptionsForm(form);
    if (!result.ok) {
      for (const [field, message] of Object.entries(result.errors)) {
        const target =
          form.querySelector<HTMLElement>(`[data-error-for="${CSS.escape(field)}"]`) ?? status;
        target.textContent = `${field}: ${message}`;
      }
      status.textContent = 'Not saved: fix the fields marked above.';
      return;
    }
    // Ask for the permission inside the click's user gesture, before any await.
    const watcher = result.settings.watcherUrl;
    const access = watcher ? requestWatcherAccess(watcher) : null;
    void settingsItem.setValue(result.settings).then(() => {
      status.textContent = access
        ? 'Saved. Waiting for the browser prompt about the watcher origin…'
        : 'Saved.';
      // The prompt may stay open; settings are saved either way.
      void access?.then((granted) => {
        status.textContent = granted
          ? 'Saved. perpscope may reach the watcher.'
          : 'Saved. Access to the watcher origin was not granted: use "Test connection" to see whether the watcher allows this extension anyway (its security.extensionIds, or the demo).';
      });
    });
  });
}
