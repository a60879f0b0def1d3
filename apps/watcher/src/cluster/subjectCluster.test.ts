import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { WatcherConfig } from '../config/configSchema.js';
import { ConfigError } from '../errors.js';
import { createLogger } from '../logger.js';
import type { SubjectContext } from '../runtime/subject.js';
import { hip3SubjectFactory } from '../subjects/hip3/hip3Subject.js';
import { positionsSubjectFactory } from '../subjects/positions/positionsSubject.js';
import { type ClusterRuntime, singleWatcher } from './clusterRuntime.js';
import { type Duty, localDuty } from './duty.js';
import { clusterOfContext, redundantModeIssues } from './subjectCluster.js';

const logger = createLogger({ level: 'silent' });
const ACCOUNT = '0x1111111111111111111111111111111111111111';

/** A cluster runtime of the given mode; its duties are always held (no database needed here). */
function runtime(mode: ClusterRuntime['mode']): ClusterRuntime {
  const duties = new Map<string, Duty>();
  return {
    mode,
    id: 'w1',
    owner: mode === 'redundant' ? 'redundant' : 'w1',
    observer: 'w1',
    duty: (name) => duties.get(name) ?? duties.set(name, localDuty(name)).get(name)!,
    liveWatchers: async () => ['w1'],
    stop: async () => {},
  };
}

const ctx = (config: WatcherConfig, cluster?: ClusterRuntime) =>
  ({ config, clock: systemClock, logger, cluster }) as unknown as SubjectContext;

describe('subjects in a cluster', () => {
  it('a context without a cluster runs as the single watcher', () => {
    const c = clusterOfContext({});
    expect([c.mode, c.owner, c.observer]).toEqual(['single', 'local', 'local']);
    expect(clusterOfContext({ cluster: runtime('sharded') }).owner).toBe('w1');
    expect(singleWatcher().mode).toBe('single');
  });

  it('redundant mode refuses hip3.enabled and positions.accounts, naming the field', () => {
    const config = WatcherConfig.parse({
      chains: [],
      hip3: { enabled: true },
      positions: { accounts: [{ address: ACCOUNT, label: 'main' }] },
    });
    expect(redundantModeIssues(runtime('redundant'), config).map((i) => i.path)).toEqual([
      'hip3.enabled',
      'positions.accounts',
    ]);
    expect(redundantModeIssues(runtime('sharded'), config)).toEqual([]);
    const hip3 = () => hip3SubjectFactory()(ctx(config, runtime('redundant')));
    expect(hip3).toThrow(ConfigError);
    expect(hip3).toThrow(/hip3\.enabled: cluster\.mode redundant watches L2 sequencers only/);
    const positions = () => positionsSubjectFactory()(ctx(config, runtime('redundant')));
    expect(positions).toThrow(/positions\.accounts: cluster\.mode redundant/);
  });
});
