/**
 * Risk-adjusted return ratios of a series of SIMPLE per-period returns.
 *
 * Annualisation: every function takes `periodsPerYear` (default 252, trading days of an equity
 * year; use 365 for crypto daily, 52 weekly, 12 monthly, 1 for annual returns). Means scale by
 * periodsPerYear, standard deviations by sqrt(periodsPerYear), so a ratio of the two scales by
 * sqrt(periodsPerYear). Rates given as options (riskFree, target) are ANNUAL and are turned into
 * per-period rates by dividing by periodsPerYear.
 *
 * A zero denominator gives ±Infinity (sign of the numerator), or 0 when the numerator is 0 too,
 * instead of throwing: a backtest with no losing day still gets a report.
 */
import { maxDrawdown, equityCurve } from './drawdown.ts';
import { annualiser, mean, stdev, sum } from './stats.ts';
import { finite, invalidField, series } from './validate.ts';

export interface RatioOptions {
  /** Periods per year; default 252 (equities). 365 for crypto daily. */
  periodsPerYear?: number;
}

export interface SharpeOptions extends RatioOptions {
  /** Annual risk-free rate; default 0. Per period: riskFree / periodsPerYear. */
  riskFree?: number;
}

export interface SortinoOptions extends RatioOptions {
  /** Annual minimum acceptable return; default 0. Per period: target / periodsPerYear. */
  target?: number;
}

function ratio(num: number, den: number): number {
  if (den === 0) return num === 0 ? 0 : num > 0 ? Infinity : -Infinity;
  return num / den;
}

function ppy(o: RatioOptions): number {
  return o.periodsPerYear ?? 252;
}

/**
 * Sharpe ratio: mean(r - rf) / sd(r - rf) × sqrt(periodsPerYear), rf = riskFree / periodsPerYear,
 * sd the SAMPLE standard deviation (n - 1). Needs at least 2 returns.
 */
export function sharpeRatio(returns: readonly number[], options: SharpeOptions = {}): number {
  series(returns, 'returns', 2);
  const a = annualiser(ppy(options));
  const rf = finite(options.riskFree ?? 0, 'riskFree') / ppy(options);
  const excess = returns.map((r) => r - rf);
  return ratio(mean(excess), stdev(excess)) * a;
}

/**
 * Sortino ratio (Sortino & Price 1994; as in Red Rock Capital, "Sortino: A 'Sharper' Ratio"):
 * (mean(r) - t) / DD × sqrt(periodsPerYear), t = target / periodsPerYear, with the downside
 * deviation DD = sqrt( Σ min(0, r_i - t)² / n ) over ALL n returns (population divisor; returns
 * above target count as zero).
 */
export function sortinoRatio(returns: readonly number[], options: SortinoOptions = {}): number {
  series(returns, 'returns', 1);
  const a = annualiser(ppy(options));
  const t = finite(options.target ?? 0, 'target') / ppy(options);
  return ratio(mean(returns) - t, downsideDeviation(returns, t)) * a;
}

/** Per-period downside deviation below a per-period target t: sqrt(Σ min(0, r - t)² / n). */
export function downsideDeviation(returns: readonly number[], perPeriodTarget = 0): number {
  series(returns, 'returns', 1);
  return Math.sqrt(sum(returns.map((r) => Math.min(0, r - perPeriodTarget) ** 2)) / returns.length);
}

/**
 * Compound annual growth rate: (prod(1 + r))^(periodsPerYear / n) - 1. A total loss gives -1.
 */
export function annualizedReturn(returns: readonly number[], options: RatioOptions = {}): number {
  series(returns, 'returns', 1);
  annualiser(ppy(options));
  let g = 1;
  for (const r of returns) g *= 1 + r;
  if (g <= 0) return -1;
  return g ** (ppy(options) / returns.length) - 1;
}

/** Annualised volatility: sample sd (n - 1) × sqrt(periodsPerYear). */
export function annualizedVolatility(returns: readonly number[], options: RatioOptions = {}): number {
  series(returns, 'returns', 2);
  return stdev(returns) * annualiser(ppy(options));
}

/**
 * Calmar ratio: annualizedReturn (CAGR) / maximum drawdown depth of the equity curve built by
 * compounding the returns from 1, both over the WHOLE series given (the classic definition uses
 * the last 36 months: pass those).
 */
export function calmarRatio(returns: readonly number[], options: RatioOptions = {}): number {
  series(returns, 'returns', 1);
  const curve = equityCurve(returns);
  if (curve.some((e) => e <= 0)) invalidField('returns', 'compound to a non-positive equity; Calmar is undefined');
  return ratio(annualizedReturn(returns, options), maxDrawdown(curve).depth);
}

/**
 * Information ratio: mean(r - b) / sd(r - b) × sqrt(periodsPerYear) with active returns r - b
 * against a benchmark series of the same length and the SAMPLE standard deviation (tracking error).
 */
export function informationRatio(returns: readonly number[], benchmark: readonly number[], options: RatioOptions = {}): number {
  series(returns, 'returns', 2);
  series(benchmark, 'benchmark', 2);
  if (benchmark.length !== returns.length) invalidField('benchmark', `must have ${returns.length} returns like returns, got ${benchmark.length}`);
  const a = annualiser(ppy(options));
  const active = returns.map((r, i) => r - (benchmark[i] as number));
  return ratio(mean(active), stdev(active)) * a;
}
