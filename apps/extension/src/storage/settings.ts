import { storage } from 'wxt/utils/storage';
import { z } from 'zod';

/** An EVM address as Hyperliquid expects it: `0x` + 40 hex digits, stored lower-case. */
export const addressSchema = z
  .string()
  .trim()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'an address is 0x followed by 40 hex digits')
  .transform((a) => a.toLowerCase());

/** Most addresses the settings hold. */
export const MAX_ADDRESSES = 10;

/** Sites the extension can be switched on/off for (options page). */
export const SITE_IDS = ['hyperliquid', 'hip3', 'aevo'] as const;
export type SiteId = (typeof SITE_IDS)[number];

/** Badge colour thresholds on the liquidation distance, in percent of mark. */
export const thresholdsSchema = z
  .object({
    warnPct: z.number().positive().max(100),
    criticalPct: z.number().positive().max(100),
    /** SPEC §0 note 1: keep at least 2× the normal distance while a chain is halted. */
    haltMultiplier: z.number().min(1).max(10),
  })
  .refine((t) => t.criticalPct < t.warnPct, {
    message: 'criticalPct must be below warnPct',
    path: ['criticalPct'],
  });

/** Freshness and halt timing (SPEC §5). */
export const timingSchema = z.object({
  /** A number turns grey "stale" when its inputs are older than this many page polls (3 s each). */
  staleAfterPolls: z.number().int().min(1).max(100),
  /**
   * After a halt of a chain a venue depends on for prices, the multiplier holds through
   * `recovering` until the chain has been `up` this many minutes (note 1: gaps hit at the restart).
   */
  haltHoldMinutes: z.number().min(0).max(1440),
});

/**
 * How the user says a venue depends on a chain the built-in table (`VENUE_CHAIN_IMPACT`) does not
 * list for it: `prices` (the halt multiplier applies), `bridge`, `settlement`, or `status` (just
 * show the chain's badge, no guidance).
 */
export const USER_DEPENDENCY_KINDS = ['prices', 'bridge', 'settlement', 'status'] as const;
export type UserDependencyKind = (typeof USER_DEPENDENCY_KINDS)[number];

const dependencyMap = z.record(z.string().min(1), z.enum(USER_DEPENDENCY_KINDS));

/** Protocol of `url` (`'https:'`), or `''` when it does not parse. */
function urlProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** Current (v2) settings schema: what the options page writes and the background reads. */
export const settingsSchema = z.object({
  addresses: z.array(addressSchema).max(MAX_ADDRESSES),
  watcherUrl: z
    .string()
    .url()
    // zod still runs refinements after `.url()` fails, so this one must not throw on a non-URL.
    .refine((u) => /^https?:$/.test(urlProtocol(u)), 'the watcher URL must be http(s)')
    .nullable(),
  thresholds: thresholdsSchema,
  sites: z.object({ hyperliquid: z.boolean(), hip3: z.boolean(), aevo: z.boolean() }),
  notifications: z.object({
    enabled: z.boolean(),
    cooldownMinutes: z.number().min(1).max(1440),
    /** Play a short sound with critical notifications (off by default; missing before it). */
    sound: z.boolean().default(false),
  }),
  /** Watcher chain ids whose sequencer badge is shown per site (registry keys of the watcher). */
  chains: z.object({
    hyperliquid: z.array(z.string().min(1)).max(10),
    aevo: z.array(z.string().min(1)).max(10),
  }),
  timing: timingSchema,
  /**
   * Per site, chain id → how the venue depends on it, for chains the built-in table does not list
   * for that venue (the table wins where it has an entry). Missing in settings saved before it.
   */
  dependencies: z
    .object({ hyperliquid: dependencyMap, aevo: dependencyMap })
    .default({ hyperliquid: {}, aevo: {} }),
  /** A name per watched address (`Main`, `Vault`), shown next to its positions. */
  labels: z.record(z.string(), z.string().trim().min(1).max(40)).default({}),
});

/** User settings (storage `local:settings`, version 2). */
export type Settings = z.infer<typeof settingsSchema>;

/** Defaults for a fresh install. */
export const DEFAULT_SETTINGS: Settings = {
  addresses: [],
  watcherUrl: null,
  thresholds: { warnPct: 15, criticalPct: 7, haltMultiplier: 2 },
  sites: { hyperliquid: true, hip3: true, aevo: true },
  notifications: { enabled: true, cooldownMinutes: 30, sound: false },
  chains: { hyperliquid: ['arbitrum-one', 'hyperevm'], aevo: ['aevo'] },
  timing: { staleAfterPolls: 3, haltHoldMinutes: 30 },
  dependencies: { hyperliquid: {}, aevo: {} },
  labels: {},
};

/** Settings as version 1 stored them (one address, flat thresholds). Kept for the migration. */
export interface SettingsV1 {
  address?: string | null;
  watcherUrl?: string | null;
  warnPct?: number;
  criticalPct?: number;
}

/**
 * Migrates v1 settings to v2: the single `address` becomes `addresses`, flat thresholds move
 * under `thresholds` (with the halt multiplier defaulted), unknown or invalid values fall back
 * to the defaults rather than failing the whole migration.
 */
export function migrateSettingsV1toV2(v1: SettingsV1 | null | undefined): Settings {
  const address = addressSchema.safeParse(v1?.address ?? '');
  const watcher = settingsSchema.shape.watcherUrl.safeParse(v1?.watcherUrl ?? null);
  const thresholds = thresholdsSchema.safeParse({
    ...DEFAULT_SETTINGS.thresholds,
    ...(v1?.warnPct === undefined ? {} : { warnPct: v1.warnPct }),
    ...(v1?.criticalPct === undefined ? {} : { criticalPct: v1.criticalPct }),
  });
  return {
    ...DEFAULT_SETTINGS,
    addresses: address.success ? [address.data] : [],
    watcherUrl: watcher.success ? watcher.data : null,
    thresholds: thresholds.success ? thresholds.data : DEFAULT_SETTINGS.thresholds,
  };
}

/**
 * Parses whatever is stored into valid settings: storage is an edge (another version, a manual
 * edit, a sync conflict), so invalid fields fall back to their defaults one section at a time.
 */
export function parseSettings(raw: unknown): Settings {
  const full = settingsSchema.safeParse(raw);
  if (full.success) return full.data;
  const obj = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key].safeParse(obj[key]);
    out[key] = field.success ? field.data : DEFAULT_SETTINGS[key];
  }
  return out as Settings;
}

/** The versioned storage item holding {@link Settings}. Migrations run when it is defined. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: {
    2: (v1: SettingsV1) => migrateSettingsV1toV2(v1),
  },
});

/** Reads settings, validated (never throws on bad stored data). */
export async function loadSettings(): Promise<Settings> {
  return parseSettings(await settingsItem.getValue());
}

/**
 * Adds one address to the watched addresses (the popup's "Use this page's account", after the
 * user picked it). Validates it, keeps the order and labels; `already` when it is watched, `full`
 * when {@link MAX_ADDRESSES} are.
 *
 * @throws {z.ZodError} when `address` is not `0x` + 40 hex digits.
 */
export async function addWatchedAddress(address: string): Promise<'added' | 'already' | 'full'> {
  const a = addressSchema.parse(address);
  const settings = await loadSettings();
  if (settings.addresses.includes(a)) return 'already';
  if (settings.addresses.length >= MAX_ADDRESSES) return 'full';
  await settingsItem.setValue(
    settingsSchema.parse({ ...settings, addresses: [...settings.addresses, a] }),
  );
  return 'added';
}
