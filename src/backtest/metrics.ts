/**
 * Backtest performance figures from an equity curve and closed trades. Pure, no I/O.
 *
 * Conventions:
 * - The equity curve is sampled once per bar close (after every instrument's bar at that time),
 *   preceded by the starting equity; returns are SIMPLE per-bar returns of that curve.
 * - Annualisation uses `periodsPerYear`, the number of bars in a year. When not given it is
 *   inferred from the bar spacing: bars shorter than a day are taken as a 24/7 market
 *   (365 × 24 × 60 = 525,600 one-minute bars a year); daily bars are 252 trading days a year
 *   when no bar falls on a weekend (equities), else 365 (crypto); longer bars 365 days ÷ their
 *   length.
 * - CAGR = (E_end / E_0)^(periodsPerYear / n) − 1 over n bar returns, so a few weeks of minute
 *   data annualise to large figures: read them as rates, not forecasts.
 * - Volatility = sample standard deviation of bar returns × √periodsPerYear; Sharpe (risk-free 0)
 *   and Sortino (target 0, downside deviation over all returns) from src/risk/analytics, so both
 *   scale by √periodsPerYear; Calmar = CAGR ÷ max drawdown.
 * - Max drawdown: the deepest fall from a running peak as a fraction of the peak; its duration is
 *   from the peak to the recovery (or to the end of the data if equity never got back), in bars
 *   and in milliseconds.
 * - Trade figures use each closed trade's NET pnl (after fees): win rate = trades with pnl > 0 ÷
 *   trades; profit factor = sum of wins ÷ |sum of losses|; expectancy = mean pnl per trade;
 *   average win / loss over winners / losers (a zero pnl trade is neither).
 * - Exposure time = bars closed with a position open ÷ bars.
 * A figure that does not exist (Sharpe of fewer than two returns, profit factor with no losing
 * trade, win rate with no trades) is null rather than NaN or Infinity, so summary.json stays JSON.
 */
import { annualizedVolatility, maxDrawdown, sharpeRatio, sortinoRatio } from '../risk/analytics/index.ts';

export interface MetricsInput {
  /** Epoch ms of each equity point (the first is the start). */
  readonly times: readonly number[];
  /** Equity at each time, starting with the initial equity (> 0). */
  readonly equity: readonly number[];
  /** Net pnl (after fees) of each closed trade. */
  readonly tradePnls: readonly number[];
  readonly bars: number;
  readonly exposureBars: number;
  /** Exact, from the ledger. */
  readonly feesPaid: string;
  readonly breakerTrips: number;
  readonly periodsPerYear?: number;
}

export interface Metrics {
  readonly periodsPerYear: number;
  readonly periods: number;
  readonly totalReturn: number;
  readonly cagr: number | null;
  readonly annualVolatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  readonly maxDrawdown: number;
  readonly maxDrawdownDurationBars: number;
  readonly maxDrawdownDurationMs: number;
  readonly maxDrawdownPeakTime: number | null;
  readonly maxDrawdownTroughTime: number | null;
  readonly maxDrawdownRecoveryTime: number | null;
  readonly trades: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly expectancy: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly largestWin: number | null;
  readonly largestLoss: number | null;
  readonly exposureTime: number;
  readonly feesPaid: string;
  readonly breakerTrips: number;
}

const DAY = 86_400_000;

/** Bars per year from the spacing of the times (see the module comment). */
export function inferPeriodsPerYear(times: readonly number[]): number {
  if (times.length < 2) return 252;
  let step = Infinity;
  for (let i = 1; i < times.length && i < 1000; i++) step = Math.min(step, times[i]! - times[i - 1]!);
  if (!(step > 0) || !Number.isFinite(step)) return 252;
  if (step < DAY) return Math.round((365 * DAY) / step);
  if (step === DAY) {
    for (const t of times) {
      const d = new Date(t).getUTCDay();
      if (d === 0 || d === 6) return 365;
    }
    return 252;
  }
  return (365 * DAY) / step;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export function computeMetrics(m: MetricsInput): Metrics {
  const { equity, times } = m;
  if (equity.length === 0 || !(equity[0]! > 0)) throw new RangeError('metrics need an equity curve starting above zero');
  if (times.length !== equity.length) throw new RangeError(`times (${times.length}) and equity (${equity.length}) differ in length`);
  const ppy = m.periodsPerYear ?? inferPeriodsPerYear(times);
  const n = equity.length - 1;
  const returns = new Array<number>(n);
  for (let i = 0; i < n; i++) returns[i] = equity[i + 1]! / equity[i]! - 1;
  const first = equity[0]!;
  const last = equity[n]!;
  const totalReturn = last / first - 1;
  const cagr = n === 0 ? null : last <= 0 ? -1 : finite((last / first) ** (ppy / n) - 1);
  const dd = maxDrawdown(equity, times);
  const endIdx = dd.recoveryIndex ?? n;

  const pnls = m.tradePnls;
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  let total = 0;
  let largestWin = -Infinity;
  let largestLoss = Infinity;
  for (const p of pnls) {
    total += p;
    if (p > 0) {
      wins++;
      winSum += p;
      largestWin = Math.max(largestWin, p);
    } else if (p < 0) {
      losses++;
      lossSum += p;
      largestLoss = Math.min(largestLoss, p);
    }
  }
  const trades = pnls.length;
  return {
    periodsPerYear: ppy,
    periods: n,
    totalReturn,
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
    trades,
    winRate: trades === 0 ? null : wins / trades,
    profitFactor: losses === 0 ? null : winSum / -lossSum,
    expectancy: trades === 0 ? null : total / trades,
    averageWin: wins === 0 ? null : winSum / wins,
    averageLoss: losses === 0 ? null : lossSum / losses,
    largestWin: wins === 0 ? null : largestWin,
    largestLoss: losses === 0 ? null : largestLoss,
    exposureTime: m.bars === 0 ? 0 : m.exposureBars / m.bars,
    feesPaid: m.feesPaid,
    breakerTrips: m.breakerTrips,
  };
}
