import { describe, expect, it } from 'vitest';
import { createSteadyClock } from './clock.js';

/** A wall clock and a monotonic clock the test advances by hand. */
function clocks(start = 1_800_000_000_000) {
  const t = { wall: start, mono: 5_000 };
  return {
    t,
    /** Real time passes: both clocks move. */
    pass(ms: number) {
      t.wall += ms;
      t.mono += ms;
    },
    /** Somebody sets the wall clock: only it moves. */
    step(ms: number) {
      t.wall += ms;
    },
    wall: () => t.wall,
    monotonic: () => t.mono,
  };
}

describe('createSteadyClock', () => {
  it('follows the wall clock while it runs normally', () => {
    const c = clocks();
    const clock = createSteadyClock({ wall: c.wall, monotonic: c.monotonic });
    expect(clock.now()).toBe(c.t.wall);
    c.pass(1_500);
    expect(clock.now()).toBe(c.t.wall);
    expect(clock.offsetMs()).toBe(0);
  });

  it('does not jump with a +600 s step: elapsed time stays monotonic, the step is reported', () => {
    const c = clocks();
    const steps: number[] = [];
    const clock = createSteadyClock({
      wall: c.wall,
      monotonic: c.monotonic,
      onStep: (ms) => steps.push(ms),
    });
    const before = clock.now();
    c.pass(1_000);
    c.step(600_000);
    // 1 s passed; the step is absorbed at 1 % of elapsed time (10 ms of it), never faster.
    expect(clock.now() - before).toBe(1_010);
    expect(steps).toEqual([600_000]);
    c.pass(10_000);
    expect(clock.now() - before).toBe(11_110);
    expect(clock.offsetMs()).toBeCloseTo(600_000 - 110, 6);
  });

  it('never runs backwards when the wall clock is set back', () => {
    const c = clocks();
    const clock = createSteadyClock({ wall: c.wall, monotonic: c.monotonic });
    const before = clock.now();
    c.step(-86_400_000);
    c.pass(2_000);
    const after = clock.now();
    expect(after - before).toBe(1_980); // 2 s passed, 1 % of it spent absorbing the step
  });

  it('converges to the wall clock once the step is absorbed', () => {
    const c = clocks();
    const clock = createSteadyClock({ wall: c.wall, monotonic: c.monotonic, slewRate: 0.1 });
    clock.now();
    c.step(1_500);
    clock.now();
    c.pass(20_000); // 10 % of 20 s = 2 s ≥ the 1.5 s step
    expect(clock.now()).toBe(c.t.wall);
    expect(clock.offsetMs()).toBe(0);
  });
});
