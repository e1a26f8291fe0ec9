import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { drawdownSeries, equityCurve, maxDrawdown } from '../../../src/risk/analytics/index.ts';
import { expectInvalidField } from './helpers.ts';

describe('maximum drawdown', () => {
  it('100, 120, 90, 110, 130, 125: peak 120 at 1, trough 90 at 2, depth 30/120 = 25%, recovered at 4, 3 periods', () => {
    const dd = maxDrawdown([100, 120, 90, 110, 130, 125], ['d0', 'd1', 'd2', 'd3', 'd4', 'd5']);
    expect(dd).toMatchObject({
      depth: 0.25,
      amount: 30,
      peakIndex: 1,
      troughIndex: 2,
      peakValue: 120,
      troughValue: 90,
      recoveryIndex: 4,
      duration: 3,
      declineDuration: 1,
      peakTime: 'd1',
      troughTime: 'd2',
      recoveryTime: 'd4',
    });
  });

  it('an unrecovered fall lasts to the end of the series: 100, 80, 90 → 20%, recovery null, duration 2', () => {
    expect(maxDrawdown([100, 80, 90])).toMatchObject({ depth: 0.2, recoveryIndex: null, duration: 2, troughIndex: 1 });
    expect(maxDrawdown([100, 80, 90], [1, 2, 3]).recoveryTime).toBeNull();
  });

  it('keeps the deepest of several: 100, 90 (10%), 100, 150, 120 (20%), 160', () => {
    expect(maxDrawdown([100, 90, 100, 150, 120, 160])).toMatchObject({ depth: 0.2, peakIndex: 3, troughIndex: 4, recoveryIndex: 5 });
  });

  it('is 0 for a curve that never falls', () => {
    expect(maxDrawdown([1, 2, 3])).toMatchObject({ depth: 0, duration: 0 });
  });

  it('drawdown series and equity curve', () => {
    expect(drawdownSeries([100, 50, 100, 200, 150])).toEqual([0, 0.5, 0, 0, 0.25]);
    const e = equityCurve([0.1, -0.5], 100);
    expect(e[0]).toBe(100);
    expect(e[1]).toBeCloseTo(110, 12);
    expect(e[2]).toBeCloseTo(55, 12);
  });

  it('refuses a non-positive starting equity and mislabelled times', () => {
    expectInvalidField(() => maxDrawdown([0, 1]), 'equity[0]');
    expectInvalidField(() => maxDrawdown([1, 2], [1]), 'times');
  });

  it('property: for positive equity the depth is in [0, 1] and the trough is not before the peak', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (eq) => {
        const dd = maxDrawdown(eq);
        expect(dd.depth).toBeGreaterThanOrEqual(0);
        expect(dd.depth).toBeLessThanOrEqual(1);
        expect(dd.troughIndex).toBeGreaterThanOrEqual(dd.peakIndex);
        expect(dd.depth).toBeCloseTo(Math.max(...drawdownSeries(eq)), 12);
      }),
    );
  });
});
