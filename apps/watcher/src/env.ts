import { z } from 'zod';

/**
 * The environment variables the watcher reads. This module is the only reader of `process.env`;
 * everything else receives the parsed values.
 */
export const Env = z.object({
  /** Path of a YAML or JSON config file. */
  PERPSCOPE_CONFIG: z.string().min(1).optional(),
  /** Overrides `server.port`. */
  PERPSCOPE_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Overrides `server.host`. */
  PERPSCOPE_HOST: z.string().min(1).optional(),
  /** Overrides `database.path` (`:memory:` for a throw-away database). */
  PERPSCOPE_DB: z.string().min(1).optional(),
  /**
   * Overrides `database.url` (PostgreSQL), so the URL and its password can stay out of the file; it
   * replaces a `database.path` from the file. Refused together with `PERPSCOPE_DB`.
   */
  PERPSCOPE_DATABASE_URL: z.string().min(1).optional(),
  /** Overrides `cluster.id` (creating the `cluster` section if the file has none). */
  PERPSCOPE_WATCHER_ID: z.string().min(1).optional(),
  /** pino level. */
  PERPSCOPE_LOG_LEVEL: z
    .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
    .default('info'),
});
export type Env = z.infer<typeof Env>;

/**
 * Parses the environment, with `overrides` (command-line flags) taking precedence over it.
 *
 * @throws {z.ZodError} when a variable is malformed (the CLI reports it like a config error).
 * @example const env = readEnv({ overrides: { PERPSCOPE_PORT: '8788' } }); // reads process.env
 */
export function readEnv(
  p: {
    overrides?: Readonly<Record<string, string>>;
    source?: Readonly<Record<string, string | undefined>>;
  } = {},
): Env {
  return Env.parse({ ...(p.source ?? process.env), ...p.overrides });
}

/**
 * Reads the secret variables the config names (alert webhook URLs, bot tokens, the API token).
 * Their names come from the config file, so they cannot be listed in {@link Env}; secrets are never
 * written in the config itself.
 *
 * @example const secrets = readSecrets(['PERPSCOPE_API_TOKEN']);
 */
export function readSecrets(
  names: readonly string[],
  source: Record<string, string | undefined> = process.env,
): Record<string, string | undefined> {
  return Object.fromEntries(names.map((name) => [name, source[name] || undefined]));
}
