import { fillOptionsForm, readOptionsForm } from '@/src/options/readOptionsForm';
import { loadSettings, settingsItem } from '@/src/storage/settings';

const form = document.querySelector<HTMLFormElement>('#options');
const status = document.querySelector<HTMLElement>('#status');

/**
 * Asks for the watcher's origin, an optional host permission requested at runtime (SPEC §5).
 * Called synchronously from the submit handler: the request needs the click's user gesture, so
 * nothing may be awaited before it (it resolves true at once when already granted).
 */
function requestWatcherAccess(url: string): Promise<boolean> {
  return browser.permissions.request({ origins: [`${new URL(url).origin}/*`] }).catch(() => false);
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
    const access = result.settings.watcherUrl
      ? requestWatcherAccess(result.settings.watcherUrl)
      : Promise.resolve(true);
    void settingsItem.setValue(result.settings).then(async () => {
      const granted = await access;
      status.textContent = granted
        ? 'Saved.'
        : 'Saved. Access to the watcher origin was not granted: it must allow this extension via CORS.';
    });
  });
}
