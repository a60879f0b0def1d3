import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertOutbox } from '../../alerts/AlertOutbox.js';
import { AlertsConfig } from '../../alerts/alertsConfig.js';
import { resolveSinks } from '../../alerts/formatAlert.js';
import { openDb } from '../../db/openDb.js';
import { createSqliteStore } from '../../db/store/createSqliteStore.js';
import { EventLog } from '../../events/eventLog.js';
import { createLogger } from '../../logger.js';
import { PositionAlerter } from './PositionAlerter.js';

const logger = createLogger({ level: 'silent' });

describe('PositionAlerter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perpscope-position-alerter-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports each catch-up pass to storage health: the error while writes fail, null once they commit', async () => {
    const database = openDb({ path: join(dir, 'w.db') });
    const clock = { now: () => 1_700_000_000_000 };
    const eventLog = new EventLog({ store: createSqliteStore(database), clock, logger });
    const config = AlertsConfig.parse({
      sinks: [{ name: 'hook', kind: 'webhook', urlEnv: 'HOOK', minSeverity: 'warning' }],
    });
    const outbox = new AlertOutbox({
      store: createSqliteStore(database),
      sinks: resolveSinks(config.sinks, { HOOK: 'http://127.0.0.1:9/hook' }),
      config,
      now: clock.now,
      logger,
      random: () => 0,
    });
    const outcomes: unknown[] = [];
    const alerter = new PositionAlerter({
      store: createSqliteStore(database),
      eventLog,
      outbox,
      sinksOf: () => undefined,
      logger,
      retryMs: 60_000,
      onWriteOutcome: (error) => outcomes.push(error),
    });
    await alerter.start();
    expect(outcomes.at(-1)).toBeNull();
    // An event after the cursor (not a position alert: the pass only advances the cursor, which is
    // still a write) while the connection refuses writes, as on a read-only or full disk.
    await eventLog.write((w) =>
      w.emit('hip3.stream', { type: 'hip3-stream', id: 'x' }, { up: true, at: 0 }),
    );
    database.sqlite.pragma('query_only = 1');
    await alerter.catchUp();
    expect(outcomes.at(-1)).toBeInstanceOf(Error);
    database.sqlite.pragma('query_only = 0');
    await alerter.catchUp();
    expect(outcomes.at(-1)).toBeNull();
    await alerter.stop();
    database.sqlite.close();
  });
});
