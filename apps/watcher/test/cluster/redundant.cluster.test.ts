import { type DevnetChain, startDevnet } from '@perpscope/devnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/devnetWatcher.js';
import {
  type ClusterHarness,
  chainOf,
  startClusterHarness,
  type WatcherProcess,
} from './clusterHarness.js';

/*
 * Redundant mode end to end (issue 17): two watcher processes watch the same devnet chain and share
 * one PostgreSQL. One blinded watcher (every RPC proxy answering 500) must not make the pair report
 * a halt; SIGKILL of the lease holder during a real halt must leave the other to send the remaining
 * alerts — each transition once, none lost — counted at a local HTTP sink.
 *
 * The two cases run in order on one cluster (starting PostgreSQL, the devnet and two processes
 * costs ~20 s on the 2-core CI box): the blind case first, the kill last.
 */

const CHAIN_ID = 1751;
const LEASE_SECONDS = 4;

type Hit = { transition: string; incidentId: string; subject: string; severity: string };

describe('two watchers in redundant mode on one PostgreSQL', { timeout: 90_000 }, () => {
  let h: ClusterHarness;
  let chain: DevnetChain;
  let stopDevnet: () => Promise<void>;
  let a: WatcherProcess;
  let b: WatcherProcess;

  beforeAll(async () => {
    const devnet = await startDevnet([
      { name: 'red-op', chainId: CHAIN_ID, blockTime: 1, rpcCount: 2, uptimeFeed: false },
    ]);
    stopDevnet = devnet.stop;
    chain = devnet.chains[0]!;
    h = await startClusterHarness('redundant');
    const options = { mode: 'redundant', leaseSeconds: LEASE_SECONDS, chains: [chain] } as const;
    // `a` first, and alone until it holds the shared duties: the lease holder is then known.
    a = await h.startWatcher({ id: 'watcher-a', ...options });
    await waitFor(
      'watcher-a to hold the alerts and incidents leases',
      async () =>
        (await h.leaseHolder('alerts')) === 'watcher-a' &&
        (await h.leaseHolder('incidents')) === 'watcher-a',
      30_000,
      200,
    );
    b = await h.startWatcher({ id: 'watcher-b', ...options });
    for (const w of [a, b])
      await waitFor(
        `${w.id} to serve the chain up`,
        async () => chainOf(await w.chains(), CHAIN_ID)?.status === 'up',
        30_000,
        200,
      );
  }, 120_000);

  afterAll(async () => {
    await h?.stop();
    await stopDevnet?.();
  });

  /** The chain's head number, asked of the devnet directly. */
  const chainHead = async () => {
    const res = await fetch(chain.rpcUrls[0]!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] }),
    });
    return Number(((await res.json()) as { result: string }).result);
  };

  /** Every 2xx the sink answered, parsed. */
  const delivered = () =>
    h.sink.hits.filter((x) => x.status >= 200 && x.status < 300).map((x) => x.body as Hit);
  const chainAlerts = () => delivered().filter((x) => x.subject === `chain:${CHAIN_ID}`);

  it('one blinded watcher (all its RPC proxies failing) does not make the pair report a halt', async () => {
    // The blind one is the holder of the incidents duty: it combines the observations itself and
    // must not act on its own (blind) view.
    const [blind, seeing] = [a, b];
    expect(await h.leaseHolder('incidents')).toBe(blind.id);
    const observationOf = async (w: WatcherProcess) => {
      const r = await h.pool.query<{ status: string | null }>(
        'select status from chain_observations where chain_id = $1 and observer = $2',
        [CHAIN_ID, w.id],
      );
      return r.rows[0]?.status;
    };
    const head0 = await chainHead();
    const refused0 = blind.proxies.reduce((n, p) => n + p.refused, 0);
    blind.blind(true);
    const seen = new Set<string>();
    let blindObservation: string | null | undefined;
    // Long enough for a halt to be declared (halted after 6 s without a new head), measured by the
    // chain itself (its RPC, not a watcher): 10 more blocks while the blind one sees none.
    try {
      await waitFor(
        '10 more blocks on the chain while one watcher is blind',
        async () => {
          for (const w of [blind, seeing]) {
            const c = chainOf(await w.chains(), CHAIN_ID);
            if (c) seen.add(`${w.id}: ${c.status}`);
          }
          const head = await chainHead();
          const own = await observationOf(blind);
          if (own !== 'up') blindObservation = own;
          return head >= head0 + 10 && blindObservation !== undefined;
        },
        40_000,
        250,
      );
    } finally {
      blind.blind(false);
    }
    const final = await Promise.all(
      [blind, seeing].map(async (w) => chainOf(await w.chains(), CHAIN_ID)),
    );
    // The blinding took effect: the proxies refused its polls, and its own observation (stored per
    // observer) was not `up` — served alone, a watcher reports that as `unknown`.
    expect(blind.proxies.reduce((n, p) => n + p.refused, 0) - refused0).toBeGreaterThan(0);
    expect(blindObservation).not.toBe('up');
    // Never a halt, nor its pre-halt `degraded`, on either process at any sample.
    expect([...seen].filter((x) => /: (halted|degraded)$/.test(x))).toEqual([]);
    // The pair's verdict is the seeing observer's: both processes serve `up`, the blind one too.
    expect(final.map((c) => c?.status)).toEqual(['up', 'up']);
    // …with the seeing observer's head, which moved on while the other was blind.
    expect(final.map((c) => (c?.head?.number ?? 0) >= head0 + 5)).toEqual([true, true]);
    // No alert and no incident of any kind for the chain (alone, a blind watcher opens `no-data`).
    expect(chainAlerts()).toEqual([]);
    const incidents = await h.pool.query(
      `select kind, state from incidents where subject_type = 'chain' and subject_id = $1`,
      [String(CHAIN_ID)],
    );
    expect(incidents.rows).toEqual([]);
    await waitFor(
      'the blind watcher to see again',
      async () => (await observationOf(blind)) === 'up',
      30_000,
      200,
    );
  });

  it('SIGKILL of the lease holder during a halt: the other sends the remaining alerts, each once', async () => {
    expect(await h.leaseHolder('alerts')).toBe('watcher-a');
    await chain.halt();
    // The open alert is delivered and committed as delivered (after that, no duplicate is allowed;
    // before it is the documented window where the sink may see it twice).
    await waitFor(
      'the open alert delivered and marked delivered',
      async () => {
        const r = await h.pool.query(
          `select 1 from alert_outbox where transition = 'open' and state = 'delivered'`,
        );
        return r.rowCount === 1;
      },
      30_000,
      50,
    );
    await a.kill();
    const beforeKill = chainAlerts().length;
    const afterKillCount = () => chainAlerts().length - beforeKill;
    const [seq] = (
      await h.pool.query<{ id: string }>(
        `select id::text from incidents where subject_id = $1 and kind = 'sequencer'`,
        [String(CHAIN_ID)],
      )
    ).rows;
    const sequencerId = seq?.id;
    expect(sequencerId).toBeDefined();

    await waitFor(
      'watcher-b to take over the alerts lease',
      async () => (await h.leaseHolder('alerts')) === 'watcher-b',
      (LEASE_SECONDS + 10) * 1000,
      100,
    );
    await waitFor(
      'the escalate alert of the sequencer incident',
      () => chainAlerts().some((x) => x.transition === 'escalate' && x.incidentId === sequencerId),
      30_000,
      50,
    );
    await chain.resume();
    await waitFor(
      'the resolve alert of the sequencer incident',
      () => chainAlerts().some((x) => x.transition === 'resolve' && x.incidentId === sequencerId),
      40_000,
      50,
    );
    const word = {
      'incident.opened': 'open',
      'incident.escalated': 'escalate',
      'incident.closed': 'resolve',
    };
    // Every incident transition of the chain (written by the incidents duty, whoever held it),
    // from the event log — not from the outbox, which is what is under test.
    const transitionsInLog = async () =>
      (
        await h.pool.query<{ kind: string; incident: string }>(
          `select kind, payload_json::json ->> 'incidentId' as incident from events
           where kind in ('incident.opened', 'incident.escalated', 'incident.closed')
           and subject_type = 'chain' and subject_id = $1 order by id`,
          [String(CHAIN_ID)],
        )
      ).rows.map((r) => `${r.incident} ${word[r.kind as keyof typeof word]}`);
    // Quiet: no incident of the chain open (the halt also opened a `safe-lag` one), every
    // transition in the log at the sink, and nothing left in the outbox — after that nothing more
    // can be sent. (An incident closes in one commit and its alert is queued by the alerter's next
    // pass over the event log: "closed, nothing pending" alone is also true in between.)
    await waitFor(
      'no open incident, every transition of the log at the sink, an outbox with nothing pending',
      async () => {
        const open = await h.pool.query(
          `select 1 from incidents where subject_type = 'chain' and subject_id = $1 and state = 'open'`,
          [String(CHAIN_ID)],
        );
        const pending = await h.pool.query(`select 1 from alert_outbox where state <> 'delivered'`);
        const atSink = new Set(chainAlerts().map((x) => `${x.incidentId} ${x.transition}`));
        return (
          open.rowCount === 0 &&
          pending.rowCount === 0 &&
          (await transitionsInLog()).every((t) => atSink.has(t))
        );
      },
      60_000,
      100,
    );

    const sent = chainAlerts().map((x) => `${x.incidentId} ${x.transition}`);
    // None twice: each (incident, transition) once at the sink…
    expect(sent.length).toBe(new Set(sent).size);
    // …and each Idempotency-Key once, each the dedupe key of a delivered outbox row.
    const keys = h.sink.hits
      .filter((x) => x.status >= 200 && x.status < 300)
      .map((x) => x.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(keys.length);
    const outbox = await h.pool.query<{ dedupe_key: string }>(
      `select dedupe_key from alert_outbox where state = 'delivered'`,
    );
    expect([...keys].sort()).toEqual(outbox.rows.map((r) => r.dedupe_key).sort());
    // None lost and none extra: exactly the transitions of the event log reached the sink.
    expect([...sent].sort()).toEqual((await transitionsInLog()).sort());
    // The sequencer incident: one, closed, each of its three transitions delivered once.
    expect(sent.filter((x) => x.startsWith(`${sequencerId} `))).toEqual([
      `${sequencerId} open`,
      `${sequencerId} escalate`,
      `${sequencerId} resolve`,
    ]);
    const incidents = await h.pool.query<{ state: string }>(
      `select state from incidents where subject_id = $1 and kind = 'sequencer'`,
      [String(CHAIN_ID)],
    );
    expect(incidents.rows.map((r) => r.state)).toEqual(['closed']);
    // watcher-b sent what came after the kill (at least the resolve).
    expect(afterKillCount()).toBeGreaterThan(0);
    expect(await b.stop()).toBe(0);
  });
});
