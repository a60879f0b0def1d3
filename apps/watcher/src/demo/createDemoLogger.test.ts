import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test, vi } from 'vitest';
import { createDemoLogger } from './createDemoLogger.js';

let dir: string | null = null;
afterEach(() => {
  vi.restoreAllMocks();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

test('logs JSON to the file, keeps stdout for the narration and still shows errors on stderr', () => {
  dir = mkdtempSync(join(tmpdir(), 'perpscope-demo-log-'));
  const file = join(dir, 'nested', 'demo.log');
  const stdout = vi.spyOn(process.stdout, 'write');
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const logger = createDemoLogger({ file });
  logger.warn({ ms: 70 }, 'slow poll write');
  logger.error({ chain: 'a' }, 'something broke');
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { msg: string; level: number });
  expect(lines.map((l) => l.msg)).toEqual(['slow poll write', 'something broke']);
  expect(stdout).not.toHaveBeenCalled();
  const errOut = stderr.mock.calls.map((c) => String(c[0])).join('');
  expect(errOut).toContain('something broke');
  expect(errOut).not.toContain('slow poll write');
});
