// The package's release note must stay a valid Changesets entry: front matter `---`, one
// `"<package>": <bump>` line per package, `---`. (A Markdown formatter once turned the front matter
// into a `##` heading, which `changeset version` cannot read — .changeset/*.md is excluded from Biome.)
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../../../.changeset/', import.meta.url);

describe('changeset', () => {
  it('announces @perpscope/math in valid front matter', () => {
    const entries = readdirSync(dir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => readFileSync(new URL(f, dir), 'utf8'));
    const bumps = entries.flatMap((text) => {
      const m = /^---\n((?:"[^"]+": (?:major|minor|patch)\n)+)---\n\n\S/.exec(text);
      expect(m, `not a Changesets entry:\n${text.slice(0, 120)}`).not.toBeNull();
      return m![1]!.trim().split('\n');
    });
    expect(bumps).toContain('"@perpscope/math": minor');
  });
});
