import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Creates the JSON logger (pino). `destination` defaults to stdout; tests pass `level: 'silent'`.
 *
 * @example const logger = createLogger({ level: 'info' });
 */
export function createLogger(params: { level: string; name?: string }): Logger {
  return pino({ level: params.level, name: params.name ?? 'perpscope-watcher' });
}
