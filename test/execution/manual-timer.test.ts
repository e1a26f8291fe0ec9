import { describe, expect, it } from 'vitest';
import { TestClock } from '../../src/engine/clock.ts';
import { ManualTimer } from '../../src/execution/timer.ts';

describe('ManualTimer.runDue (a backtest moves the clock itself, bar by bar)', () => {
  it('with timers at 100, 200 and 300 ms and the clock at 250: fires 100 then 200 (and one the first schedules with no delay, due at 250), leaves 300, and never moves the clock', () => {
    const clock = new TestClock(0);
    const timer = new ManualTimer(clock);
    const fired: number[] = [];
    timer.schedule(200, () => fired.push(200));
    timer.schedule(100, () => {
      fired.push(100);
      timer.schedule(0, () => fired.push(250));
    });
    timer.schedule(300, () => fired.push(300));
    clock.set(250);
    expect(timer.runDue()).toBe(3);
    expect(fired).toEqual([100, 200, 250]);
    expect(clock.now()).toBe(250);
    expect(timer.pending).toBe(1);
  });
});
