import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The shared recorded fixtures (`../shared/fixtures/hyperliquid/` beside the repo; README there
 * names the source of every file). Tests only — the running watcher never reads them.
 */
export const sharedHlFixturesDir = fileURLToPath(
  new URL('../../../../../../shared/fixtures/hyperliquid/', import.meta.url),
);

/** Parses one shared fixture file. */
export function readHlFixture(file: string): unknown {
  return JSON.parse(readFileSync(`${sharedHlFixturesDir}${file}`, 'utf8'));
}
