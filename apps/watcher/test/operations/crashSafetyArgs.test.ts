import { describe, expect, it } from 'vitest';
import { parseCrashSafetyArgs } from '../../scripts/crashSafety.js';

describe('crash-safety command line (scripts/crashSafety.ts)', () => {
  it('accepts the `--` pnpm passes before the script arguments', () => {
    // `pnpm --filter @perpscope/watcher crash-safety -- --kills 50` runs `tsx scripts/crashSafety.ts -- --kills 50`.
    expect(parseCrashSafetyArgs(['--', '--kills', '50', '--seed', '7'])).toEqual({
      kills: 50,
      seed: 7,
      tsx: false,
      postgres: false,
    });
    expect(parseCrashSafetyArgs(['--kills', '3', '--tsx'], 11)).toEqual({
      kills: 3,
      seed: 11,
      tsx: true,
      postgres: false,
    });
    expect(parseCrashSafetyArgs([], 5)).toEqual({
      kills: 20,
      seed: 5,
      tsx: false,
      postgres: false,
    });
    expect(parseCrashSafetyArgs(['--postgres'], 5).postgres).toBe(true);
  });

  it('names a bad value or an unknown argument', () => {
    expect(() => parseCrashSafetyArgs(['--kills', 'many'])).toThrow(
      '--kills: must be a positive integer (got "many")',
    );
    expect(() => parseCrashSafetyArgs(['--kills', '0'])).toThrow('--kills');
    expect(() => parseCrashSafetyArgs(['--seed', '-1'])).toThrow('--seed');
    expect(() => parseCrashSafetyArgs(['--', 'extra'])).toThrow(/extra/);
    expect(() => parseCrashSafetyArgs(['--kils', '5'])).toThrow(/kils/);
  });
});
