import { describe, expect, it } from 'vitest';
import { Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { parseConfig } from './loadConfig.js';
import { ServerConfig } from './serverConfig.js';

describe('server config: limits', () => {
  it('has defaults that bound a slow-header flood and SSE readers', () => {
    expect(ServerConfig.parse({})).toEqual({
      host: '127.0.0.1',
      port: 8787,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      maxConnections: 512,
      maxEventStreams: 200,
      maxEventStreamsPerClient: 8,
      eventStreamBufferBytes: 1_048_576,
    });
  });

  it('rejects a headers timeout above the request timeout and non-positive limits, naming the field', () => {
    const parse = (server: unknown) => () =>
      parseConfig({ raw: { server }, source: 'test', env: Env.parse({}) });
    expect(parse({ headersTimeoutMs: 60_000, requestTimeoutMs: 30_000 })).toThrow(
      'server.headersTimeoutMs: must not exceed requestTimeoutMs (30000)',
    );
    expect(parse({ maxConnections: 0 })).toThrow(ConfigError);
    expect(parse({ maxConnections: 0 })).toThrow(/server\.maxConnections/);
    expect(parse({ eventStreamBufferBytes: -1 })).toThrow(/server\.eventStreamBufferBytes/);
  });
});
