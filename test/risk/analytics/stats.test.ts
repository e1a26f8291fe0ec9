import { describe, expect, it } from 'vitest';
import {
  cholesky,
  compoundedReturns,
  lowerQuantile,
  mean,
  mulberry32,
  normalQuantile,
  normalSource,
  normalPdf,
  simpleReturns,
  stdev,
  variance,
} from '../../../src/risk/analytics/index.ts';
import { expectInvalidField, Z95, Z99 } from './helpers.ts';

describe('statistics', () => {
  it('simple returns: 100 → 110 → 99 gives +10%, -10%', () => {
    const r = simpleReturns([100, 110, 99]);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(-0.1, 15);
  });

  it('sample variance of 1, 2, 3, 4 is 5/3 (n - 1); population 5/4', () => {
    expect(variance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 15);
    expect(variance([1, 2, 3, 4], false)).toBeCloseTo(1.25, 15);
    expect(stdev([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
  });

  it('lower empirical quantile: 5% of 1..100 is the 5th smallest, 5; 1% is 1; 0.5% is still 1', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(lowerQuantile(xs, 0.05)).toBe(5);
    expect(lowerQuantile(xs, 1 - 0.95)).toBe(5); // 100 × 0.050000000000000044 still counts as 5
    expect(lowerQuantile(xs, 0.01)).toBe(1);
    expect(lowerQuantile(xs, 0.005)).toBe(1);
  });

  it('compounds overlapping 2-day windows: (1.1)(0.9) - 1 = -0.01, (0.9)(1.05) - 1 = -0.055', () => {
    const r = compoundedReturns([0.1, -0.1, 0.05], 2);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(-0.01, 15);
    expect(r[1]).toBeCloseTo(-0.055, 15);
  });

  it('Cholesky of [[4, 2], [2, 3]] is [[2, 0], [1, √2]]', () => {
    const l = cholesky([[4, 2], [2, 3]]);
    expect(l[0]).toEqual([2, 0]);
    expect(l[1]?.[0]).toBe(1);
    expect(l[1]?.[1]).toBeCloseTo(Math.SQRT2, 15);
    expectInvalidField(() => cholesky([[1, 2], [2, 1]]), 'covariance');
  });

  it('refuses empty, too short or non-finite series and non-positive prices', () => {
    expectInvalidField(() => mean([]), 'values');
    expectInvalidField(() => variance([1]), 'values');
    expectInvalidField(() => mean([1, Number.NaN]), 'values[1]');
    expectInvalidField(() => simpleReturns([100, 0, 5]), 'prices[1]');
  });
});

describe('normal distribution', () => {
  it('quantiles match the published values to 1e-14: 95% 1.6448536, 97.5% 1.9599640, 99% 2.3263479', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(Z95, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.99)).toBeCloseTo(Z99, 14);
    expect(normalQuantile(0.05)).toBeCloseTo(-Z95, 14);
    expect(normalQuantile(0.5)).toBe(0);
    // Tail branch (r > 5): Φ⁻¹(1e-12) = -7.034483825 (R: qnorm(1e-12)).
    expect(normalQuantile(1e-12)).toBeCloseTo(-7.034483825, 8);
    expectInvalidField(() => normalQuantile(1), 'p');
  });

  it('density at 0 is 1/√(2π) = 0.3989423', () => {
    expect(normalPdf(0)).toBeCloseTo(0.3989422804014327, 15);
  });
});

describe('seeded random source', () => {
  it('is reproducible: the same seed gives the same sequence, another seed another one', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    // Regression values of this implementation (mulberry32, seed 1), not a published table.
    const g = mulberry32(1);
    expect([g(), g(), g()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('is uniform on [0, 1) (mean 1/2, variance 1/12) and Box-Muller gives N(0, 1) over 200 000 draws', () => {
    const u = mulberry32(7);
    const us = Array.from({ length: 200_000 }, () => u());
    expect(us.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mean(us)).toBeCloseTo(0.5, 2);
    expect(variance(us)).toBeCloseTo(1 / 12, 3);
    const z = normalSource(mulberry32(7));
    const zs = Array.from({ length: 200_000 }, () => z());
    expect(mean(zs)).toBeCloseTo(0, 2);
    expect(stdev(zs)).toBeCloseTo(1, 2);
    // P(Z < -1.6448536) = 5%: within ±0.25% of draws.
    expect(zs.filter((x) => x < -Z95).length / zs.length).toBeCloseTo(0.05, 2);
  });
});
