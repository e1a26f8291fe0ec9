import { describe, expect, it } from 'vitest';
import { computeMetrics, inferPeriodsPerYear } from '../../src/backtest/metrics.ts';
import { monthlyReturns } from '../../src/backtest/report.ts';

const H = 3_600_000;
const DAY = 86_400_000;
/** A quarter of a 365.25-day year. */
const Q = (365.25 / 4) * DAY;

describe('backtest metrics', () => {
  // Equity 100 → 110 → 99 → 108.9 a quarter apart: returns +10%, −10%, +10%; 4 periods a year.
  // mean r = 1/30 = 0.033333; sample sd = sqrt(((1/15)² + (2/15)² + (1/15)²) / 2) = sqrt(0.0133333) = 0.1154701
  // Sharpe = 0.033333 / 0.1154701 × √4 = 0.5773503
  // downside deviation = sqrt(0.1² / 3) = 0.0577350; Sortino = 0.033333 / 0.0577350 × 2 = 1.1547005
  // volatility = 0.1154701 × 2 = 0.2309401
  // total return = 108.9 / 100 − 1 = 0.089; CAGR over 3 quarters = 1.089^(1/0.75) − 1 = 0.1203930
  // max drawdown 110 → 99 = 10%, from index 1, never recovered (108.9 < 110): 2 bars, 2 quarters
  // Calmar = 0.1203930 / 0.1 = 1.203930
  const m = computeMetrics({
    times: [0, Q, 2 * Q, 3 * Q],
    equity: [100, 110, 99, 108.9],
    // trades: +10, −5, +20, −10
    tradePnls: [10, -5, 20, -10],
    bars: 3,
    exposureBars: 2,
    feesPaid: '1.23000000',
    breakerTrips: 1,
    periodsPerYear: 4,
  });

  it('computes return, CAGR, volatility, Sharpe, Sortino and Calmar by hand', () => {
    expect(m.totalReturn).toBeCloseTo(0.089, 12);
    expect(m.cagr).toBeCloseTo(1.089 ** (4 / 3) - 1, 12);
    expect(m.cagr).toBeCloseTo(0.120393, 6);
    expect(m.annualVolatility).toBeCloseTo(0.2309401, 6);
    expect(m.sharpe).toBeCloseTo(0.5773503, 6);
    expect(m.sortino).toBeCloseTo(1.1547005, 6);
    expect(m.calmar).toBeCloseTo(1.20393, 5);
  });

  it('takes CAGR over the elapsed time, whatever the periods a year or the bar count', () => {
    // The same curve over 3 hours: 1.089 to the power 8,766 h / 3 h = 2,922, not 4/3.
    const fast = computeMetrics({ times: [0, H, 2 * H, 3 * H], equity: [100, 110, 99, 108.9], tradePnls: [], bars: 3, exposureBars: 0, feesPaid: '0', breakerTrips: 0, periodsPerYear: 4 });
    expect(fast.cagr! / (1.089 ** 2922 - 1)).toBeCloseTo(1, 9);
    // Over 3 years with 4 periods a year given: 1.089^(1/3) − 1, not 1.089^(4/3) − 1.
    const slow = computeMetrics({ times: [0, 4 * Q, 8 * Q, 12 * Q], equity: [100, 110, 99, 108.9], tradePnls: [], bars: 3, exposureBars: 0, feesPaid: '0', breakerTrips: 0, periodsPerYear: 4 });
    expect(slow.cagr).toBeCloseTo(1.089 ** (1 / 3) - 1, 12);
    expect(slow.sharpe).toBeCloseTo(0.5773503, 6); // Sharpe still scales by √4
    expect(slow.annualisation).toBe('as given');
  });

  it('finds the max drawdown of 10% lasting 2 bars (2 quarters, not recovered)', () => {
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.maxDrawdownDurationBars).toBe(2);
    expect(m.maxDrawdownDurationMs).toBe(2 * Q);
    expect(m.maxDrawdownPeakTime).toBe(Q);
    expect(m.maxDrawdownTroughTime).toBe(2 * Q);
    expect(m.maxDrawdownRecoveryTime).toBeNull();
  });

  it('computes trade figures: win rate 50%, profit factor 30/15 = 2, expectancy 15/4 = 3.75, avg win 15, avg loss −7.5', () => {
    expect(m.trades).toBe(4);
    expect(m.winRate).toBe(0.5);
    expect(m.profitFactor).toBe(2);
    expect(m.expectancy).toBe(3.75);
    expect(m.averageWin).toBe(15);
    expect(m.averageLoss).toBe(-7.5);
    expect(m.largestWin).toBe(20);
    expect(m.largestLoss).toBe(-10);
    expect(m.exposureTime).toBeCloseTo(2 / 3, 12);
    expect(m.feesPaid).toBe('1.23000000');
    expect(m.breakerTrips).toBe(1);
  });

  it('gives null, not NaN or Infinity, for figures that do not exist', () => {
    const flat = computeMetrics({ times: [0, 60_000], equity: [100, 100], tradePnls: [], bars: 1, exposureBars: 0, feesPaid: '0', breakerTrips: 0, periodsPerYear: 525_600 });
    expect(flat.sharpe).toBeNull(); // one return
    expect(flat.winRate).toBeNull();
    expect(flat.profitFactor).toBeNull();
    expect(flat.calmar).toBeNull(); // no drawdown
    expect(flat.maxDrawdown).toBe(0);
    const noLoss = computeMetrics({ times: [0, 1, 2], equity: [100, 101, 102], tradePnls: [1, 1], bars: 2, exposureBars: 2, feesPaid: '0', breakerTrips: 0, periodsPerYear: 252 });
    expect(noLoss.profitFactor).toBeNull();
    expect(JSON.parse(JSON.stringify(noLoss))).toEqual(noLoss);
  });

  it('annualises minute bars on a 24/7 market with 525,600 periods and weekday daily bars with 252', () => {
    expect(inferPeriodsPerYear([0, 60_000, 120_000])).toBe(525_600);
    const mon = Date.parse('2024-01-01T00:00:00Z'); // a Monday
    expect(inferPeriodsPerYear([mon, mon + 86_400_000, mon + 2 * 86_400_000])).toBe(252);
    expect(inferPeriodsPerYear([mon + 4 * 86_400_000, mon + 5 * 86_400_000])).toBe(365); // Fri, Sat: crypto
    expect(inferPeriodsPerYear([0, H])).toBe(8760);
  });

  it('computes monthly returns from month-end equity', () => {
    const t = (s: string) => Date.parse(s);
    // start 100; January ends at 110 (+10%), February ends at 99 (−10%)
    const r = monthlyReturns([t('2024-01-01T00:00Z'), t('2024-01-15T00:00Z'), t('2024-02-01T00:00Z'), t('2024-02-10T00:00Z')], [100, 105, 110, 99]);
    expect(r.map((x) => [x.year, x.month])).toEqual([
      [2024, 1],
      [2024, 2],
    ]);
    expect(r[0]!.ret).toBeCloseTo(0.1, 12);
    expect(r[1]!.ret).toBeCloseTo(-0.1, 12);
  });
});
