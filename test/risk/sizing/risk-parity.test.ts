import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  equalRiskContributionSizes,
  equalRiskContributionWeights,
  inverseVolatilitySizes,
  inverseVolatilityWeights,
  riskContributions,
  volatilitiesOf,
} from '../../../src/risk/sizing/index.ts';
import { AAPL, BTCUSDT, expectInvalidField } from './fixtures.ts';

function covFrom(vols: number[], corr: number[][]): number[][] {
  return corr.map((row, i) => row.map((c, j) => c * (vols[i] as number) * (vols[j] as number)));
}

describe('inverse volatility', () => {
  it('weights 10%, 20%, 40% vols as 1/σ normalised: 4/7, 2/7, 1/7', () => {
    const w = inverseVolatilityWeights([0.1, 0.2, 0.4]);
    [4 / 7, 2 / 7, 1 / 7].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 15));
  });

  it('sizes legs from a balance: 70 000 split 4/7, 2/7, 1/7 → 40 000 / 20 000 / 10 000 notional', () => {
    const [a, b, c] = inverseVolatilitySizes(70_000, [
      { instrument: AAPL, price: 100, volatility: 0.1 },
      { instrument: AAPL, price: 100, volatility: 0.2 },
      { instrument: BTCUSDT, price: 20_000, volatility: 0.4 },
    ]);
    expect(a?.quantity.toString()).toBe('400');
    expect(b?.quantity.toString()).toBe('200');
    expect(c?.quantity.toString()).toBe('0.50000');
    // Every leg carries the same stand-alone risk: 40 000 × 0.1 = 20 000 × 0.2 = 10 000 × 0.4 = 4 000.
    for (const r of [a, b, c]) expect(r?.riskAmount).toBeCloseTo(4000, 8);
  });

  it('refuses a zero volatility', () => {
    expectInvalidField(() => inverseVolatilityWeights([0.1, 0]), 'volatilities[1]');
  });
});

describe('equal risk contribution (cyclical coordinate descent)', () => {
  it('reproduces Maillard, Roncalli & Teïletche (2010), 4-asset example: 38.4%, 19.2%, 24.3%, 18.2%', () => {
    // σ = 10, 20, 30, 40%; ρ12 = 0.8, ρ34 = -0.5, others 0 (J. Portfolio Management 36(4), section "An example").
    const cov = covFrom([0.1, 0.2, 0.3, 0.4], [[1, 0.8, 0, 0], [0.8, 1, 0, 0], [0, 0, 1, -0.5], [0, 0, -0.5, 1]]);
    const r = equalRiskContributionWeights(cov);
    expect(r.converged).toBe(true);
    [0.384, 0.192, 0.243, 0.182].forEach((x, i) => expect(r.weights[i]).toBeCloseTo(x, 3));
    r.riskContributions.forEach((rc) => expect(rc).toBeCloseTo(0.25, 9));
  });

  it('equals inverse volatility for two assets whatever their correlation: σ 10%, 20% → 2/3, 1/3', () => {
    const r = equalRiskContributionWeights(covFrom([0.1, 0.2], [[1, 0.7], [0.7, 1]]));
    expect(r.weights[0]).toBeCloseTo(2 / 3, 9);
    expect(r.weights[1]).toBeCloseTo(1 / 3, 9);
  });

  it('equals inverse volatility under a constant correlation: σ 10, 20, 30%, ρ 0.3 → 6/11, 3/11, 2/11', () => {
    const r = equalRiskContributionWeights(covFrom([0.1, 0.2, 0.3], [[1, 0.3, 0.3], [0.3, 1, 0.3], [0.3, 0.3, 1]]));
    [6 / 11, 3 / 11, 2 / 11].forEach((x, i) => expect(r.weights[i]).toBeCloseTo(x, 9));
  });

  it('honours risk budgets: 2 uncorrelated assets of equal vol with budgets 3:1 → weights √3:1', () => {
    // RC_i ∝ w_i² when uncorrelated and equal vol, so w ∝ sqrt(b).
    const r = equalRiskContributionWeights([[0.04, 0], [0, 0.04]], { budgets: [3, 1] });
    expect(r.weights[0]).toBeCloseTo(Math.sqrt(3) / (1 + Math.sqrt(3)), 9);
    expect(r.riskContributions[0]).toBeCloseTo(0.75, 9);
  });

  it('sizes legs whose annualised risk contributions are equal', () => {
    const cov = covFrom([0.01, 0.02], [[1, 0.5], [0.5, 1]]); // daily
    const legs = [{ instrument: AAPL, price: 100 }, { instrument: AAPL, price: 50 }];
    const [a, b] = equalRiskContributionSizes(90_000, legs, cov);
    expect(a?.quantity.toString()).toBe('600'); // 2/3 × 90 000 / 100
    expect(b?.quantity.toString()).toBe('600'); // 1/3 × 90 000 / 50
    expect(a?.riskAmount).toBeCloseTo(b?.riskAmount ?? Number.NaN, 6);
    expect(volatilitiesOf(cov)[0]).toBeCloseTo(0.01 * Math.sqrt(252), 15);
  });

  it('refuses a non-square, asymmetric or zero-variance covariance', () => {
    expectInvalidField(() => equalRiskContributionWeights([[1, 0]]), 'covariance');
    expectInvalidField(() => equalRiskContributionWeights([[1, 0.5], [0.4, 1]]), 'covariance');
    expectInvalidField(() => equalRiskContributionWeights([[0, 0], [0, 1]]), 'covariance[0][0]');
  });

  it('property: on random positive definite matrices it converges to equal contributions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 6 }).chain((n) => fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }), { minLength: n, maxLength: n })),
        (a) => {
          const n = a.length;
          // Σ = A Aᵀ + 0.01 I is positive definite.
          const cov = a.map((ri, i) => a.map((rj, j) => ri.reduce((s, x, k) => s + x * (rj[k] as number), 0) + (i === j ? 0.01 : 0)));
          const r = equalRiskContributionWeights(cov);
          expect(r.converged).toBe(true);
          expect(r.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
          r.weights.forEach((w) => expect(w).toBeGreaterThan(0));
          riskContributions(r.weights, cov).forEach((rc) => expect(rc).toBeCloseTo(1 / n, 8));
        },
      ),
      { numRuns: 200 },
    );
  });
});
