import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corruptBlocksPage, writeFilledDb } from './support/corruptDb.js';
import { runCli } from './support/spawnWatcher.js';

const dir = mkdtempSync(join(tmpdir(), 'perpscope-cli-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe.concurrent('perpscope-watcher CLI: invalid configuration exits 2 naming the field', () => {
  it('missing RPC URLs on a chain outside the registry (run)', async () => {
    const cfg = file(
      'missing-rpc.yaml',
      'chains:\n  - key: my-l2\n    chainId: 777\n    name: Mine\n    class: zk\n',
    );
    const r = await runCli(['run', '--config', cfg]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain('chains[0].rpcUrls: required');
  });

  it('a malformed RPC URL (check-config)', async () => {
    const cfg = file('bad-url.yaml', 'chains:\n  - key: base\n    rpcUrls: ["htp:/nope"]\n');
    const r = await runCli(['check-config', '--config', cfg]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain('chains[0].rpcUrls[0]: must be an http(s) URL');
  });

  it('an unknown chain class (JSON config)', async () => {
    const cfg = file(
      'bad-class.json',
      JSON.stringify({
        chains: [
          { key: 'x', chainId: 5, name: 'X', class: 'plasma', rpcUrls: ['http://127.0.0.1:1'] },
        ],
      }),
    );
    const r = await runCli(['check-config', '--config', cfg]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(/chains\[0\]\.class: Invalid option/);
  });

  it('a malformed environment override and an unknown command', async () => {
    const env = await runCli(['check-config'], { PERPSCOPE_PORT: 'eighty' });
    expect(env.code, `signal ${env.signal}; stderr: ${env.stderr}`).toBe(2);
    expect(env.stderr).toContain('PERPSCOPE_PORT');
    const cmd = await runCli(['serve']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("unknown command 'serve'");
  });

  it('HIP-3 thresholds out of order (check-config)', async () => {
    const cfg = file('hip3-order.yaml', 'hip3:\n  thresholds: { l1Fraction: 0.06 }\n');
    const r = await runCli(['check-config', '--config', cfg]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain(
      'hip3.thresholds.l2Fraction: must be greater than l1Fraction (0.06)',
    );
  });

  it('a bad guarded address (check-config) names the field, not the value', async () => {
    const cfg = file(
      'bad-address.yaml',
      'positions:\n  accounts:\n    - { address: "0x12345678901234567890123456789012345678", label: main }\n',
    );
    const r = await runCli(['check-config', '--config', cfg]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    expect(r.stderr).toContain(
      'positions.accounts[0].address: must be a 0x-prefixed 40-hex-digit address',
    );
    expect(r.stderr).not.toContain('12345678901234567890');
  });

  it('a valid config passes check-config', async () => {
    const cfg = file('ok.yaml', 'server: { port: 9999 }\nchains: [base, arbitrum-one]\n');
    const r = await runCli(['check-config', '--config', cfg]);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(0);
    expect(r.stdout).toContain('2 chains [base, arbitrum-one]');
  });
});

// Sequential: a dozen CLI processes started at once on the shared 2-core machine time out.
describe('perpscope-watcher CLI: issue 14 config cases exit 2 naming the field', () => {
  // Issue 14 item 10: each of these passed check-config (or was reported only after a second run).
  it.for([
    {
      what: 'a duplicate custom chain key',
      yaml: 'chains:\n  - { key: mine, chainId: 11, name: A, class: zk, rpcUrls: ["http://127.0.0.1:1"] }\n  - { key: mine, chainId: 12, name: B, class: zk, rpcUrls: ["http://127.0.0.1:2"] }\n',
      env: {},
      expected: ['chains[1].key: duplicate key "mine" (also chains[0])'],
    },
    {
      what: 'an RPC URL with user:password in the file',
      yaml: 'chains:\n  - { key: base, rpcUrls: ["https://user:hunter2@rpc.example/"] }\n',
      env: {},
      expected: ['chains[0].rpcUrls[0]: must not contain user:password'],
    },
    {
      what: 'an RPC URL with user:password in rpcUrlsEnv (the value is not echoed)',
      yaml: 'chains:\n  - { key: base, rpcUrlsEnv: PERPSCOPE_BASE_RPC_URLS }\n',
      env: { PERPSCOPE_BASE_RPC_URLS: 'https://ok.example/k1, https://user:hunter2@rpc.example/' },
      expected: [
        'chains[0].rpcUrlsEnv: URL 2 of PERPSCOPE_BASE_RPC_URLS must not contain user:password',
      ],
    },
    {
      what: 'an unset rpcUrlsEnv variable',
      yaml: 'chains:\n  - { key: mine, chainId: 11, name: A, class: zk, rpcUrlsEnv: PERPSCOPE_MINE_RPC }\n',
      env: {},
      expected: ['chains[0].rpcUrlsEnv: environment variable PERPSCOPE_MINE_RPC is not set'],
    },
    {
      what: 'a Telegram apiBaseUrl that is not http(s)',
      yaml: 'alerts:\n  sinks:\n    - { name: tg, kind: telegram, botTokenEnv: PERPSCOPE_TG, chatId: "1", apiBaseUrl: "file:///etc/passwd" }\n',
      env: { PERPSCOPE_TG: '123:abc' },
      expected: ['alerts.sinks[0].apiBaseUrl: must be an http(s) URL'],
    },
    {
      what: 'an unset sink variable next to another error (both in the first run)',
      yaml: 'server: { port: "eighty" }\nalerts:\n  sinks:\n    - { name: s1, kind: slack, urlEnv: PERPSCOPE_S1 }\n    - { name: s2, kind: telegram, botTokenEnv: PERPSCOPE_S2, chatId: "1" }\n',
      env: {},
      expected: [
        'server.port:',
        'alerts.sinks[0].urlEnv: sink "s1": environment variable PERPSCOPE_S1 is not set',
        'alerts.sinks[1].botTokenEnv: sink "s2": environment variable PERPSCOPE_S2 is not set',
      ],
    },
  ])('$what (check-config)', async ({ what, yaml, env, expected }) => {
    const cfg = file(`${what.replace(/\W+/g, '-')}.yaml`, yaml);
    const r = await runCli(['check-config', '--config', cfg], env);
    expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
    for (const e of expected) expect(r.stderr).toContain(e);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a database path that is a directory: check-config and run both exit 2 naming database.path', async () => {
    const dbDir = join(dir, 'db-is-a-dir');
    mkdirSync(dbDir);
    const cfg = file('db-dir.yaml', `database: { path: ${dbDir} }\nchains: [base]\n`);
    for (const command of ['check-config', 'run']) {
      const r = await runCli([command, '--config', cfg]);
      expect(r.code, `${command}: signal ${r.signal}; stderr: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`database.path: ${dbDir} is a directory`);
    }
  });
});

describe('perpscope-watcher CLI: start-up failures', () => {
  it('a database with a corrupted page: migrate and run exit 1 naming quick_check and the way back', async () => {
    const dbPath = join(dir, 'corrupt.db');
    writeFilledDb(dbPath);
    corruptBlocksPage(dbPath);
    const cfg = file(
      'corrupt.yaml',
      `database: { path: ${dbPath} }\nserver: { port: 0 }\nchains: []\n`,
    );
    for (const command of ['migrate', 'run']) {
      const r = await runCli([command, '--config', cfg]);
      expect(r.code, `${command}: signal ${r.signal}; stderr: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(
        `database ${dbPath} failed its integrity check (PRAGMA quick_check:`,
      );
      expect(r.stderr).toContain('perpscope-watcher backup --to FILE');
    }
  });

  it('demo on a taken port exits 1 naming the cause instead of lingering', async () => {
    const busy = createServer();
    const port = await new Promise<number>((resolve) =>
      busy.listen(0, '127.0.0.1', () => resolve((busy.address() as { port: number }).port)),
    );
    try {
      const r = await runCli(['demo', '--port', String(port), '--db', join(dir, 'demo.db')], {
        // A log level keeps the demo's logs on stdout instead of ./data/demo.log.
        PERPSCOPE_LOG_LEVEL: 'warn',
      });
      expect(r.code, `signal ${r.signal}; stderr: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain('cannot start the demo: listen EADDRINUSE');
    } finally {
      busy.close();
    }
  }, 90_000);
});

describe('perpscope-watcher storage: projected size against the free disk', () => {
  it('prints the projection, and warns on stderr when it exceeds the free disk', async () => {
    const db = join(dir, 'storage.db');
    const fits = file('storage-fits.yaml', `database: { path: ${JSON.stringify(db)} }\n`);
    const ok = await runCli(['storage', '--config', fits]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /projected size once retention windows are full \(\d+ chains, 0 HIP-3 markets\): \d+\.\d\d GB/,
    );
    expect(ok.stderr).not.toContain('warning');
    // A million days of raw blocks (~400 TB) fits no disk this test runs on.
    const huge = file(
      'storage-huge.yaml',
      `database: { path: ${JSON.stringify(db)} }\nretention: { rawDays: 1000000 }\n`,
    );
    const warned = await runCli(['storage', '--config', huge]);
    expect(warned.code, warned.stderr).toBe(0);
    expect(warned.stderr).toMatch(
      /warning: the database is projected to grow to [\d.]+ GB, [\d.]+ GB more than the free disk/,
    );
  });
});
