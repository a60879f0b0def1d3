// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mountRoot, ROOT_TAG } from './mountRoot.js';

describe('mountRoot', () => {
  it('mounts one shadow host and reuses it', () => {
    const a = mountRoot(document);
    const b = mountRoot(document);
    expect(a).toBe(b);
    expect(document.querySelectorAll(ROOT_TAG)).toHaveLength(1);
    expect(a.textContent).toBe('perpscope active');
  });
});
