import { describe, expect, it } from 'vitest';
import type { AlertMessage } from './AlertMessage.js';
import { AlertsConfig } from './alertsConfig.js';
import {
  AlertSinkConfigError,
  formatDiscord,
  formatForSink,
  formatSlack,
  formatTelegram,
  formatWebhook,
  redactUrl,
  resolveSinks,
} from './formatAlert.js';

/** Loosely typed view of a JSON body, for asserting on nested fields. */
const json = (body: unknown): ReturnType<typeof JSON.parse> => body;

const halted: AlertMessage = {
  subject: 'chain:8453',
  subjectName: 'Base',
  transition: 'escalate',
  severity: 'critical',
  status: 'halted',
  previousStatus: 'degraded',
  reasons: ['no new head for 64 s (threshold 60 s)', 'uptime feed: down'],
  guidance: 'Move execution to a CEX; keep liquidation distance ≥ 2× normal.',
  incidentId: 'inc-42',
  atMs: Date.UTC(2025, 7, 5, 6, 7, 8),
  url: 'https://status.example.com/',
};

describe('formatSlack', () => {
  it('builds a header, reasons and guidance sections and a context line', () => {
    const body = json(formatSlack(halted));
    expect(body.text).toBe('🔴 [ESCALATED] Base: halted (was degraded)');
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'context',
    ]);
    expect(body.blocks[0]?.text).toEqual({
      type: 'plain_text',
      text: '🔴 [ESCALATED] Base: halted (was degraded)',
      emoji: true,
    });
    expect(body.blocks[1]?.text.text).toBe(
      '*Why*\n• no new head for 64 s (threshold 60 s)\n• uptime feed: down',
    );
    expect(body.blocks[2]?.text.text).toContain('2× normal');
    expect(body.blocks[3]?.elements[0].text).toBe(
      'incident inc-42 · 2025-08-05T06:07:08.000Z · <https://status.example.com/|status page>',
    );
  });

  it('escapes Slack markup in data and keeps the header within 150 characters', () => {
    const body = json(
      formatSlack({
        ...halted,
        subjectName: 'x'.repeat(300),
        reasons: ['<!channel> & friends'],
      }),
    );
    expect(body.blocks[0]?.text.text.length).toBe(150);
    expect(body.blocks[1]?.text.text).toBe('*Why*\n• &lt;!channel&gt; &amp; friends');
  });
});

describe('formatDiscord', () => {
  it('builds one embed with severity colour, fields and ISO timestamp, mentions disabled', () => {
    const body = json(formatDiscord(halted));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const [embed] = body.embeds;
    expect(embed?.title).toBe('[ESCALATED] Base: halted (was degraded)');
    expect(embed?.color).toBe(0xdc2626);
    expect(embed?.timestamp).toBe('2025-08-05T06:07:08.000Z');
    expect(embed?.url).toBe('https://status.example.com/');
    expect(embed?.fields[0]).toEqual({
      name: 'Why',
      value: '• no new head for 64 s (threshold 60 s)\n• uptime feed: down',
    });
  });

  it('uses green for resolves and truncates a field value to 1024 characters', () => {
    const body = json(
      formatDiscord({
        ...halted,
        transition: 'resolve',
        severity: 'info',
        reasons: ['r'.repeat(5000)],
      }),
    );
    expect(body.embeds[0]?.color).toBe(0x16a34a);
    expect(body.embeds[0]?.fields[0].value.length).toBe(1024);
    expect(body.embeds[0]?.fields[0].value.endsWith('…')).toBe(true);
  });
});

