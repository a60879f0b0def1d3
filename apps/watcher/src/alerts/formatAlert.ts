import type { ConfigIssue } from '../errors.js';
import { redactUrlSecrets } from '../security/redactSecrets.js';
import { type AlertMessage, type AlertSeverity, alertTitle, truncate } from './AlertMessage.js';
import type { AlertSinkConfig } from './alertsConfig.js';

/** A sink with its secret resolved from the environment. Never log `url`; use `redactUrl`. */
export type ResolvedSink = {
  name: string;
  kind: AlertSinkConfig['kind'];
  minSeverity: AlertSeverity;
  /** Full delivery URL (contains the webhook secret or bot token). */
  url: string;
  /** Telegram only: the chat to post to. */
  chatId?: string;
};

/** The HTTP request that delivers one alert to one sink. */
export type SinkRequest = { url: string; headers: Record<string, string>; body: string };

/**
 * Thrown when a sink's secret is missing from the environment; names the variable. `issue` is the
 * same problem as a config issue on the sink's secret field (`alerts.sinks[1].botTokenEnv`).
 */
export class AlertSinkConfigError extends Error {
  override name = 'Alerts.SinkConfigError';
  readonly issue: ConfigIssue;
  constructor(p: { index: number; sink: AlertSinkConfig; problem: string }) {
    super(`alerts.sinks.${p.index} ("${p.sink.name}"): ${p.problem}`);
    this.issue = {
      path: `alerts.sinks[${p.index}].${p.sink.kind === 'telegram' ? 'botTokenEnv' : 'urlEnv'}`,
      message: `sink "${p.sink.name}": ${p.problem}`,
    };
  }
}

/**
 * Resolves configured sinks against the environment (the secrets' only source).
 *
 * @throws {AlertSinkConfigError} when a referenced variable is unset or not a URL.
 */
export function resolveSinks(
  sinks: readonly AlertSinkConfig[],
  env: Readonly<Record<string, string | undefined>>,
): ResolvedSink[] {
  return sinks.map((sink, i) => resolveSink(sink, i, env));
}

/**
 * Every sink whose secret is unset or invalid, as config issues (the CLI reports them all at once
 * and exits 2); empty when {@link resolveSinks} would succeed.
 */
export function sinkConfigIssues(
  sinks: readonly AlertSinkConfig[],
  env: Readonly<Record<string, string | undefined>>,
): ConfigIssue[] {
  return sinks.flatMap((sink, i) => {
    try {
      resolveSink(sink, i, env);
      return [];
    } catch (error) {
      if (error instanceof AlertSinkConfigError) return [error.issue];
      throw error;
    }
  });
}

function resolveSink(
  sink: AlertSinkConfig,
  i: number,
  env: Readonly<Record<string, string | undefined>>,
): ResolvedSink {
  const varName = sink.kind === 'telegram' ? sink.botTokenEnv : sink.urlEnv;
  const secret = env[varName];
  if (!secret)
    throw new AlertSinkConfigError({
      index: i,
      sink,
      problem: `environment variable ${varName} is not set`,
    });
  if (sink.kind === 'telegram') {
    const base = sink.apiBaseUrl.replace(/\/+$/, '');
    return {
      name: sink.name,
      kind: sink.kind,
      minSeverity: sink.minSeverity,
      url: `${base}/bot${secret}/sendMessage`,
      chatId: sink.chatId,
    };
  }
  if (!URL.canParse(secret) || !/^https?:$/.test(new URL(secret).protocol))
    throw new AlertSinkConfigError({
      index: i,
      sink,
      problem: `${varName} must hold an http(s) URL`,
    });
  return { name: sink.name, kind: sink.kind, minSeverity: sink.minSeverity, url: secret };
}

