import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { Env } from '../env.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { RpcUrl } from './chainsConfig.js';
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
  /**
   * Reads a secret variable the config names (`readSecrets` in env.ts). Resolves
   * `chains[].rpcUrlsEnv`; when the file is invalid anyway, unset sink variables are reported in
   * the same error (all problems at once). Default: no secrets are set.
   */
  readSecret?: (name: string) => string | undefined;
};

type RawObject = Record<string, unknown>;
const isObject = (v: unknown): v is RawObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Replaces each `chains[i].rpcUrlsEnv` by the URLs its variable holds (whitespace- or
 * comma-separated), in place. Problems are reported on the `rpcUrlsEnv` field without quoting the
 * value: it is a secret.
 */
function resolveRpcUrlsEnv(
  raw: RawObject,
  readSecret: (name: string) => string | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const chains = raw.chains;
  if (!Array.isArray(chains)) return issues;
  chains.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.rpcUrlsEnv !== 'string') return;
    const name = entry.rpcUrlsEnv;
    const path = `chains[${i}].rpcUrlsEnv`;
    if (entry.rpcUrls !== undefined) {
      issues.push({ path, message: 'give either rpcUrls or rpcUrlsEnv, not both' });
      return;
    }
    const value = readSecret(name);
    if (!value) {
      issues.push({ path, message: `environment variable ${name} is not set` });
      return;
    }
    const urls = value.split(/[\s,]+/).filter(Boolean);
    if (urls.length === 0) {
      issues.push({ path, message: `${name} holds no URL` });
      return;
    }
    const bad = urls.flatMap((u, j) => {
      const r = RpcUrl.safeParse(u);
      return r.success ? [] : [`URL ${j + 1} of ${name} ${r.error.issues[0]?.message}`];
    });
    for (const message of bad) issues.push({ path, message });
    if (bad.length === 0) entry.rpcUrls = urls;
  });
  return issues;
}

/** Alert sinks whose secret variable is unset, read leniently from a config that failed validation. */
function unsetSinkSecrets(
  raw: RawObject,
  readSecret: (name: string) => string | undefined,
): ConfigIssue[] {
  const sinks = isObject(raw.alerts) ? raw.alerts.sinks : undefined;
  if (!Array.isArray(sinks)) return [];
  return sinks.flatMap((sink, i) => {
    if (!isObject(sink)) return [];
    const field = sink.kind === 'telegram' ? 'botTokenEnv' : 'urlEnv';
    const name = sink[field];
    if (typeof name !== 'string' || readSecret(name)) return [];
    return [
      {
        path: `alerts.sinks[${i}].${field}`,
        message: `sink "${String(sink.name)}": environment variable ${name} is not set`,
      },
    ];
  });
}

/**
 * Validates a configuration object after applying the environment overrides
 * (`PERPSCOPE_PORT`, `PERPSCOPE_HOST`, `PERPSCOPE_DB`, `PERPSCOPE_DATABASE_URL`,
 * `PERPSCOPE_WATCHER_ID`, `PERPSCOPE_LOG_LEVEL`).
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
  if (env.PERPSCOPE_DATABASE_URL !== undefined) {
    const database = section('database');
    // The environment's URL replaces the file's SQLite path; PERPSCOPE_DB set too stays a conflict.
    if (env.PERPSCOPE_DB === undefined) delete database.path;
    database.url = env.PERPSCOPE_DATABASE_URL;
  }
  if (env.PERPSCOPE_WATCHER_ID !== undefined) section('cluster').id = env.PERPSCOPE_WATCHER_ID;
  if (env.PERPSCOPE_LOG_LEVEL !== 'info') section('log').level = env.PERPSCOPE_LOG_LEVEL;
  const readSecret = params.readSecret ?? (() => undefined);
  const envIssues = resolveRpcUrlsEnv(obj, readSecret);
  const result = WatcherConfig.safeParse(obj);
  if (!result.success || envIssues.length > 0) {
    const issues = result.success ? [] : zodIssues(result.error);
    // Report every problem in one pass: secrets a valid config would need as well.
    const sinkIssues =
      result.success || !params.readSecret ? [] : unsetSinkSecrets(obj, readSecret);
    throw new ConfigError([...issues, ...envIssues, ...sinkIssues], params.source);
  }
  return result.data;
}

/**
 * Reads a YAML or JSON config file (JSON is valid YAML) and validates it with the env overrides.
 *
 * @throws {ConfigError} when the file is unreadable, not YAML/JSON, or invalid; the message names the field.
 * @example const config = loadConfigFile({ path: 'perpscope.yaml', env: readEnv() });
 */
export function loadConfigFile(params: {
  path: string;
  env: Env;
  readSecret?: (name: string) => string | undefined;
}): WatcherConfig {
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
  return parseConfig({
    raw,
    source: params.path,
    env: params.env,
    ...(params.readSecret && { readSecret: params.readSecret }),
  });
}
