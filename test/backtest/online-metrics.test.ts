/**
 * The runner computes its metrics online (MetricsAccumulator, one equity point at a time) and keeps
 * a bounded equity curve. These tests hold the online figures against the full per-bar curve:
 * - `computeMetrics` on the full curve: every field EXACTLY equal (it feeds the same accumulator);
 * - the former two-pass computation (src/risk/analytics: sharpeRatio, sortinoRatio,
 *   annualizedVolatility, maxDrawdown, inferAnnualisation on the whole series): counts, times and
 *   strings exactly equal, floats equal or within 1e-12 relative (only the sample variance is
 *   summed differently: Σr² − (Σr)²/n in one pass instead of Σ(r − mean)² in two).
 */
import { describe, expect, it } from 'vitest';
import { EquityCurveSampler } from '../../src/backtest/equity-curve.ts';
import { instrumentSpecFor } from '../../src/backtest/instruments.ts';
import { inferAnnualisation } from '../../src/backtest/annualisation.ts';
import { computeMetrics, MetricsAccumulator, type Metrics, type MetricsInput } from '../../src/backtest/metrics.ts';
import { monthlyReturns } from '../../src/backtest/report.ts';
import { runBacktest, type BacktestResult } from '../../src/backtest/runner.ts';
import { readCsvBars } from '../../src/data/csv-bars.ts';
import { instrumentId } from '../../src/model/identifiers.ts';
import { annualizedVolatility, maxDrawdown, sharpeRatio, sortinoRatio } from '../../src/risk/analytics/index.ts';
import { SmaCross } from '../../src/strategies/sma-cross.ts';

const FILE = new URL('../../../shared/data/market/binanceus-BTCUSDT-1m-2023-03-01_21.csv', import.meta.url).pathname;
const ID = 'BTCUSDT.BINANCEUS';

function run(extra: { maxEquityPoints?: number } = {}): Promise<BacktestResult> {
  return runBacktest({
    sources: [{ instrument: instrumentSpecFor(ID, { feeBps: '10' }), bars: readCsvBars(FILE, { instrumentId: instrumentId(ID) }) }],
    strategy: new SmaCross({ fast: 5, slow: 20, fraction: 0.95 }),
    cash: '100000',
    keepBars: false,
    ...extra,
  });
}

/** computeMetrics as it was before the accumulator: two passes over the whole series. */
function twoPassMetrics(m: MetricsInput): Metrics {
  const { equity, times } = m;
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  // Each point after the first is a bar closing at its time: it opened within the day before.
  const ann = m.periodsPerYear !== undefined ? { periodsPerYear: m.periodsPerYear, basis: 'as given' } : inferAnnualisation(times.slice(1).map((t) => t - 1));
  const ppy = ann.periodsPerYear;
  const n = equity.length - 1;
  const years = (times[n]! - times[0]!) / (365.25 * 86_400_000);
  const returns = Array.from({ length: n }, (_, i) => equity[i + 1]! / equity[i]! - 1);
  const first = equity[0]!;
  const last = equity[n]!;
  const cagr = n === 0 ? null : last <= 0 ? -1 : finite((last / first) ** (1 / years) - 1);
  const dd = maxDrawdown(equity, times);
  const endIdx = dd.recoveryIndex ?? n;
  const pnls = m.tradePnls;
  const wins = pnls.filter((p) => p > 0);
  const losses = pnls.filter((p) => p < 0);
  const add = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    periodsPerYear: ppy,
    annualisation: ann.basis,
    periods: n,
    totalReturn: last / first - 1,
    cagr,
    annualVolatility: n >= 2 ? finite(annualizedVolatility(returns, { periodsPerYear: ppy })) : null,
    sharpe: n >= 2 ? finite(sharpeRatio(returns, { periodsPerYear: ppy })) : null,
    sortino: n >= 1 ? finite(sortinoRatio(returns, { periodsPerYear: ppy })) : null,
    calmar: cagr === null || dd.depth === 0 ? null : finite(cagr / dd.depth),
    maxDrawdown: dd.depth,
    maxDrawdownDurationBars: dd.depth === 0 ? 0 : dd.duration,
    maxDrawdownDurationMs: dd.depth === 0 ? 0 : times[endIdx]! - times[dd.peakIndex]!,
    maxDrawdownPeakTime: dd.depth === 0 ? null : times[dd.peakIndex]!,
    maxDrawdownTroughTime: dd.depth === 0 ? null : times[dd.troughIndex]!,
    maxDrawdownRecoveryTime: dd.depth === 0 || dd.recoveryIndex === null ? null : times[dd.recoveryIndex]!,
    trades: pnls.length,
    winRate: pnls.length === 0 ? null : wins.length / pnls.length,
    profitFactor: losses.length === 0 ? null : add(wins) / -add(losses),
    expectancy: pnls.length === 0 ? null : add(pnls) / pnls.length,
    averageWin: wins.length === 0 ? null : add(wins) / wins.length,
    averageLoss: losses.length === 0 ? null : add(losses) / losses.length,
    largestWin: wins.length === 0 ? null : Math.max(...wins),
    largestLoss: losses.length === 0 ? null : Math.min(...losses),
    exposureTime: m.bars === 0 ? 0 : m.exposureBars / m.bars,
    feesPaid: m.feesPaid,
    breakerTrips: m.breakerTrips,
  };
}

