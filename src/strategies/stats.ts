/**
 * Small statistics shared by the statistical strategies (kalman-mean-reversion,
 * statistical-arbitrage, volatility-regime, earnings-play): realised volatility, ordinary least
 * squares, the (augmented) Dickey–Fuller statistic, and the one documented tolerance with which a
 * real-valued statistic is compared with a threshold. Floats: analytics, never the ledger.
 */

/**
 * A z-score, a volatility or a test statistic is inherently real-valued: computed in float64 it
 * carries rounding noise (a z that is mathematically 2 may come out 1.9999999999999996). Such a
 * statistic is compared with a threshold with this relative tolerance: a and b are EQUAL when
 * |a − b| ≤ STAT_TOLERANCE × max(1, |b|). Every rule says what happens at equality.
 */
export const STAT_TOLERANCE = 1e-9;

/** −1 (a below b), 0 (equal within STAT_TOLERANCE), 1 (a above b). */
export function compareStat(a: number, b: number): -1 | 0 | 1 {
  const tol = STAT_TOLERANCE * Math.max(1, Math.abs(b));
  if (a > b + tol) return 1;
  if (a < b - tol) return -1;
  return 0;
}

/** Natural-log returns of consecutive closes: ln(c_i / c_{i−1}). */
export function logReturns(closes: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < closes.length; i++) out.push(Math.log(closes[i]! / closes[i - 1]!));
  return out;
}

/**
 * Annualised realised volatility of log returns: the sample standard deviation (÷ (n − 1)) times
 * √periodsPerYear. NaN with fewer than two returns.
 */
export function realisedVol(returns: readonly number[], periodsPerYear: number): number {
  const n = returns.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (const r of returns) mean += r;
  mean /= n;
  let ss = 0;
  for (const r of returns) ss += (r - mean) * (r - mean);
  return Math.sqrt((ss / (n - 1)) * periodsPerYear);
}

/** The least-squares fit y ≈ X b: coefficients, residuals and the residual sum of squares. */
export interface OlsFit {
  readonly coef: number[];
  readonly residuals: number[];
  readonly rss: number;
  /** (XᵀX)⁻¹, for standard errors. */
  readonly xtxInv: number[][];
}

/**
 * OLS through the normal equations (XᵀX) b = Xᵀy, solved by Gauss–Jordan elimination with
 * partial pivoting (the small systems here — a few regressors — need no QR). Rows of `x` are
 * observations (include a column of ones for an intercept). Null when XᵀX is singular (a column
 * that does not vary, or two that move together exactly) or there are no more rows than columns.
 */
export function ols(y: readonly number[], x: readonly (readonly number[])[]): OlsFit | null {
  const n = y.length;
  const k = x[0]?.length ?? 0;
  if (n <= k || k === 0) return null;
  const xtx: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const xty = new Array<number>(k).fill(0);
  for (let r = 0; r < n; r++) {
    const row = x[r]!;
    for (let i = 0; i < k; i++) {
      xty[i]! += row[i]! * y[r]!;
      for (let j = 0; j < k; j++) xtx[i]![j]! += row[i]! * row[j]!;
    }
  }
  const inv = invert(xtx);
  if (!inv) return null;
  const coef = inv.map((row) => row.reduce((s, v, j) => s + v * xty[j]!, 0));
  const residuals = y.map((v, r) => v - x[r]!.reduce((s, xv, j) => s + xv * coef[j]!, 0));
  return { coef, residuals, rss: residuals.reduce((s, e) => s + e * e, 0), xtxInv: inv };
}

/** The inverse of a small square matrix (Gauss–Jordan, partial pivoting); null when singular. */
export function invert(m: readonly (readonly number[])[]): number[][] | null {
  const k = m.length;
  const a = m.map((row, i) => [...row, ...Array.from({ length: k }, (_, j) => (i === j ? 1 : 0))]);
  const scale = Math.max(...m.map((row) => Math.max(...row.map(Math.abs))));
  if (!(scale > 0)) return null;
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    // A pivot this small relative to the matrix is a singular (collinear) system in float64.
    if (Math.abs(a[p]![c]!) <= 1e-12 * scale) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    const pivot = a[c]![c]!;
    for (let j = 0; j < 2 * k; j++) a[c]![j]! /= pivot;
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = a[r]![c]!;
      if (f === 0) continue;
      for (let j = 0; j < 2 * k; j++) a[r]![j]! -= f * a[c]![j]!;
    }
  }
  return a.map((row) => row.slice(k));
}

/**
 * The augmented Dickey–Fuller t-statistic of a series e (a regression residual, so no constant):
 * Δe_t = γ e_{t−1} + Σ_{i=1..lags} φ_i Δe_{t−i} + ε_t over t = lags+1 .. n−1, and the statistic is
 * γ̂ / se(γ̂), se² = s² [(XᵀX)⁻¹]₀₀, s² = RSS / (m − k) (m equations, k = 1 + lags regressors).
 * Very negative: e reverts (stationary). NaN when the regression cannot be fitted.
 */
export function adfStatistic(e: readonly number[], lags: number): number {
  const y: number[] = [];
  const x: number[][] = [];
  for (let t = lags + 1; t < e.length; t++) {
    y.push(e[t]! - e[t - 1]!);
    const row = [e[t - 1]!];
    for (let i = 1; i <= lags; i++) row.push(e[t - i]! - e[t - i - 1]!);
    x.push(row);
  }
  const k = 1 + lags;
  const fit = ols(y, x);
  if (!fit || y.length <= k) return Number.NaN;
  const s2 = fit.rss / (y.length - k);
  const se = Math.sqrt(s2 * fit.xtxInv[0]![0]!);
  return se > 0 ? fit.coef[0]! / se : Number.NaN;
}

/** Mean and population standard deviation (÷ n). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  let mean = 0;
  for (const v of xs) mean += v;
  mean /= xs.length;
  let ss = 0;
  for (const v of xs) ss += (v - mean) * (v - mean);
  return { mean, sd: Math.sqrt(ss / xs.length) };
}
