import { describe, expect, it } from 'vitest';
import { componentVaR, mulberry32, portfolioMonteCarloVaR, portfolioParametricCVaR, portfolioParametricVaR } from '../../../src/risk/analytics/index.ts';
import { expectInvalidField, Z95 } from './helpers.ts';

// Two positions, 1 000 000 and 500 000; daily σ 2% and 3%, ρ 0.5.
// Σ = [[4e-4, 3e-4], [3e-4, 9e-4]]; Σv = [550, 750]; vᵀΣv = 5.5e8 + 3.75e8 = 9.25e8; σ_p = 30 413.81.
const V = [1_000_000, 500_000];
const COV = [
  [4e-4, 3e-4],
  [3e-4, 9e-4],
];
const SD = Math.sqrt(9.25e8);

describe('portfolio VaR and component VaR (Jorion, Value at Risk, ch. 7)', () => {
  it('portfolio VaR 95% = 1.6448536 × 30 413.81 ≈ 50 026', () => {
    expect(portfolioParametricVaR(V, COV)).toBeCloseTo(Z95 * SD, 6);
    expect(portfolioParametricVaR(V, COV, { horizon: 10 })).toBeCloseTo(Z95 * SD * Math.sqrt(10), 6);
    expect(portfolioParametricCVaR(V, COV)).toBeGreaterThan(portfolioParametricVaR(V, COV));
  });

  it('splits into components z v_i (Σv)_i / σ_p: 59.46% and 40.54%, summing to the total', () => {
    const c = componentVaR(V, COV);
    expect(c.portfolioSd).toBeCloseTo(SD, 8);
    expect(c.marginal[0]).toBeCloseTo((Z95 * 550) / SD, 12);
    expect(c.component[0]).toBeCloseTo((Z95 * 5.5e8) / SD, 6);
    expect(c.component[1]).toBeCloseTo((Z95 * 3.75e8) / SD, 6);
    expect(c.percent[0]).toBeCloseTo(5.5 / 9.25, 12);
    expect(c.percent[1]).toBeCloseTo(3.75 / 9.25, 12);
    expect((c.component[0] ?? 0) + (c.component[1] ?? 0)).toBeCloseTo(c.portfolioVaR, 6);
  });

  it('a hedge has a negative component', () => {
    const c = componentVaR([1_000_000, -400_000], [[4e-4, 3.6e-4], [3.6e-4, 4e-4]]);
    expect(c.component[1]).toBeLessThan(0);
  });

  it('Monte Carlo with correlated draws agrees with the formula within 2% at 1 day (200 000 paths)', () => {
    const mc = portfolioMonteCarloVaR(V, COV, { rng: mulberry32(99), paths: 200_000 });
    expect(Math.abs(mc.var / (Z95 * SD) - 1)).toBeLessThan(0.02);
    expect(mc.cvar).toBeGreaterThan(mc.var);
  });

  it('refuses a covariance of the wrong size', () => {
    expectInvalidField(() => componentVaR([1, 2, 3], COV), 'covariance');
  });
});
