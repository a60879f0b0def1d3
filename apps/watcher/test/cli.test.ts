import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe('perpscope-watcher CLI: start-up failures', () => {
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
