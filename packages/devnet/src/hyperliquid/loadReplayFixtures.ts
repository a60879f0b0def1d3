import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  HlL2Book,
  HlMeta,
  HlPerpAssetCtx,
  HlPerpDex,
  HlPerpDexLimits,
  HlUniverseEntry,
} from '@perpscope/hyperliquid';

/**
 * Directory of the fixture copies shipped with this package (file names as in
 * `../shared/fixtures/hyperliquid/`, whose README names the source of every file). The package must
 * work on user machines where the shared folder does not exist, hence the copy.
 */
export const defaultHyperliquidFixturesDir = fileURLToPath(
  new URL('../../fixtures/hyperliquid/', import.meta.url),
);

// The answers' shapes are those `@perpscope/hyperliquid` validates (one definition, checked against
// the same recordings by its schema tests); the replay serves exactly what those schemas accept.

/** A raw perp asset ctx exactly as HL sends it (decimal strings, some fields nullable). */
export type RawAssetCtx = HlPerpAssetCtx;

/** A raw `meta.universe` entry (HIP-3 fields optional). */
export type RawUniverseEntry = HlUniverseEntry;

/** A raw `meta` object. */
export type RawMeta = HlMeta;

/** A raw `perpDexs` element (null = main dex). */
export type RawPerpDex = HlPerpDex;

/** The recorded responses the replay server starts from. */
export type ReplayFixtures = {
  perpDexs: (RawPerpDex | null)[];
  metaAndAssetCtxsXyz: [RawMeta, RawAssetCtx[]];
  metaAndAssetCtxsMain: [RawMeta, RawAssetCtx[]];
  perpDexLimitsXyz: HlPerpDexLimits;
  l2BookBtc: HlL2Book;
};

/**
 * Reads the recorded fixtures from `dir` (default: the copies inside this package).
 *
 * @throws {Error} naming the file when one is missing or not JSON.
 */
export function loadReplayFixtures(dir: string = defaultHyperliquidFixturesDir): ReplayFixtures {
  const read = <T>(file: string): T => {
    const path = join(dir, file);
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (cause) {
      throw new Error(`Hyperliquid replay: cannot read fixture ${path}`, { cause });
    }
  };
  return {
    perpDexs: read('info.perpDexs.mainnet.2026-06-22.json'),
    metaAndAssetCtxsXyz: read('info.metaAndAssetCtxs.dex-xyz.mainnet.2026-02-06.json'),
    metaAndAssetCtxsMain: read('info.metaAndAssetCtxs.main.mainnet.2026-02-06.json'),
    perpDexLimitsXyz: read('info.perpDexLimits.dex-xyz.mainnet.2025-12-13.json'),
    l2BookBtc: read('info.l2Book.BTC.nSigFigs5.mainnet.2026-06.json'),
  };
}
