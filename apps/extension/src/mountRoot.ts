/** Tag of the host element that carries perpscope's shadow root on a page. */
export const ROOT_TAG = 'perpscope-root';

/**
 * Creates (once) the perpscope host element with an open shadow root and returns the root.
 * Only text is ever written into it: no HTML from data.
 */
export function mountRoot(doc: Document): ShadowRoot {
  const existing = doc.querySelector(ROOT_TAG);
  if (existing?.shadowRoot) return existing.shadowRoot;
  const host = doc.createElement(ROOT_TAG);
  const shadow = host.attachShadow({ mode: 'open' });
  const badge = doc.createElement('div');
  badge.className = 'perpscope-status';
  badge.textContent = 'perpscope active';
  shadow.append(badge);
  doc.body.append(host);
  return shadow;
}
