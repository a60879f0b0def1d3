import { watcherPermissionPattern } from '@/src/net/watcherUrl';
import { fillOptionsForm, readOptionsForm } from '@/src/options/readOptionsForm';
import { loadSettings, settingsItem } from '@/src/storage/settings';

const form = document.querySelector<HTMLFormElement>('#options');
const status = document.querySelector<HTMLElement>('#status');

/**
 * Asks for the watcher's host (any port and path, see `watcherPermissionPattern`), an optional
 * host permission requested at runtime (SPEC §5).
 * Called synchronously from the submit handler: the request needs the click's user gesture, so
 * nothing may be awaited before it (it resolves true at once when already granted).
 */
function requestWatcherAccess(url: string): Promise<boolean> {
  return browser.permissions
    .request({ origins: [watcherPermissionPattern(url)] })
    .catch(() => false);
}

if (form && status) {
  void loadSettings().then((s) => fillOptionsForm(form, s));
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
          : 'Saved. Access to the watcher origin was not granted: the watcher must allow this extension (security.extensionIds).';
      });
    });
  });
}
