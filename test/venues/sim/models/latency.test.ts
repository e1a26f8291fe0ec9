import { describe, expect, it } from 'vitest';
import { ConstantLatency, RandomLatency } from '../../../../src/venues/sim/models/latency.ts';
import { expectError } from './fixtures.ts';

const draws = (m: RandomLatency, n: number) => Array.from({ length: n }, () => [m.submitMs(), m.modifyMs(), m.cancelMs()]).flat();

describe('constant latency', () => {
  it('submit 50 ms, modify 30 ms, cancel 20 ms, every time', () => {
    const m = ConstantLatency.fromConfig({ submit_ms: 50, modify_ms: 30, cancel_ms: 20 });
    expect([m.submitMs(), m.modifyMs(), m.cancelMs(), m.submitMs()]).toEqual([50, 30, 20, 50]);
  });
  it('modify and cancel default to submit: 12 ms', () => {
    const m = ConstantLatency.fromConfig({ submit_ms: 12 });
    expect([m.modifyMs(), m.cancelMs()]).toEqual([12, 12]);
  });
  it('refuses −1 ms and a missing submit_ms (INVALID_FIELD)', () => {
    expectError(() => ConstantLatency.fromConfig({ submit_ms: 5, cancel_ms: -1 }), 'INVALID_FIELD', { field: 'cancel_ms' });
    expectError(() => ConstantLatency.fromConfig({}), 'INVALID_FIELD', { field: 'submit_ms' });
  });
});

describe('seeded random latency', () => {
  const cfg = (seed: number, distribution: 'NORMAL' | 'LOGNORMAL' = 'NORMAL') =>
    RandomLatency.fromConfig({ seed, distribution, submit: { mean_ms: 50, stdev_ms: 10, floor_ms: 35 }, cancel: { mean_ms: 20, stdev_ms: 5 } });

  it('seed 7 gives the same 300 delays twice; seed 8 gives others', () => {
    expect(draws(cfg(7), 100)).toEqual(draws(cfg(7), 100));
    expect(draws(cfg(7), 100)).not.toEqual(draws(cfg(8), 100));
    expect(draws(cfg(7, 'LOGNORMAL'), 100)).toEqual(draws(cfg(7, 'LOGNORMAL'), 100));
  });

  it('never goes below the 35 ms floor on submit (normal mean 50, stdev 10), and some draws sit exactly on it', () => {
    const m = cfg(1);
    const s = Array.from({ length: 5000 }, () => m.submitMs());
    expect(Math.min(...s)).toBe(35);
    expect(s.filter((x) => x === 35).length).toBeGreaterThan(0);
  });

  it('normal mean 20, stdev 5 for cancels: 10,000 draws average 20 ± 0.3', () => {
    const m = cfg(3);
    const c = Array.from({ length: 10_000 }, () => m.cancelMs());
    expect(Math.abs(c.reduce((a, b) => a + b, 0) / c.length - 20)).toBeLessThan(0.3);
  });

  it('lognormal mean 50, stdev 10: 20,000 draws average 50 ± 0.5, all positive, right-skewed (median < mean)', () => {
    const m = RandomLatency.fromConfig({ seed: 11, distribution: 'LOGNORMAL', submit: { mean_ms: 50, stdev_ms: 10 } });
    const s = Array.from({ length: 20_000 }, () => m.submitMs()).sort((a, b) => a - b);
    const mean = s.reduce((a, b) => a + b, 0) / s.length;
    expect(Math.abs(mean - 50)).toBeLessThan(0.5);
    expect(s[0]).toBeGreaterThan(0);
    expect(s[10_000]).toBeLessThan(mean);
  });

  it('stdev 0 gives exactly the mean: 42 ms', () => {
    const m = RandomLatency.fromConfig({ seed: 1, submit: { mean_ms: 42, stdev_ms: 0 } });
    expect([m.submitMs(), m.modifyMs(), m.cancelMs()]).toEqual([42, 42, 42]);
  });

  it('refuses a missing submit, a negative stdev, an unknown per-action field, lognormal mean 0 (INVALID_FIELD with the path)', () => {
    expectError(() => RandomLatency.fromConfig({ seed: 1 }), 'INVALID_FIELD', { field: 'submit' });
    expectError(() => RandomLatency.fromConfig({ seed: 1, submit: { mean_ms: 5, stdev_ms: -1 } }), 'INVALID_FIELD', { field: 'submit.stdev_ms' });
    expectError(() => RandomLatency.fromConfig({ seed: 1, submit: { mean_ms: 5, stdev_ms: 1, jitter: 2 } }), 'INVALID_FIELD', { field: 'submit.jitter' });
    expectError(() => RandomLatency.fromConfig({ seed: 1, distribution: 'LOGNORMAL', submit: { mean_ms: 0, stdev_ms: 1 } }), 'INVALID_FIELD', { field: 'submit.mean_ms' });
  });
});