describe('formatTelegram', () => {
  it('sends plain text to the configured chat without link previews', () => {
    const body = json(formatTelegram(halted, '-1001234'));
    expect(body.chat_id).toBe('-1001234');
    expect(body.parse_mode).toBeUndefined();
    expect(body.link_preview_options).toEqual({ is_disabled: true });
    expect(body.text.split('\n')).toEqual([
      '🔴 [ESCALATED] Base: halted (was degraded)',
      '',
      '• no new head for 64 s (threshold 60 s)',
      '• uptime feed: down',
      '',
      'What to do: Move execution to a CEX; keep liquidation distance ≥ 2× normal.',
      '',
      'incident inc-42 · 2025-08-05T06:07:08.000Z',
      'https://status.example.com/',
    ]);
  });

  it('keeps the text within 4096 characters', () => {
    const body = json(formatTelegram({ ...halted, guidance: 'g'.repeat(10_000) }, '1'));
    expect(body.text.length).toBe(4096);
  });
});

describe('formatWebhook', () => {
  it('carries the full alert, a version and an ISO time', () => {
    expect(formatWebhook(halted)).toMatchObject({
      version: 1,
      source: 'perpscope-watcher',
      subject: 'chain:8453',
      transition: 'escalate',
      status: 'halted',
      guidance: halted.guidance,
      incidentId: 'inc-42',
      at: '2025-08-05T06:07:08.000Z',
    });
  });
});

describe('resolveSinks / formatForSink', () => {
  const config = AlertsConfig.parse({
    sinks: [
      { name: 'slack', kind: 'slack', urlEnv: 'SLACK_URL' },
      {
        name: 'tg',
        kind: 'telegram',
        botTokenEnv: 'TG_TOKEN',
        chatId: -1001,
        apiBaseUrl: 'http://127.0.0.1:9/',
      },
    ],
  });

  it('reads secrets from the given environment and builds the Telegram method URL', () => {
    const sinks = resolveSinks(config.sinks, {
      SLACK_URL: 'https://hooks.slack.com/services/T0/B0/abc',
      TG_TOKEN: '123:XYZ',
    });
    expect(sinks.map((s) => s.url)).toEqual([
      'https://hooks.slack.com/services/T0/B0/abc',
      'http://127.0.0.1:9/bot123:XYZ/sendMessage',
    ]);
    const req = formatForSink(sinks[1]!, halted);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body).chat_id).toBe('-1001');
  });

  it('names the missing variable and the sink', () => {
    expect(() => resolveSinks(config.sinks, { SLACK_URL: 'https://x.test/' })).toThrow(
      'alerts.sinks.1 ("tg"): environment variable TG_TOKEN is not set',
    );
    const error = (() => {
      try {
        resolveSinks(config.sinks, { SLACK_URL: 'https://x.test/' });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AlertSinkConfigError);
    expect((error as AlertSinkConfigError).issue).toEqual({
      path: 'alerts.sinks[1].botTokenEnv',
      message: 'sink "tg": environment variable TG_TOKEN is not set',
    });
    expect(() => resolveSinks(config.sinks, { SLACK_URL: 'not a url', TG_TOKEN: 't' })).toThrow(
      'alerts.sinks.0 ("slack"): SLACK_URL must hold an http(s) URL',
    );
  });

  it('redacts everything after the host', () => {
    expect(redactUrl('https://hooks.slack.com/services/T0/B0/abc?x=1')).toBe(
      'https://hooks.slack.com/…',
    );
    expect(redactUrl('http://127.0.0.1:8080/bot123:XYZ/sendMessage')).toBe(
      'http://127.0.0.1:8080/…',
    );
  });
});

describe('AlertsConfig', () => {
  it('applies defaults and rejects duplicate sink names and inline secrets', () => {
    expect(AlertsConfig.parse({}).rateLimit).toEqual({ windowSeconds: 3600, maxPerWindow: 6 });
    const dup = AlertsConfig.safeParse({
      sinks: [
        { name: 'a', kind: 'webhook', urlEnv: 'A' },
        { name: 'a', kind: 'discord', urlEnv: 'B' },
      ],
    });
    expect(dup.error?.issues[0]?.path).toEqual(['sinks', 1, 'name']);
    const inline = AlertsConfig.safeParse({
      sinks: [{ name: 'a', kind: 'webhook', urlEnv: 'https://hooks.slack.com/x' }],
    });
    expect(inline.error?.issues[0]?.path).toEqual(['sinks', 0, 'urlEnv']);
  });
});
