import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Env } from '../env.js';
import { ConfigError } from '../errors.js';
import { loadConfigFile, parseConfig } from './loadConfig.js';

const env = Env.parse({});

function configError(raw: unknown): ConfigError {
  try {
    parseConfig({ raw, source: 'test', env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('chain registry defaults (SPEC §3.1, sequencer.md §1.1, §4.3)', () => {
  const config = parseConfig({ raw: undefined, source: 'test', env });
  const byKey = (k: string) => {
    const c = config.chains.find((x) => x.key === k);
    if (!c) throw new Error(`missing ${k}`);
    return c;
  };

  it('watches the whole registry when no chains are configured, each with at least two RPCs', () => {
    expect(config.chains.map((c) => c.key)).toEqual([
      'arbitrum-one',
      'op-mainnet',
      'base',
      'unichain',
      'zksync-era',
      'scroll',
      'linea',
      'blast',
      'mode',
      'mantle',
      'metis',
      'aevo',
      'hyperevm',
    ]);
    for (const c of config.chains) expect(c.rpcUrls.length, c.key).toBeGreaterThanOrEqual(2);
  });

  it('keys uptime feeds by chainId; Mantle and Scroll share addresses with other chains', () => {
    // Addresses copied from sequencer.md §1.1 (docs.chain.link/data-feeds/l2-sequencer-feeds).
    expect(byKey('arbitrum-one').uptimeFeed?.address).toBe(
      '0xFdB631F5EE196F0ed6FAa767959853A9F217697D',
    );
    expect(byKey('base').uptimeFeed?.address).toBe('0xBCF85224fc0756B9Fa45aA7892530B47e10b6433');
    expect(byKey('mantle').uptimeFeed?.address).toBe('0xaDE1b9AbB98c6A542E4B49db2588a3Ec4bF7Cdf0');
    expect(byKey('linea').uptimeFeed).toEqual({
      kind: 'linea',
      address: '0x3ae6ea694a52748e517486b962250eb20d98535d',
    });
    expect(byKey('blast').uptimeFeed).toBeNull();
  });

  it('applies the per-class thresholds of sequencer.md §4.3', () => {
    const op = byKey('op-mainnet').thresholds;
    expect([
      op.degradedAfterSeconds,
      op.haltedAfterSeconds,
      op.safeLagWarnSeconds,
      op.safeLagCritSeconds,
    ]).toEqual([20, 60, 600, 1800]);
    expect(byKey('unichain').thresholds.degradedAfterSeconds).toBe(10);
    const arb = byKey('arbitrum-one');
    expect([arb.thresholds.degradedAfterSeconds, arb.thresholds.haltedAfterSeconds]).toEqual([
      30, 120,
    ]);
    expect([arb.thresholds.safeLagWarnSeconds, arb.thresholds.safeLagCritSeconds]).toEqual([
      1800, 3900,
    ]);
    expect(arb.traits.probe).toBe(true);
    expect(byKey('linea').thresholds.haltedAfterSeconds).toBe(60);
    expect([
      byKey('metis').thresholds.degradedAfterSeconds,
      byKey('metis').thresholds.haltedAfterSeconds,
    ]).toEqual([300, 600]);
    expect(byKey('zksync-era').thresholds.haltedAfterSeconds).toBe(120);
    expect(op.recoveryGraceSeconds).toBe(3600);
  });
});

describe('config errors name the field', () => {
  it('a chain outside the registry without RPC URLs', () => {
    const e = configError({ chains: [{ key: 'my-l2', chainId: 777, name: 'Mine', class: 'zk' }] });
    expect(e.issues.map((i) => i.path)).toEqual(['chains[0].rpcUrls']);
    expect(e.message).toContain('chains[0].rpcUrls');
  });

  it('a malformed RPC URL', () => {
    const e = configError({ chains: ['base', { key: 'op-mainnet', rpcUrls: ['not a url'] }] });
    expect(e.issues).toEqual([{ path: 'chains[1].rpcUrls[0]', message: 'must be an http(s) URL' }]);
  });

  it('an unknown chain class', () => {
    const e = configError({
      chains: [{ key: 'x', chainId: 1, name: 'X', class: 'sidechain', rpcUrls: ['http://a'] }],
    });
    expect(e.issues[0]?.path).toBe('chains[0].class');
  });

  it('halted must come after degraded, and unknown top-level sections are rejected', () => {
    expect(
      configError({ chains: [{ key: 'base', thresholds: { haltedAfterSeconds: 5 } }] }).issues[0]
        ?.path,
    ).toBe('chains[0].thresholds.haltedAfterSeconds');
    expect(configError({ chainz: [] }).message).toContain('chainz');
  });

  it('duplicate chain ids', () => {
    const e = configError({
      chains: [
        'base',
        { key: 'other', chainId: 8453, name: 'B2', class: 'op-stack', rpcUrls: ['http://x'] },
      ],
    });
    expect(e.issues[0]?.path).toBe('chains[1].chainId');
  });
});

describe('loadConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpscope-config-'));

  it('reads YAML and applies env overrides on top', () => {
    const file = join(dir, 'a.yaml');
    writeFileSync(
      file,
      'server:\n  port: 9000\nchains:\n  - base\n  - key: arbitrum-one\n    pollIntervalMs: 750\n',
    );
    const config = loadConfigFile({
      path: file,
      env: Env.parse({ PERPSCOPE_PORT: '9100', PERPSCOPE_DB: ':memory:' }),
    });
    expect(config.server.port).toBe(9100);
    expect(config.database.path).toBe(':memory:');
    expect(config.chains.map((c) => [c.key, c.pollIntervalMs])).toEqual([
      ['base', 2000],
      ['arbitrum-one', 750],
    ]);
  });

  it('reads JSON', () => {
    const file = join(dir, 'a.json');
    writeFileSync(file, JSON.stringify({ chains: ['linea'] }));
    expect(loadConfigFile({ path: file, env }).chains[0]?.chainId).toBe(59144);
  });

  it('reports an unreadable file', () => {
    expect(() => loadConfigFile({ path: join(dir, 'missing.yaml'), env })).toThrow(
      /cannot read file/,
    );
  });
});

describe('chains[].rpcUrlsEnv (RPC URLs with provider keys live in the environment)', () => {
  it('takes the URLs from the variable, whitespace- or comma-separated', () => {
    const config = parseConfig({
      raw: { chains: [{ key: 'base', rpcUrlsEnv: 'PERPSCOPE_BASE_RPC_URLS' }] },
      source: 'test',
      env,
      readSecret: (name) =>
        name === 'PERPSCOPE_BASE_RPC_URLS'
          ? 'https://base.example/v2/k1,\n https://other.example/?apikey=k2'
          : undefined,
    });
    expect(config.chains[0]?.rpcUrls).toEqual([
      'https://base.example/v2/k1',
      'https://other.example/?apikey=k2',
    ]);
  });

  it('rejects rpcUrls and rpcUrlsEnv together, naming the field', () => {
    const e = configError({
      chains: [{ key: 'base', rpcUrls: ['https://a.example'], rpcUrlsEnv: 'PERPSCOPE_X' }],
    });
    expect(e.issues).toEqual([
      { path: 'chains[0].rpcUrlsEnv', message: 'give either rpcUrls or rpcUrlsEnv, not both' },
    ]);
  });
});
