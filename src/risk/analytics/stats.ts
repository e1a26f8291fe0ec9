/**
 * Descriptive statistics used across the analytics. Conventions, stated once here and repeated
 * where they matter:
 * - returns are SIMPLE returns r_t = P_t / P_{t-1} - 1;
 * - standard deviation is the SAMPLE one (divisor n - 1) unless a function says otherwise;
 * - the empirical quantile is the LOWER one (Hyndman-Fan type 1, inverse of the empirical CDF):
 *   q(p) = x_(k) with k = ceil(n p), 1-based on the ascending sort, and k >= 1.
 */
import { at, finite, inRange, invalidField, positive, series } from './validate.ts';

/** Simple returns of a price series: r_t = P_t / P_{t-1} - 1 (n prices give n - 1 returns). */
export function simpleReturns(prices: readonly number[]): number[] {
  series(prices, 'prices', 2);
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) {
    const prev = positive(prices[i - 1] as number, `prices[${i - 1}]`);
    out.push((prices[i] as number) / prev - 1);
  }
  return out;
}

/**
 * Overlapping h-period compounded returns: R_t = prod_{k=t}^{t+h-1} (1 + r_k) - 1, one per start
 * index, so n returns give n - h + 1 windows (consecutive windows share h - 1 returns).
 */
export function compoundedReturns(returns: readonly number[], horizon: number): number[] {
  if (horizon === 1) return [...returns];
  const out: number[] = [];
  for (let t = 0; t + horizon <= returns.length; t++) {
    let g = 1;
    for (let k = t; k < t + horizon; k++) g *= 1 + (returns[k] as number);
    out.push(g - 1);
  }
  return out;
}

export function sum(xs: readonly number[]): number {
  // Neumaier compensated summation: long return series stay accurate to the last bits.
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

export function mean(xs: readonly number[], field = 'values'): number {
  series(xs, field, 1);
  return sum(xs) / xs.length;
}

/** Variance; `sample` (default) divides by n - 1, otherwise by n (population). */
export function variance(xs: readonly number[], sample = true, field = 'values'): number {
  series(xs, field, sample ? 2 : 1);
  const m = sum(xs) / xs.length;
  return sum(xs.map((x) => (x - m) ** 2)) / (sample ? xs.length - 1 : xs.length);
}

/** Standard deviation; sample (n - 1) by default. */
export function stdev(xs: readonly number[], sample = true, field = 'values'): number {
  return Math.sqrt(variance(xs, sample, field));
}

/**
 * Lower empirical quantile (type 1): the k-th smallest value with k = ceil(n p), at least 1.
 * n p is rounded to 9 decimals first so that 100 × (1 - 0.95) counts as 5, not 5.000000000000004.
 */
export function lowerQuantile(xs: readonly number[], p: number, field = 'values'): number {
  series(xs, field, 1);
  inRange(p, 0, 1, 'p');
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[lowerQuantileRank(sorted.length, p) - 1] as number;
}

/** 1-based rank k = max(1, ceil(n p)) of the lower empirical quantile. */
export function lowerQuantileRank(n: number, p: number): number {
  const np = Math.round(n * p * 1e9) / 1e9;
  return Math.min(n, Math.max(1, Math.ceil(np)));
}

/** Sample covariance (n - 1) of two equally long series. */
export function covarianceOf(a: readonly number[], b: readonly number[], fieldA = 'a', fieldB = 'b'): number {
  series(a, fieldA, 2);
  series(b, fieldB, 2);
  if (a.length !== b.length) invalidField(fieldB, `must have the same length as ${fieldA} (${a.length}), got ${b.length}`);
  const ma = sum(a) / a.length;
  const mb = sum(b) / b.length;
  return sum(a.map((x, i) => (x - ma) * ((b[i] as number) - mb))) / (a.length - 1);
}

/** Matrix × vector. */
export function matVec(m: readonly (readonly number[])[], v: readonly number[]): number[] {
  return m.map((row) => sum(row.map((x, j) => x * (v[j] as number))));
}

/** Quadratic form vᵀ M v. */
export function quadForm(m: readonly (readonly number[])[], v: readonly number[]): number {
  return sum(matVec(m, v).map((x, i) => x * (v[i] as number)));
}

/**
 * Cholesky factor L (lower triangular, M = L Lᵀ) of a symmetric positive semi-definite matrix.
 * A zero pivot (a perfectly redundant asset) gives a zero column instead of failing; a clearly
 * negative pivot means the matrix is not PSD and is refused.
 */
export function cholesky(m: readonly (readonly number[])[], field = 'covariance'): number[][] {
  const n = m.length;
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const lj = l[j] as number[];
    let d = at(m, j, j);
    for (let k = 0; k < j; k++) d -= (lj[k] as number) ** 2;
    const scale = Math.max(1e-300, Math.abs(at(m, j, j)));
    if (d < -1e-10 * scale) invalidField(field, 'must be positive semi-definite');
    const pivot = d > 0 ? Math.sqrt(d) : 0;
    lj[j] = pivot;
    for (let i = j + 1; i < n; i++) {
      const li = l[i] as number[];
      let s = at(m, i, j);
      for (let k = 0; k < j; k++) s -= (li[k] as number) * (lj[k] as number);
      li[j] = pivot > 0 ? s / pivot : 0;
    }
  }
  return l;
}

/** Annualisation factor sqrt(periodsPerYear), validated. */
export function annualiser(periodsPerYear: number): number {
  return Math.sqrt(positive(finite(periodsPerYear, 'periodsPerYear'), 'periodsPerYear'));
}
