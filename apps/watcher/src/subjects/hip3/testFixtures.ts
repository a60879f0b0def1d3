import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WatcherStore } from '../../db/store/watcherStore.js';
import type { EventLog } from '../../events/eventLog.js';
import {
  type CreateHip3MarketsParameters,
  createHip3Markets,
  type Hip3Markets,
} from './hip3Markets.js';
import { createHip3Ticker, type Hip3Ticker } from './hip3Ticker.js';

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

/**
 * The HIP-3 market registry and its ticker over one database, as one object (tests and benches
 * that drive ingestion and ticks by hand, without the loop).
 */
export function createHip3Pipeline(
  params: CreateHip3MarketsParameters & { store: WatcherStore; eventLog: EventLog },
): Hip3Markets & Hip3Ticker {
  const markets = createHip3Markets(params);
  const ticker = createHip3Ticker({ ...params, markets });
  return { ...markets, ...ticker };
}
