// `chrome` inside `serviceWorker.evaluate(...)` callbacks: the extension's own API object.
declare const chrome: typeof import('wxt/browser').browser;
