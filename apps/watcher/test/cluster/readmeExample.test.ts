import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/loadConfig.js';
import { Env } from '../../src/env.js';
import { watcherConfig } from './clusterHarness.js';

// The README's "Run several watchers" example is a valid config of the shape the end-to-end tests
// run (test/cluster/redundant.cluster.test.ts writes its files with `watcherConfig`).
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function exampleBlock(): string {
  const m = /```yaml\n(# watcher-a\.yaml[^\n]*\n[\s\S]*?)```/.exec(readme);
  if (!m?.[1]) throw new Error('README: no ```yaml block starting with "# watcher-a.yaml"');
  return m[1];
}

describe('README "Run several watchers" example', () => {
  it('parses as a watcher config with database.url and a redundant cluster section', () => {
    const raw = parse(exampleBlock()) as Record<string, unknown>;
    const config = parseConfig({ raw, source: 'README', env: Env.parse({}) });
    expect(config.database.url).toBe('postgres://perpscope@db.internal:5432/perpscope');
    expect(config.cluster).toEqual({ id: 'watcher-a', mode: 'redundant', leaseSeconds: 15 });
    // The same sections the tests' files set (plus what a non-loopback server needs).
    const tested = Object.keys(
      watcherConfig(
        'postgres://x@127.0.0.1:5432/db',
        {
          id: 'watcher-a',
          mode: 'redundant',
          leaseSeconds: 4,
          chains: [],
        },
        () => [],
      ),
    );
    for (const key of Object.keys(raw)) expect([...tested, 'security']).toContain(key);
  });
});
