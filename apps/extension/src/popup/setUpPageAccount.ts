import { shortAddress } from '../ui/formatBadge.js';
import {
  ADDRESS_LIMIT_MESSAGE,
  exchangeHostOf,
  interpretPageAccount,
  noExchangeTabMessage,
  type PageAccountCandidate,
} from './interpretPageAccount.js';

/** What the "Use this page's account" button needs from the browser (fakes in unit tests). */
export interface PageAccountDeps {
  /** The tab the popup was opened over (`tabs.query` active/current window); null when none. */
  activeTab(): Promise<{ readonly id: number; readonly url: string | undefined } | null>;
  /** Runs `pageAccountProbe` in the tab's main world (`scripting.executeScript`) and returns its result. */
  probe(tabId: number): Promise<unknown>;
  /** The watched addresses and their labels (settings). */
  watched(): Promise<{ addresses: readonly string[]; labels: Readonly<Record<string, string>> }>;
  /** Adds an address to the settings: `full` when 10 are watched already. */
  add(address: string): Promise<'added' | 'already' | 'full'>;
}

/**
 * Wires the popup's "Use this page's account" button (`button.use`) and its result line
 * (`p.result`, with the pick buttons after it) inside `root`. Nothing is read before the click and
 * nothing is added without a second click on one of the offered addresses.
 */
export function setUpPageAccount(root: HTMLElement, deps: PageAccountDeps): void {
  const doc = root.ownerDocument;
  const button = root.querySelector<HTMLButtonElement>('button.use');
  const result = root.querySelector<HTMLElement>('.result');
  const choices = root.querySelector<HTMLElement>('.choices');
  if (!button || !result || !choices) return;
  const say = (kind: string, text: string) => {
    result.dataset.kind = kind;
    result.textContent = text;
  };

  const offer = (c: PageAccountCandidate): HTMLElement => {
    const li = doc.createElement('li');
    li.dataset.address = c.address;
    if (c.watched) {
      li.textContent = `${c.label ? `${c.label} ` : ''}${shortAddress(c.address)} — already watched`;
      return li;
    }
    const add = doc.createElement('button');
    add.type = 'button';
    add.textContent = `+ Watch ${c.address}`;
    add.title =
      c.source === 'url' ? 'The account this page views' : 'An account of the connected wallet';
    add.addEventListener('click', () => {
      add.disabled = true;
      void deps.add(c.address).then(
        (outcome) => {
          if (outcome === 'full') {
            say('error', ADDRESS_LIMIT_MESSAGE);
            add.disabled = false;
            return;
          }
          li.textContent = `${shortAddress(c.address)} — watched`;
          say(
            'added',
            outcome === 'added'
              ? `Added ${shortAddress(c.address)}: its positions appear here and on the page within a few seconds. Label it in the options.`
              : `${shortAddress(c.address)} is already watched.`,
          );
        },
        (error: unknown) => {
          say('error', `Not added: ${error instanceof Error ? error.message : String(error)}`);
          add.disabled = false;
        },
      );
    });
    li.append(add);
    return li;
  };

  button.addEventListener('click', () => {
    say('reading', 'Reading the page…');
    choices.replaceChildren();
    void (async () => {
      const tab = await deps.activeTab();
      if (!tab || exchangeHostOf(tab.url) === null) {
        say('no-exchange-tab', noExchangeTabMessage(tab?.url));
        return;
      }
      const [probe, watched] = await Promise.all([deps.probe(tab.id), deps.watched()]);
      const outcome = interpretPageAccount({
        probe,
        watched: watched.addresses,
        labels: watched.labels,
      });
      say(outcome.kind, outcome.message);
      if (outcome.kind === 'pick' || outcome.kind === 'already-watched')
        choices.replaceChildren(...outcome.candidates.map(offer));
    })().catch((error: unknown) => {
      say(
        'error',
        `Could not read the page: ${error instanceof Error ? error.message : String(error)}. Reload the exchange page and try again.`,
      );
    });
  });
}
