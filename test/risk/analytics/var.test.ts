import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  historicalCVaR,
  historicalVaR,
  monteCarloVaR,
  mulberry32,
  normalCVaR,
  normalVaR,
  parametricCVaR,
  parametricVaR,
  varReport,
} from '../../../src/risk/analytics/index.ts';
import { expectInvalidField, Z95, Z99 } from './helpers.ts';

/** -5.0%, -4.9%, ..., +4.9%: 100 returns, evenly spaced by 0.1%. */
const LADDER = Array.from({ length: 100 }, (_, i) => i / 1000 - 0.05);

describe('historical VaR and CVaR', () => {
  it('95% 1-day VaR of 100 returns is minus the 5th worst: 4.6%; CVaR the mean of the 5 worst: 4.8%', () => {
    expect(historicalVaR(LADDER, { confidence: 0.95 })).toBeCloseTo(0.046, 15);
    expect(historicalCVaR(LADDER, { confidence: 0.95 })).toBeCloseTo((0.05 + 0.049 + 0.048 + 0.047 + 0.046) / 5, 15);
  });

  it('99% is the single worst, 5%; on 1 000 000 held that is 50 000', () => {
    expect(historicalVaR(LADDER, { confidence: 0.99, value: 1_000_000 })).toBeCloseTo(50_000, 8);
    expect(historicalCVaR(LADDER, { confidence: 0.99, value: 1_000_000 })).toBeCloseTo(50_000, 8);
  });

  it('scales the horizon with overlapping compounded returns, not sqrt-of-time', () => {
    // 2-day windows of [+10%, -10%, +5%, -20%]: -1%, -5.5%, -16%; at 50% k = ceil(1.5) = 2 → 5.5%.
    const r = [0.1, -0.1, 0.05, -0.2];
    expect(historicalVaR(r, { confidence: 0.5, horizon: 2 })).toBeCloseTo(0.055, 15);
    expect(historicalCVaR(r, { confidence: 0.5, horizon: 2 })).toBeCloseTo((0.16 + 0.055) / 2, 15);
  });

  it('reports a gain as a negative VaR', () => {
    expect(historicalVaR([0.01, 0.02, 0.03], { confidence: 0.9 })).toBeCloseTo(-0.01, 15);
  });

  it('refuses bad confidence, horizon and too-short series', () => {
    expectInvalidField(() => historicalVaR(LADDER, { confidence: 1 }), 'confidence');
    expectInvalidField(() => historicalVaR(LADDER, { confidence: 0 }), 'confidence');
    expectInvalidField(() => historicalVaR(LADDER, { horizon: 0 }), 'horizon');
    expectInvalidField(() => historicalVaR(LADDER, { horizon: 1.5 }), 'horizon');
    expectInvalidField(() => historicalVaR([0.01], { horizon: 5 }), 'returns');
    expectInvalidField(() => historicalVaR([], {}), 'returns');
  });
});

describe('parametric (normal) VaR and CVaR', () => {
  it('textbook: 1 000 000 with 1% daily σ, 99%, 10 days = 2.3263479 × 0.01 × √10 × 1e6 ≈ 73 565.6', () => {
    const v = normalVaR(0.01, 0, { confidence: 0.99, horizon: 10, value: 1_000_000 });
    expect(v).toBeCloseTo(Z99 * 0.01 * Math.sqrt(10) * 1_000_000, 6);
    expect(v).toBeCloseTo(73_565.6, 0);
  });

  it('of a 5-return series: σ computed step by step (n - 1), then z σ √h × value', () => {
    const r = [0.01, -0.02, 0.03, -0.01, 0.005];
    // mean = 0.015 / 5 = 0.003; squared deviations 0.000049 + 0.000529 + 0.000729 + 0.000169 + 0.000004 = 0.00148
    const sd = Math.sqrt(0.00148 / 4); // 0.019235384
    expect(parametricVaR(r, { value: 1_000_000 })).toBeCloseTo(Z95 * sd * 1_000_000, 6); // ≈ 31 639.4
    expect(parametricVaR(r, { value: 1_000_000 })).toBeCloseTo(31_639.4, 0);
    expect(parametricVaR(r, { horizon: 5, value: 1_000_000 })).toBeCloseTo(Z95 * sd * Math.sqrt(5) * 1_000_000, 6);
    // With the drift: (z σ - μ) × value.
    expect(parametricVaR(r, { includeMean: true, value: 1_000_000 })).toBeCloseTo((Z95 * sd - 0.003) * 1_000_000, 6);
  });

  it('normal ES is 2.0627σ at 95% and 2.6652σ at 99% (Hull, Risk Management and Financial Institutions)', () => {
    expect(normalCVaR(1, 0, { confidence: 0.95 })).toBeCloseTo(2.0627128, 6);
    expect(normalCVaR(1, 0, { confidence: 0.99 })).toBeCloseTo(2.6652142, 6);
    expect(parametricCVaR([0.01, -0.01, 0.01, -0.01])).toBeCloseTo(2.0627128 * Math.sqrt(0.0004 / 3), 8);
  });
});

