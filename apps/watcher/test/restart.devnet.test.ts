import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DevnetChain, startDevnetChain } from '@perpscope/devnet';
import type { ChainDetail, IncidentList } from '@perpscope/schemas';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { devnetChainEntry } from '../src/demo/devnetChainEntry.js';
import { waitFor } from './support/devnetWatcher.js';
import { spawnWatcher } from './support/spawnWatcher.js';

/*
 * kill -9 in the middle of an incident (SPEC §7): the real CLI process watches a devnet chain, is
 * SIGKILLed while the chain is halted, and is started again on the same database file. Nothing
 * committed is lost or duplicated and the open incident continues.
 */
let chain: DevnetChain;
const dir = mkdtempSync(join(tmpdir(), 'perpscope-restart-'));
const dbPath = join(dir, 'w.db');
const configPath = join(dir, 'config.yaml');

beforeAll(async () => {
  chain = await startDevnetChain({ name: 'restart', chainId: 1101, blockTime: 1 });
  writeFileSync(
    configPath,
    stringify({
      server: { port: 0 },
      database: { path: dbPath },
      chains: [devnetChainEntry(chain, { pollIntervalMs: 250, graceSeconds: 4 })],
    }),
  );
}, 30_000);

afterAll(async () => {
  await chain?.stop();
});

const getJson = async <T>(url: string): Promise<T> => (await (await fetch(url)).json()) as T;

describe('restart in the middle of an incident', () => {
  it('SIGKILL while halted, restart on the same file: no duplicated rows, the incident continues and closes once', {
    timeout: 90_000,
  }, async () => {
    const first = await spawnWatcher(['run', '--config', configPath]);
    const id = chain.chainId;
    await waitFor(
      'up',
      async () => (await getJson<ChainDetail>(`${first.url}/v1/chains/${id}`)).status === 'up',
      20_000,
    );
    await chain.halt();
    await waitFor(
      'halted',
      async () => (await getJson<ChainDetail>(`${first.url}/v1/chains/${id}`)).status === 'halted',
      15_000,
    );
    const before = await getJson<IncidentList>(
      `${first.url}/v1/incidents?subjectId=${id}&kind=sequencer`,
    );
    expect(before.items).toHaveLength(1);
    const incidentId = before.items[0]!.id;

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    const second = await spawnWatcher(['run', '--config', configPath]);
    // Still halted right after the restart: the wall-clock "no new head since" survived the kill.
    const afterRestart = await waitFor(
      'first poll after restart',
      async () => {
        const d = await getJson<ChainDetail>(`${second.url}/v1/chains/${id}`);
        return Date.parse(d.updatedAt) > Date.now() - 2000 ? d : undefined;
      },
      15_000,
    );
    expect(afterRestart.status).toBe('halted');
    expect(afterRestart.secondsSinceNewHead).toBeGreaterThan(6);
    const during = await getJson<IncidentList>(
      `${second.url}/v1/incidents?subjectId=${id}&kind=sequencer`,
    );
    expect(during.items.map((i) => [i.id, i.state])).toEqual([[incidentId, 'open']]);

    await chain.resume();
    await waitFor(
      'up again',
      async () => (await getJson<ChainDetail>(`${second.url}/v1/chains/${id}`)).status === 'up',
      20_000,
    );
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0); // graceful shutdown finishes the current write

    const db = new Database(dbPath, { readonly: true });
    // better-sqlite3 binds JS numbers as REAL; subject ids are text, so bind those as strings.
    const q = <T>(sql: string, param: number | string = id) => db.prepare(sql).all(param) as T[];
    const incidents = q<{ id: number; state: string; ended_at: number | null }>(
      "select id, state, ended_at from incidents where subject_id = ? and kind = 'sequencer'",
      String(id),
    );
    const transitions = q<{ to_status: string }>(
      'select to_status from status_transitions where chain_id = ? order by id',
    );
    const dupBlocks = q<{ number: number }>(
      'select number from blocks where chain_id = ? and canonical = 1 group by number having count(*) > 1',
    );
    const opened = q<{ n: number }>(
      'select count(*) as n from events where subject_id = ? and kind = \'incident.opened\' and payload_json like \'%"kind":"sequencer"%\'',
      String(id),
    );
    const gaps = q<{ missing: number }>(
      'select (max(number) - min(number) + 1) - count(*) as missing from blocks where chain_id = ? and canonical = 1',
    );
    db.close();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ id: incidentId, state: 'closed' });
    expect(dupBlocks).toEqual([]);
    expect(gaps[0]?.missing).toBe(0);
    expect(opened[0]?.n).toBe(1);
    // One pass through the incident: the restart neither replays nor skips a transition.
    expect(transitions.map((t) => t.to_status)).toEqual([
      'up',
      'degraded',
      'halted',
      'recovering',
      'up',
    ]);
  });
});