const INTEGER_FIELDS = ['periods', 'maxDrawdownDurationBars', 'maxDrawdownDurationMs', 'maxDrawdownPeakTime', 'maxDrawdownTroughTime', 'maxDrawdownRecoveryTime', 'trades', 'feesPaid', 'breakerTrips'] as const;

/** Counts, times and strings exactly; floats equal or within 1e-12 relative; the same nulls. */
function expectClose(got: Metrics, want: Metrics): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want) as (keyof Metrics)[]) {
    const g = got[k];
    const w = want[k];
    if ((INTEGER_FIELDS as readonly string[]).includes(k) || typeof w !== 'number' || typeof g !== 'number') {
      expect(g, k).toBe(w);
      continue;
    }
    if (g === w) continue;
    expect(Math.abs(g - w) / Math.max(Math.abs(w), Number.MIN_VALUE), `${k}: ${g} vs ${w}`).toBeLessThan(1e-12);
  }
}

/** Bars with a position open at their close, from the fills: a fill stamped at the close time belongs to the next bar. */
function exposureBars(r: BacktestResult): number {
  const { times } = r.equity;
  let q = 0;
  let f = 0;
  let bars = 0;
  for (let i = 1; i < times.length; i++) {
    while (f < r.fills.length && r.fills[f]!.time < times[i]!) {
      const x = Number(r.fills[f]!.quantity);
      q += r.fills[f]!.side === 'BUY' ? x : -x;
      f++;
    }
    if (Math.abs(q) > 1e-12) bars++;
  }
  return bars;
}