/**
 * Shows where a URL points without its secret part: scheme, host and port only.
 *
 * @example redactUrl('https://hooks.slack.com/services/T0/B0/xyz') // 'https://hooks.slack.com/…'
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return '(invalid url)';
  // Same host masking as RPC URLs (a key may sit in a subdomain), then never any path.
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(redactUrlSecrets(url))?.[0];
  return origin ? `${origin}/…` : '(invalid url)';
}

const severityEmoji: Record<AlertSeverity, string> = {
  info: '🟢',
  warning: '🟠',
  critical: '🔴',
};
const resolvedEmoji = '✅';

function emojiFor(message: AlertMessage): string {
  return message.transition === 'resolve' ? resolvedEmoji : severityEmoji[message.severity];
}

function reasonsText(message: AlertMessage): string {
  return message.reasons.length === 0 ? '—' : message.reasons.map((r) => `• ${r}`).join('\n');
}

/** Generic JSON webhook body: the alert itself plus a `text` summary, versioned. */
export function formatWebhook(message: AlertMessage): unknown {
  return {
    version: 1,
    source: 'perpscope-watcher',
    title: alertTitle(message),
    text: `${alertTitle(message)}\n${message.guidance}`,
    ...message,
    at: new Date(message.atMs).toISOString(),
  };
}

// Slack treats &, < and > as markup (`<!channel>` would ping everyone): escape data before mrkdwn.
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Slack incoming-webhook body: `text` fallback plus Block Kit blocks. Limits respected: header
 * plain_text ≤ 150 chars, section text ≤ 3000 chars (https://api.slack.com/reference/block-kit/blocks).
 */
export function formatSlack(message: AlertMessage): unknown {
  const title = `${emojiFor(message)} ${alertTitle(message)}`;
  const context = [`incident ${message.incidentId}`, new Date(message.atMs).toISOString()];
  if (message.url) context.push(`<${slackEscape(message.url)}|status page>`);
  return {
    text: truncate(title, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: true } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*Why*\n${slackEscape(reasonsText(message))}`, 3000),
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: truncate(`*What to do*\n${slackEscape(message.guidance)}`, 3000),
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: truncate(context.join(' · '), 3000) }],
      },
    ],
  };
}

const discordColor: Record<AlertSeverity | 'resolved', number> = {
  info: 0x3b82f6,
  warning: 0xf59e0b,
  critical: 0xdc2626,
  resolved: 0x16a34a,
};

/**
 * Discord execute-webhook body with one embed. Limits respected: title ≤ 256, description ≤ 4096,
 * field value ≤ 1024, total ≤ 6000 (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
 * `allowed_mentions.parse: []` keeps data from pinging anyone.
 */
export function formatDiscord(message: AlertMessage): unknown {
  const embed: Record<string, unknown> = {
    title: truncate(alertTitle(message), 256),
    description: truncate(message.guidance, 2048),
    color:
      message.transition === 'resolve' ? discordColor.resolved : discordColor[message.severity],
    fields: [
      { name: 'Why', value: truncate(reasonsText(message), 1024) },
      { name: 'Status', value: truncate(message.status, 256), inline: true },
      { name: 'Incident', value: truncate(message.incidentId, 256), inline: true },
    ],
    timestamp: new Date(message.atMs).toISOString(),
    footer: { text: 'perpscope-watcher' },
  };
  if (message.url) embed.url = message.url;
  return { username: 'perpscope', embeds: [embed], allowed_mentions: { parse: [] } };
}

/**
 * Telegram Bot API `sendMessage` body. Plain text (no `parse_mode`), so data needs no escaping;
 * text ≤ 4096 chars (https://core.telegram.org/bots/api#sendmessage).
 */
export function formatTelegram(message: AlertMessage, chatId: string): unknown {
  const lines = [
    `${emojiFor(message)} ${alertTitle(message)}`,
    '',
    reasonsText(message),
    '',
    `What to do: ${message.guidance}`,
    '',
    `incident ${message.incidentId} · ${new Date(message.atMs).toISOString()}`,
  ];
  if (message.url) lines.push(message.url);
  return {
    chat_id: chatId,
    text: truncate(lines.join('\n'), 4096),
    link_preview_options: { is_disabled: true },
  };
}

/** Builds the HTTP request delivering `message` to `sink`. */
export function formatForSink(sink: ResolvedSink, message: AlertMessage): SinkRequest {
  const body =
    sink.kind === 'slack'
      ? formatSlack(message)
      : sink.kind === 'discord'
        ? formatDiscord(message)
        : sink.kind === 'telegram'
          ? formatTelegram(message, sink.chatId ?? '')
          : formatWebhook(message);
  return {
    url: sink.url,
    headers: { 'content-type': 'application/json', 'user-agent': 'perpscope-watcher' },
    body: JSON.stringify(body),
  };
}