describe('Monte Carlo VaR', () => {
  it('is reproducible from its seed', () => {
    const a = monteCarloVaR(LADDER, { rng: mulberry32(1), paths: 2000 });
    const b = monteCarloVaR(LADDER, { rng: mulberry32(1), paths: 2000 });
    expect(a).toEqual(b);
    expect(monteCarloVaR(LADDER, { rng: mulberry32(2), paths: 2000 })).not.toEqual(a);
  });

  it('agrees with the normal formula within 2% at 1 day over 200 000 paths (same model)', () => {
    const sd = 0.02;
    const r = [sd, -sd, sd, -sd, sd, -sd]; // sample sd = 0.02 × sqrt(6/5)
    const s = sd * Math.sqrt(6 / 5);
    const mc = monteCarloVaR(r, { rng: mulberry32(2024), paths: 200_000, confidence: 0.99 });
    expect(mc.var / (Z99 * s)).toBeCloseTo(1, 1);
    expect(Math.abs(mc.var / (Z99 * s) - 1)).toBeLessThan(0.02);
    expect(Math.abs(mc.cvar / normalCVaR(s, 0, { confidence: 0.99 }) - 1)).toBeLessThan(0.02);
  });

  it('needs a seeded rng', () => {
    expectInvalidField(() => monteCarloVaR(LADDER, { rng: undefined as unknown as () => number }), 'rng');
  });
});

describe('VaR report', () => {
  it('has 3 methods × 3 horizons × 2 confidences = 18 rows, CVaR >= VaR in each', () => {
    const rows = varReport(LADDER, { rng: mulberry32(3), paths: 2000, value: 1000 });
    expect(rows).toHaveLength(18);
    expect(new Set(rows.map((r) => r.method))).toEqual(new Set(['historical', 'parametric', 'monte-carlo']));
    for (const r of rows) expect(r.cvar).toBeGreaterThanOrEqual(r.var - 1e-9);
  });
});

describe('VaR properties', () => {
  const returns = fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 30, maxLength: 300 });

  it('CVaR >= VaR and VaR99 >= VaR95 (historical, any horizon)', () => {
    fc.assert(
      fc.property(returns, fc.integer({ min: 1, max: 10 }), (r, h) => {
        const v95 = historicalVaR(r, { confidence: 0.95, horizon: h });
        const v99 = historicalVaR(r, { confidence: 0.99, horizon: h });
        expect(v99).toBeGreaterThanOrEqual(v95);
        expect(historicalCVaR(r, { confidence: 0.95, horizon: h })).toBeGreaterThanOrEqual(v95 - 1e-12);
        expect(historicalCVaR(r, { confidence: 0.99, horizon: h })).toBeGreaterThanOrEqual(v99 - 1e-12);
      }),
    );
  });

  it('CVaR >= VaR and VaR99 >= VaR95 (parametric), and VaR grows with √h', () => {
    fc.assert(
      fc.property(returns, (r) => {
        const v95 = parametricVaR(r, { confidence: 0.95 });
        const v99 = parametricVaR(r, { confidence: 0.99 });
        expect(v99).toBeGreaterThanOrEqual(v95);
        expect(parametricCVaR(r, { confidence: 0.95 })).toBeGreaterThanOrEqual(v95);
        expect(parametricVaR(r, { confidence: 0.95, horizon: 4 })).toBeCloseTo(2 * v95, 12);
      }),
    );
  });
});