describe('online backtest metrics', () => {
  it('equal computeMetrics on the full per-bar curve exactly, and the former two-pass figures to 1e-12, on 21 days of minute bars', async () => {
    const r = await run({ maxEquityPoints: Infinity });
    const { times, values } = r.equity;
    expect(times).toHaveLength(r.bars + 1); // the full curve: every bar close and the start
    expect(r.trades.length).toBeGreaterThan(100);
    expect(r.metrics.maxDrawdown).toBeGreaterThan(0);
    const input: MetricsInput = {
      times,
      equity: values,
      tradePnls: r.trades.map((t) => Number(t.pnl)),
      bars: times.length - 1,
      exposureBars: exposureBars(r),
      feesPaid: r.feesPaid,
      breakerTrips: r.breakerTrips,
    };
    expect(input.exposureBars).toBeGreaterThan(0);
    const full = computeMetrics(input);
    expect(r.metrics).toEqual(full); // every field, bit for bit
    expectClose(r.metrics, twoPassMetrics(input));
    expect(r.monthlyReturns).toEqual(monthlyReturns(times, values));
  });

  it('give the same metrics and monthly returns with a thinned curve, which keeps the first, last, peak and trough points', async () => {
    const full = await run();
    const thin = await run({ maxEquityPoints: 1000 });
    expect(full.equity.times).toHaveLength(full.bars + 1); // under the default 100,000: every bar
    expect(thin.metrics).toEqual(full.metrics);
    expect(thin.monthlyReturns).toEqual(full.monthlyReturns);
    expect(thin.finalEquity).toBe(full.finalEquity);
    const t = thin.equity.times;
    expect(t.length).toBeLessThanOrEqual(1003);
    expect(t.length).toBeGreaterThan(500);
    expect(t[0]).toBe(full.equity.times[0]);
    expect(t.at(-1)).toBe(full.equity.times.at(-1));
    expect(t).toContain(full.metrics.maxDrawdownPeakTime);
    expect(t).toContain(full.metrics.maxDrawdownTroughTime);
    // Every kept point is a point of the full curve, with its equity, in time order.
    const at = new Map(full.equity.times.map((x, i) => [x, full.equity.values[i]!]));
    for (let i = 0; i < t.length; i++) {
      expect(thin.equity.values[i]).toBe(at.get(t[i]!));
      if (i > 0) expect(t[i]!).toBeGreaterThan(t[i - 1]!);
    }
  });

  it('match the two-pass figures on a long synthetic curve with daily weekend bars and several months', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const times: number[] = [];
    const equity: number[] = [];
    let e = 1000;
    const t0 = Date.parse('2020-01-01T00:00:00Z');
    for (let i = 0; i < 3000; i++) {
      times.push(t0 + i * 86_400_000);
      equity.push(e);
      e *= 1 + (rnd() - 0.49) * 0.04;
    }
    const input: MetricsInput = { times, equity, tradePnls: [3, -1, 0, 2], bars: 2999, exposureBars: 1500, feesPaid: '1', breakerTrips: 0 };
    const m = computeMetrics(input);
    expect(m.periodsPerYear).toBe(365);
    expectClose(m, twoPassMetrics(input));
    const acc = new MetricsAccumulator();
    for (let i = 0; i < times.length; i++) acc.add(times[i]!, equity[i]!, i > 0 && i <= 1500);
    expect(acc.result({ tradePnls: [3, -1, 0, 2], feesPaid: '1', breakerTrips: 0 })).toEqual(m);
    expect(acc.monthlyReturns()).toEqual(monthlyReturns(times, equity));
    expect(acc.monthlyReturns()).toHaveLength(99);
  });
});

describe('bounded equity curve', () => {
  it('keeps every point up to the limit, then every stride-th, plus the latest and the extras', () => {
    const exact = new EquityCurveSampler(8);
    for (let i = 0; i < 8; i++) exact.add(i, i);
    expect(exact.finish().times).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);

    const s = new EquityCurveSampler(8);
    for (let i = 0; i < 100; i++) s.add(i, 10 * i);
    // 100 points with room for 8: stride 16 → 0, 16, …, 96, then the latest (99) and the extras.
    const c = s.finish([
      { index: 37, time: 37, value: 370 },
      { index: 5, time: 5, value: 50 },
      { index: 32, time: 32, value: 320 }, // already kept
    ]);
    expect(c.times).toEqual([0, 5, 16, 32, 37, 48, 64, 80, 96, 99]);
    expect(c.values).toEqual(c.times.map((x) => 10 * x));
  });

  it('refuses a limit below 2', () => {
    expect(() => new EquityCurveSampler(1)).toThrow(/maxEquityPoints/);
  });
});
