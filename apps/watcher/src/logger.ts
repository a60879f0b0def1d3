import { type DestinationStream, type Logger, pino } from 'pino';
import { redactError, redactUrlsInText } from './security/redactSecrets.js';

export type { Logger };

/**
 * pino serializers every watcher logger uses: `err` (an Error or an error text) and `url` go
 * through the URL redaction of `security/redactSecrets.ts`, so an RPC URL's API key never reaches
 * a log line even when a library error quotes the request URL.
 */
export const logSerializers = {
  err: (value: unknown): unknown => redactLogValue(value),
  url: (value: unknown): unknown => redactLogValue(value),
} as const;

function redactLogValue(value: unknown): unknown {
  if (typeof value === 'string') return redactUrlsInText(value);
  if (value instanceof Error) return redactError(value);
  return value;
}

/**
 * Creates the JSON logger (pino) with {@link logSerializers}. `destination` defaults to stdout;
 * tests pass `level: 'silent'`.
 *
 * @example const logger = createLogger({ level: 'info' });
 */
export function createLogger(params: {
  level: string;
  name?: string;
  destination?: DestinationStream;
}): Logger {
  const options = {
    level: params.level,
    name: params.name ?? 'perpscope-watcher',
    serializers: logSerializers,
  };
  return params.destination ? pino(options, params.destination) : pino(options);
}
