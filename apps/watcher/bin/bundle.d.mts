/** Absolute path of the esbuild bundle of the CLI (`apps/watcher/dist/cli.mjs`). */
export declare const BUNDLE: string;
/** Why the bundle cannot be used (`missing`, `<file> changed`, …), or `null` when it is up to date. */
export declare function bundleStaleReason(): string | null;
/** Builds the bundle when it is missing or stale; resolves to the one line it printed about it. */
export declare function ensureBundle(): Promise<string>;
