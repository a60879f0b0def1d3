import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Logger, pino } from 'pino';
import { logSerializers } from '../logger.js';

/** Where the demo writes its JSON log when the user asked for no particular level. */
export const DEMO_LOG_FILE = './data/demo.log';

/**
 * The demo's logger: the demo narrates for a person on stdout, so pino's JSON lines (`info` and up)
 * go to `file` instead, and errors (`error`, `fatal`) are also written to stderr so nothing that
 * went wrong is hidden. The file is appended to; its folder is created.
 *
 * @example const logger = createDemoLogger({ file: './data/demo.log' });
 */
export function createDemoLogger(params: { file: string; level?: string }): Logger {
  mkdirSync(dirname(params.file), { recursive: true });
  const level = params.level ?? 'info';
  return pino(
    { level, name: 'perpscope-watcher', serializers: logSerializers },
    pino.multistream([
      // Synchronous: the few lines a second the demo logs must survive process.exit on Ctrl-C.
      { level, stream: pino.destination({ dest: params.file, sync: true, append: true }) },
      { level: 'error', stream: process.stderr },
    ]),
  );
}
