/**
 * Base class of every error the watcher throws on purpose. `name` is stable (`'Watcher.ConfigError'`)
 * so logs, tests and the HTTP error mapper can switch on it.
 */
export class WatcherError extends Error {
  override name = 'Watcher.Error';
}

/** One invalid field of the configuration: `path` is dotted (`chains[0].rpcUrls[1]`). */
export type ConfigIssue = { path: string; message: string };

/**
 * The configuration (file + environment overrides) is invalid. The CLI prints `message`, which names
 * every offending field, and exits with code 2.
 */
export class ConfigError extends WatcherError {
  override name = 'Watcher.ConfigError';
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[], source: string) {
    super(
      `invalid configuration (${source}):\n${issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n')}`,
    );
    this.issues = issues;
  }
}

/**
 * Whether `error` is a {@link ConfigError} — also one thrown in the ingestion worker: crossing a
 * thread boundary keeps an error's `name`, `message` and own fields (`issues`) but not its class.
 */
export function isConfigError(error: unknown): error is Error & { issues: readonly ConfigIssue[] } {
  if (error instanceof ConfigError) return true;
  return (
    error instanceof Error &&
    error.name.startsWith('Watcher.') &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** An HTTP request was malformed; rendered as a 400 problem+json naming the field. */
export class BadRequestError extends WatcherError {
  override name = 'Watcher.BadRequestError';
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join('; '));
    this.issues = issues;
  }
}

/** HTTP statuses the request-hardening middleware and the event stream refuse requests with. */
export type RefusalStatus = 401 | 403 | 413 | 421 | 429 | 503;

/**
 * A request refused before (or instead of) its route: missing token, foreign origin, rate limit,
 * body too large, misdirected `Host`, stream seats full. Thrown by middleware and handlers;
 * `onError` renders it as problem+json with `type` `https://perpscope.dev/problems/<title slug>`
 * and the given response headers (`Retry-After`, `WWW-Authenticate`).
 */
export class RequestRefusedError extends WatcherError {
  override name = 'Watcher.RequestRefusedError';
  readonly status: RefusalStatus;
  /** The problem's `title`, e.g. `Too Many Requests`. */
  readonly title: string;
  readonly headers: Readonly<Record<string, string>>;
  constructor(p: {
    status: RefusalStatus;
    title: string;
    detail: string;
    headers?: Readonly<Record<string, string>>;
  }) {
    super(p.detail);
    this.status = p.status;
    this.title = p.title;
    this.headers = p.headers ?? {};
  }
}

/** A resource the client asked for does not exist; rendered as a 404 problem+json. */
export class NotFoundError extends WatcherError {
  override name = 'Watcher.NotFoundError';
}

/**
 * An upstream answered with a payload that fails its schema (or is not JSON at all). Such answers are
 * rejected, counted and logged once per kind — never stored as truth (SPEC §7).
 */
export class MalformedPayloadError extends WatcherError {
  override name = 'Watcher.MalformedPayloadError';
  /** What was malformed, e.g. `eth_getBlockByNumber`. */
  readonly kind: string;
  constructor(kind: string, detail: string) {
    super(`malformed ${kind} payload: ${detail}`);
    this.kind = kind;
  }
}
