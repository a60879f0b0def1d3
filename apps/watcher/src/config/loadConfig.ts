import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Env } from '../env.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { WatcherConfig } from './configSchema.js';

/** Formats a zod issue path as it would be written in the file: `chains[0].rpcUrls[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Turns zod issues into config issues with dotted paths, expanding union branches. */
export function zodIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  return error.issues.map((i) => ({
    path: formatPath([...prefix, ...i.path]),
    message: i.message,
  }));
}

export type ParseConfigParameters = {
  /** The decoded file content (or an object built in code); `undefined` = no file. */
  raw: unknown;
  /** Where `raw` came from, for the error message. */
  source: string;
  env: Env;
};

/**
 * Validates a configuration object after applying the environment overrides
 * (`PERPSCOPE_PORT`, `PERPSCOPE_HOST`, `PERPSCOPE_DB`, `PERPSCOPE_LOG_LEVEL`).
 *
 * @throws {ConfigError} naming every invalid field.
 */
export function parseConfig(params: ParseConfigParameters): WatcherConfig {
  const raw = params.raw ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(
      [{ path: '', message: 'the config must be a mapping of sections' }],
      params.source,
    );
  }
  const obj = structuredClone(raw) as Record<string, Record<string, unknown> | undefined>;
  const section = (name: string) => {
    const current = obj[name];
    const next = current && typeof current === 'object' ? current : {};
    obj[name] = next;
    return next;
  };
  const { env } = params;
  if (env.PERPSCOPE_PORT !== undefined) section('server').port = env.PERPSCOPE_PORT;
  if (env.PERPSCOPE_HOST !== undefined) section('server').host = env.PERPSCOPE_HOST;
  if (env.PERPSCOPE_DB !== undefined) section('database').path = env.PERPSCOPE_DB;
  if (env.PERPSCOPE_LOG_LEVEL !== 'info') section('log').level = env.PERPSCOPE_LOG_LEVEL;
  const result = WatcherConfig.safeParse(obj);
  if (!result.success) throw new ConfigError(zodIssues(result.error), params.source);
  return result.data;
}

/**
 * Reads a YAML or JSON config file (JSON is valid YAML) and validates it with the env overrides.
 *
 * @throws {ConfigError} when the file is unreadable, not YAML/JSON, or invalid; the message names the field.
 * @example const config = loadConfigFile({ path: 'perpscope.yaml', env: readEnv() });
 */
export function loadConfigFile(params: { path: string; env: Env }): WatcherConfig {
  let text: string;
  try {
    text = readFileSync(params.path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      [{ path: '', message: `cannot read file: ${(error as Error).message}` }],
      params.path,
    );
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      [{ path: '', message: `not valid YAML/JSON: ${(error as Error).message}` }],
      params.path,
    );
  }
  return parseConfig({ raw, source: params.path, env: params.env });
}
