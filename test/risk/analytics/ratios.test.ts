import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  annualizedReturn,
  annualizedVolatility,
  calmarRatio,
  downsideDeviation,
  informationRatio,
  sharpeRatio,
  sortinoRatio,
} from '../../../src/risk/analytics/index.ts';
import { expectInvalidField } from './helpers.ts';

describe('Sharpe ratio', () => {
  it('of 1%, 2%, -1%, 3%, 0% daily, step by step, annualised by √252', () => {
    // mean 0.05 / 5 = 0.01; deviations 0, .01, -.02, .02, -.01; squares sum 0.001; sample var 0.001 / 4.
    const perPeriod = 0.01 / Math.sqrt(0.001 / 4); // 0.632455532
    expect(sharpeRatio([0.01, 0.02, -0.01, 0.03, 0])).toBeCloseTo(perPeriod * Math.sqrt(252), 12); // 10.03992
    expect(sharpeRatio([0.01, 0.02, -0.01, 0.03, 0])).toBeCloseTo(10.0399, 4);
    // Crypto trades every day: √365.
    expect(sharpeRatio([0.01, 0.02, -0.01, 0.03, 0], { periodsPerYear: 365 })).toBeCloseTo(perPeriod * Math.sqrt(365), 12);
  });

  it('subtracts an annual risk-free rate per period: 2.52% a year is 0.01% a day', () => {
    const r = [0.01, 0.02, -0.01, 0.03, 0];
    expect(sharpeRatio(r, { riskFree: 0.0252 })).toBeCloseTo(((0.01 - 0.0001) / Math.sqrt(0.001 / 4)) * Math.sqrt(252), 12);
  });

  it('is infinite for a positive constant excess, 0 for zero excess', () => {
    expect(sharpeRatio([0.01, 0.01])).toBe(Infinity);
    expect(sharpeRatio([0, 0])).toBe(0);
  });

  it('property: scaling all returns by k > 0 leaves Sharpe unchanged (rf = 0)', () => {
    fc.assert(
      fc.property(
        // Returns in whole basis points: subnormal doubles would underflow to 0 when scaled.
        fc.array(fc.integer({ min: -2000, max: 2000 }), { minLength: 3, maxLength: 50 }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (bp, k) => {
          const r = bp.map((b) => b / 10_000);
          const s = sharpeRatio(r);
          fc.pre(Number.isFinite(s) && Math.abs(s) > 1e-6);
          expect(sharpeRatio(r.map((x) => x * k)) / s).toBeCloseTo(1, 6);
        },
      ),
    );
  });
});

describe('Sortino ratio', () => {
  it('reproduces Red Rock Capital, "Sortino: A Sharper Ratio": 17, 15, 23, -5, 12, 9, 13, -4% → 4.417', () => {
    const r = [0.17, 0.15, 0.23, -0.05, 0.12, 0.09, 0.13, -0.04];
    // Mean 10%; DD = sqrt((0.05² + 0.04²) / 8) = 2.26%.
    expect(downsideDeviation(r)).toBeCloseTo(Math.sqrt((0.0025 + 0.0016) / 8), 15);
    expect(sortinoRatio(r, { periodsPerYear: 1 })).toBeCloseTo(4.417, 3);
  });

  it('is infinite with no return below target', () => {
    expect(sortinoRatio([0.01, 0.02])).toBe(Infinity);
  });
});

describe('Calmar ratio', () => {
  it('+10%, -20%, +25% over 3 periods of a 3-period year: CAGR 10%, max drawdown 20% → 0.5', () => {
    // Equity 1, 1.1, 0.88, 1.1: growth 1.1 in one year; drawdown (1.1 - 0.88) / 1.1 = 20%.
    expect(annualizedReturn([0.1, -0.2, 0.25], { periodsPerYear: 3 })).toBeCloseTo(0.1, 12);
    expect(calmarRatio([0.1, -0.2, 0.25], { periodsPerYear: 3 })).toBeCloseTo(0.5, 12);
  });

  it('refuses a series that wipes the account out', () => {
    expectInvalidField(() => calmarRatio([0.1, -1]), 'returns');
  });
});

describe('information ratio', () => {
  it('active returns 1%, 0%, 2% monthly: mean 1%, tracking error 1% → 1 × √12 = 3.4641', () => {
    expect(informationRatio([0.02, 0.01, 0.03], [0.01, 0.01, 0.01], { periodsPerYear: 12 })).toBeCloseTo(Math.sqrt(12), 12);
  });

  it('refuses a benchmark of another length', () => {
    expectInvalidField(() => informationRatio([0.01, 0.02], [0.01]), 'benchmark');
  });
});

describe('annualised volatility', () => {
  it('is the sample sd × √periodsPerYear', () => {
    expect(annualizedVolatility([0.01, -0.01])).toBeCloseTo(Math.sqrt(0.0002) * Math.sqrt(252), 15);
    expectInvalidField(() => annualizedVolatility([0.01, -0.01], { periodsPerYear: 0 }), 'periodsPerYear');
  });
});
