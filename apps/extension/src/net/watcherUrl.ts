/**
 * URL of a watcher endpoint under the configured watcher URL. The setting names the watcher's
 * root, which may sit under a path prefix behind a reverse proxy (`https://host/perpscope/`):
 * the prefix is kept whether or not it ends in `/`. A query or fragment of the setting is dropped.
 *
 * @param watcherUrl - The validated `watcherUrl` setting (absolute http(s) URL).
 * @param path - Endpoint path relative to the watcher's root, e.g. `v1/risk-summary`.
 * @throws {TypeError} when `watcherUrl` does not parse (settings are validated before this).
 * @example
 * watcherEndpoint('https://host/perpscope', 'v1/risk-summary').href
 * // → 'https://host/perpscope/v1/risk-summary'
 */
export function watcherEndpoint(watcherUrl: string, path: string): URL {
  const url = new URL(watcherUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * Match pattern of the optional host permission the options page requests for the watcher:
 * scheme and host, any port and path. Firefox does not accept a port in a match pattern, and in
 * Chromium a pattern without a port matches every port, so one form serves both; the path is
 * ignored by host permissions anyway, so a path prefix needs nothing extra.
 *
 * @throws {TypeError} when `watcherUrl` does not parse.
 * @example
 * watcherPermissionPattern('http://127.0.0.1:8787/perpscope/') // → 'http://127.0.0.1/*'
 */
export function watcherPermissionPattern(watcherUrl: string): string {
  const url = new URL(watcherUrl);
  return `${url.protocol}//${url.hostname}/*`;
}
