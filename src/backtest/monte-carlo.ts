/**
 * Monte Carlo by bootstrap of trade returns: each path draws as many returns as there were
 * trades (by default), uniformly WITH replacement from the backtest's closed trades, and
 * compounds them from the initial equity: E_0 = initial, E_i = E_(i−1) × (1 + r_i). Per path:
 * the final equity E_n and the max drawdown of E_0..E_n (deepest fall from a running peak, as a
 * fraction of the peak, the initial equity counting as a peak). Over the paths: percentiles 5,
 * 25, 50, 75, 95 (linear interpolation between order statistics, as numpy's default: the p-th
 * percentile of sorted x_0..x_(N−1) sits at rank p/100 × (N−1)), mean, min, max, and the
 * probability of loss (share of paths ending below the initial equity).
 *
 * A trade's return is its NET pnl ÷ the realised equity before it (initial cash + the net pnl of
 * the trades closed before it, in exit order), so compounding the returns in their original
 * order gives back the backtest's realised final equity exactly (up to float rounding). The
 * drawdowns are trade-to-trade, not bar-to-bar: open-trade dips are not seen, so they are
 * shallower than the backtest's bar-level max drawdown. Overlapping trades (several instruments)
 * are treated as if sequential.
 *
 * Randomness: mulberry32(seed), one draw per resampled trade (index = ⌊u × trades⌋), paths in
 * order; the same returns, paths and seed give the same result.
 */
import { ValidationError } from '../model/errors.ts';
import { mulberry32 } from '../risk/analytics/random.ts';
import type { ClosedTrade } from './trades.ts';

export const PERCENTILES = [5, 25, 50, 75, 95] as const;

export interface Distribution {
  /** Keys "p5", "p25", "p50", "p75", "p95". */
  readonly percentiles: Readonly<Record<string, number>>;
  readonly mean: number;
  readonly min: number;
  readonly max: number;
}

export interface MonteCarloOptions {
  readonly paths: number;
  readonly seed: number;
  readonly initialEquity: number;
  /** Trades per path; default the number of returns. */
  readonly tradesPerPath?: number;
  /** Keep every path's final equity and max drawdown (default false). */
  readonly keepPaths?: boolean;
}

export interface MonteCarloResult {
  readonly paths: number;
  readonly seed: number;
  readonly tradesPerPath: number;
  readonly initialEquity: number;
  readonly finalEquity: Distribution;
  readonly maxDrawdown: Distribution;
  /** Share of paths whose final equity is below the initial equity. */
  readonly probabilityOfLoss: number;
  readonly finals?: readonly number[];
  readonly drawdowns?: readonly number[];
}

function bad(field: string, message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `--${field}: ${message}`, { field });
}

/** The p-th percentile (0..100) of sorted values, linear between order statistics. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const h = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function distribution(values: readonly number[]): Distribution {
  const s = Float64Array.from(values).sort();
  const sorted = Array.from(s);
  const percentiles: Record<string, number> = {};
  for (const p of PERCENTILES) percentiles[`p${p}`] = percentile(sorted, p);
  let sum = 0;
  for (const v of sorted) sum += v;
  return { percentiles, mean: sorted.length ? sum / sorted.length : NaN, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

/** Each trade's net pnl ÷ realised equity before it (see the module comment), trades in exit order. */
export function tradeReturns(trades: readonly Pick<ClosedTrade, 'pnl' | 'exitTime'>[], initialEquity: number): number[] {
  const sorted = [...trades].sort((a, b) => a.exitTime - b.exitTime);
  let equity = initialEquity;
  return sorted.map((t) => {
    const pnl = Number(t.pnl);
    const r = pnl / equity;
    equity += pnl;
    return r;
  });
}

/** Max drawdown of the curve initial × Π(1 + r_i), the initial value included. */
export function compoundedMaxDrawdown(initial: number, returns: readonly number[]): { final: number; maxDrawdown: number } {
  let e = initial;
  let peak = initial;
  let dd = 0;
  for (const r of returns) {
    e *= 1 + r;
    if (e > peak) peak = e;
    else if (peak > 0) dd = Math.max(dd, (peak - e) / peak);
  }
  return { final: e, maxDrawdown: dd };
}

export function monteCarlo(returns: readonly number[], o: MonteCarloOptions): MonteCarloResult {
  if (!Number.isSafeInteger(o.paths) || o.paths < 1) throw bad('paths', `must be a whole number ≥ 1, got ${o.paths}`);
  if (!Number.isSafeInteger(o.seed)) throw bad('seed', `must be a whole number, got ${o.seed}`);
  if (!(o.initialEquity > 0)) throw bad('cash', `initial equity must be positive, got ${o.initialEquity}`);
  const n = returns.length;
  const m = o.tradesPerPath ?? n;
  if (!Number.isSafeInteger(m) || m < 0) throw bad('trades-per-path', `must be a whole number ≥ 0, got ${m}`);
  if (n === 0) throw bad('data', 'the backtest closed no trades: nothing to resample');
  const rng = mulberry32(o.seed);
  const finals = new Array<number>(o.paths);
  const dds = new Array<number>(o.paths);
  const draw = new Array<number>(m);
  let losses = 0;
  for (let p = 0; p < o.paths; p++) {
    for (let i = 0; i < m; i++) draw[i] = returns[Math.floor(rng() * n)]!;
    const { final, maxDrawdown } = compoundedMaxDrawdown(o.initialEquity, draw);
    finals[p] = final;
    dds[p] = maxDrawdown;
    if (final < o.initialEquity) losses++;
  }
  return {
    paths: o.paths,
    seed: o.seed,
    tradesPerPath: m,
    initialEquity: o.initialEquity,
    finalEquity: distribution(finals),
    maxDrawdown: distribution(dds),
    probabilityOfLoss: losses / o.paths,
    ...(o.keepPaths ? { finals, drawdowns: dds } : {}),
  };
}
