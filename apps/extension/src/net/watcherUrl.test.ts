import { describe, expect, it } from 'vitest';
import { watcherEndpoint, watcherPermissionPattern } from './watcherUrl.js';

describe('watcher URLs', () => {
  it('keeps the path prefix of a watcher behind a reverse proxy', () => {
    expect(watcherEndpoint('https://host.example/perpscope/', 'v1/risk-summary').href).toBe(
      'https://host.example/perpscope/v1/risk-summary',
    );
    // Without the trailing slash the last segment is still the prefix, not a file to replace.
    expect(watcherEndpoint('https://host.example/perpscope', 'v1/risk-summary').href).toBe(
      'https://host.example/perpscope/v1/risk-summary',
    );
    expect(watcherEndpoint('https://host.example/a/b//', '/v1/risk-summary').href).toBe(
      'https://host.example/a/b/v1/risk-summary',
    );
  });

  it('resolves a bare origin to the root paths and drops a query or fragment of the setting', () => {
    expect(watcherEndpoint('http://127.0.0.1:8787', 'v1/risk-summary').href).toBe(
      'http://127.0.0.1:8787/v1/risk-summary',
    );
    expect(watcherEndpoint('http://127.0.0.1:8787/?x=1#top', 'v1/risk-summary').href).toBe(
      'http://127.0.0.1:8787/v1/risk-summary',
    );
  });

  it('asks for the host without port or path (Firefox rejects ports in match patterns)', () => {
    expect(watcherPermissionPattern('https://host.example/perpscope/')).toBe(
      'https://host.example/*',
    );
    expect(watcherPermissionPattern('http://127.0.0.1:8787/x')).toBe('http://127.0.0.1/*');
    expect(watcherPermissionPattern('http://[::1]:8787/')).toBe('http://[::1]/*');
  });
});
