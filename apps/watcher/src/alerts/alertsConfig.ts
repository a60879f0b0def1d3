import { z } from 'zod';
import { alertSeverities } from './AlertMessage.js';

/** Name of an environment variable; secrets (webhook URLs, bot tokens) are only read from env. */
const EnvVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name like PERPSCOPE_SLACK_URL');

const sinkBase = {
  /** Operator's name for the sink; shown in logs, metrics and `test-alert`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, - and _'),
  /** Transitions below this severity are not sent to this sink (resolves follow their open). */
  minSeverity: z.enum(alertSeverities).default('warning'),
};

/** One alert destination. URLs and tokens are referenced by env var name, never written in config. */
export const AlertSinkConfig = z.discriminatedUnion('kind', [
  z.object({ ...sinkBase, kind: z.literal('webhook'), urlEnv: EnvVarName }).strict(),
  z.object({ ...sinkBase, kind: z.literal('slack'), urlEnv: EnvVarName }).strict(),
  z.object({ ...sinkBase, kind: z.literal('discord'), urlEnv: EnvVarName }).strict(),
  z
    .object({
      ...sinkBase,
      kind: z.literal('telegram'),
      botTokenEnv: EnvVarName,
      chatId: z.union([z.string().min(1), z.number().int()]).transform(String),
      /** Bot API base; only changed for tests or a self-hosted Bot API server. */
      apiBaseUrl: z
        .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
        .default('https://api.telegram.org'),
    })
    .strict(),
]);
export type AlertSinkConfig = z.infer<typeof AlertSinkConfig>;

/**
 * The `alerts` section of the config file.
 *
 * @example
 * ```yaml
 * alerts:
 *   publicUrl: https://status.example.com/
 *   sinks:
 *     - { name: ops, kind: slack, urlEnv: PERPSCOPE_SLACK_WEBHOOK_URL }
 *     - { name: tg, kind: telegram, botTokenEnv: PERPSCOPE_TELEGRAM_TOKEN, chatId: "-1001234" }
 * ```
 */
export const AlertsConfig = z
  .object({
    /** Public URL of the status page, linked from messages. */
    publicUrl: z.url().optional(),
    sinks: z.array(AlertSinkConfig).default([]),
    /** Per subject and sink: at most `maxPerWindow` open/escalate messages per window. */
    rateLimit: z
      .object({
        windowSeconds: z.number().int().positive().default(3600),
        maxPerWindow: z.number().int().positive().default(6),
      })
      .strict()
      .prefault({}),
    /** Delivery retries: exponential backoff with full jitter between `initialDelayMs` and `maxDelayMs`. */
    retry: z
      .object({
        initialDelayMs: z.number().int().positive().default(2_000),
        maxDelayMs: z
          .number()
          .int()
          .positive()
          .default(10 * 60_000),
        /** After this many failed attempts the row is marked `failed` (kept for inspection). */
        maxAttempts: z.number().int().positive().default(40),
        timeoutMs: z.number().int().positive().default(10_000),
        pollIntervalMs: z.number().int().positive().default(1_000),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({})
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.sinks.forEach((sink, i) => {
      if (seen.has(sink.name))
        ctx.addIssue({
          code: 'custom',
          path: ['sinks', i, 'name'],
          message: `duplicate sink name "${sink.name}"`,
        });
      seen.add(sink.name);
    });
  });
export type AlertsConfig = z.infer<typeof AlertsConfig>;
