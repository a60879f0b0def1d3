import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Directory of the fixture copies shipped with this package (file names as in
 * `../shared/fixtures/hyperliquid/`, whose README names the source of every file). The package must
 * work on user machines where the shared folder does not exist, hence the copy.
 */
export const defaultHyperliquidFixturesDir = fileURLToPath(
  new URL('../../fixtures/hyperliquid/', import.meta.url),
);

/** A raw perp asset ctx exactly as HL sends it (decimal strings, some fields nullable). */
export type RawAssetCtx = {
  funding: string;
  openInterest: string;
  prevDayPx: string;
  dayNtlVlm: string;
  premium: string | null;
  oraclePx: string;
  markPx: string;
  midPx: string | null;
  impactPxs: [string, string] | null;
  dayBaseVlm: string;
};

/** A raw `meta.universe` entry (HIP-3 fields optional). */
export type RawUniverseEntry = {
  szDecimals: number;
  name: string;
  maxLeverage: number;
  marginTableId: number;
  onlyIsolated?: boolean;
  isDelisted?: boolean;
  marginMode?: string;
  growthMode?: string;
  lastGrowthModeChangeTime?: string;
};

/** A raw `meta` object. */
export type RawMeta = {
  universe: RawUniverseEntry[];
  marginTables: [
    number,
    { description: string; marginTiers: { lowerBound: string; maxLeverage: number }[] },
  ][];
  collateralToken: number;
};

/** A raw `perpDexs` element (null = main dex). */
export type RawPerpDex = {
  name: string;
  fullName: string;
  deployer: string;
  oracleUpdater: string | null;
  feeRecipient: string | null;
  assetToStreamingOiCap: [string, string][];
  subDeployers?: [string, string[]][];
  deployerFeeScale?: string;
  lastDeployerFeeScaleChangeTime?: string;
  assetToFundingMultiplier: [string, string][];
  assetToFundingInterestRate?: [string, string][];
};

/** The recorded responses the replay server starts from. */
export type ReplayFixtures = {
  perpDexs: (RawPerpDex | null)[];
  metaAndAssetCtxsXyz: [RawMeta, RawAssetCtx[]];
  metaAndAssetCtxsMain: [RawMeta, RawAssetCtx[]];
  perpDexLimitsXyz: {
    totalOiCap: string;
    oiSzCapPerPerp: string;
    maxTransferNtl: string;
    coinToOiCap: [string, string][];
  };
  l2BookBtc: { coin: string; time: number; levels: { px: string; sz: string; n: number }[][] };
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
