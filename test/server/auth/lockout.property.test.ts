/** The lockout decisions as properties over random failure times (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { afterFailure, afterSuccess, lockedUntil, type FailureRecord, type LockoutPolicy } from '../../../src/server/auth/lockout.ts';

const policy = fc.record({ failures: fc.integer({ min: 1, max: 6 }), windowMs: fc.integer({ min: 1, max: 10_000 }), lockMs: fc.integer({ min: 1, max: 10_000 }) });
/** Gaps between successive failures, in ms. */
const gaps = fc.array(fc.nat({ max: 12_000 }), { maxLength: 40 });

/** `times`: when each counted failure was; `lockedAt`: the indexes (in `times`) of the failures that locked. */
function run(p: LockoutPolicy, steps: readonly number[]): { rec: FailureRecord | undefined; times: number[]; lockedAt: number[] } {
  let t = 0;
  let rec: FailureRecord | undefined;
  const times: number[] = [];
  const lockedAt: number[] = [];
  for (const g of steps) {
    t += g;
    // Attempts while locked are refused before they count (the service checks first).
    if (lockedUntil(rec, t) !== undefined) continue;
    times.push(t);
    rec = afterFailure(rec, t, p);
    if (rec.lockedUntil !== undefined) lockedAt.push(times.length - 1);
  }
  return { rec, times, lockedAt };
}

describe('lockout', () => {
  it('locks exactly when the count reaches the limit within one window, for lock_ms, and never after fewer failures in total', () => {
    fc.assert(
      fc.property(policy, gaps, (p, steps) => {
        const { rec, times, lockedAt } = run(p, steps);
        if (times.length < p.failures) expect(lockedAt).toEqual([]);
        let previous = -1;
        for (const i of lockedAt) {
          // The N failures counted toward this lock came after the previous lock, inside one window.
          expect(i - previous).toBeGreaterThanOrEqual(p.failures);
          expect(times[i]! - times[i - (p.failures - 1)]!).toBeLessThan(p.windowMs);
          previous = i;
        }
        if (rec?.lockedUntil !== undefined) expect(rec.lockedUntil).toBe(times[lockedAt.at(-1)!]! + p.lockMs);
      }),
    );
  });

  it('N failures at one instant lock from then until lock_ms later, and not a moment longer', () => {
    fc.assert(
      fc.property(policy, fc.nat({ max: 1e12 }), (p, t) => {
        let rec: FailureRecord | undefined;
        for (let i = 0; i < p.failures; i++) {
          expect(lockedUntil(rec, t)).toBeUndefined();
          rec = afterFailure(rec, t, p);
        }
        expect(lockedUntil(rec, t)).toBe(t + p.lockMs);
        expect(lockedUntil(rec, t + p.lockMs - 1)).toBe(t + p.lockMs);
        expect(lockedUntil(rec, t + p.lockMs)).toBeUndefined();
      }),
    );
  });

  it('a success takes back its own charge: with nothing counted meanwhile the record is as before; else one failure fewer, never a lock lifted', () => {
    fc.assert(
      fc.property(policy, gaps, fc.nat({ max: 12_000 }), fc.nat({ max: 3 }), (p, steps, gap, others) => {
        const { rec: before } = run(p, steps);
        const t = steps.reduce((a, b) => a + b, 0) + gap;
        fc.pre(lockedUntil(before, t) === undefined);
        const charged = afterFailure(before, t, p);
        expect(afterSuccess(charged, charged, before)).toEqual(before);
        let current: FailureRecord = charged;
        for (let i = 0; i < others && lockedUntil(current, t) === undefined; i++) current = afterFailure(current, t, p);
        const after = afterSuccess(current, charged, before);
        if (current === charged) return;
        if (current.lockedUntil !== undefined) expect(after).toEqual(current);
        else expect(after?.count ?? 0).toBe(current.count - 1);
      }),
    );
  });
});
