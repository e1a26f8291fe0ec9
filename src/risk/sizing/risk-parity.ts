/**
 * Risk parity weights: inverse volatility, and equal (or budgeted) risk contribution.
 * Weights are fractions of capital, positive, summing to 1 (long-only).
 */
import { at, covariance as checkCovariance, invalidField, positive, positiveInteger, series } from '../analytics/validate.ts';
import { matVec, quadForm, sum } from '../analytics/stats.ts';

/** w_i ∝ 1 / σ_i, normalised to sum to 1. Volatilities on any common basis, all > 0. */
export function inverseVolatilityWeights(volatilities: readonly number[]): number[] {
  series(volatilities, 'volatilities', 1);
  const inv = volatilities.map((v, i) => 1 / positive(v, `volatilities[${i}]`));
  const total = sum(inv);
  return inv.map((x) => x / total);
}

/** Each asset's share of portfolio variance: RC_i = w_i (Σ w)_i / (wᵀ Σ w); they sum to 1. */
export function riskContributions(weights: readonly number[], covariance: readonly (readonly number[])[]): number[] {
  series(weights, 'weights', 1);
  checkCovariance(covariance);
  if (covariance.length !== weights.length) invalidField('covariance', `must be ${weights.length}×${weights.length} like weights`);
  const total = quadForm(covariance, weights);
  const sw = matVec(covariance, weights);
  return sw.map((x, i) => (total === 0 ? 0 : ((weights[i] as number) * x) / total));
}

export interface ErcOptions {
  /** Risk budgets b_i > 0 (normalised to sum to 1); default equal, 1 / n each. */
  budgets?: readonly number[];
  /** Stop when max_i |RC_i - b_i| < tolerance; default 1e-10. */
  tolerance?: number;
  /** Default 10 000 sweeps. */
  maxIterations?: number;
}

export interface ErcResult {
  weights: number[];
  /** Fractions of portfolio variance; equal to the budgets at convergence. */
  riskContributions: number[];
  iterations: number;
  converged: boolean;
}

/**
 * Equal risk contribution (risk budgeting) weights by cyclical coordinate descent
 * (Griveau-Billion, Richard & Roncalli, "A Fast Algorithm for Computing High-dimensional Risk
 * Parity Portfolios", 2013). It minimises the strictly convex ½ yᵀΣy - Σ b_i ln y_i over y > 0,
 * whose minimiser satisfies y_i (Σ y)_i = b_i, i.e. risk contributions proportional to the
 * budgets; w = y / Σ y. Each sweep sets, for i = 1..n, the exact coordinate minimiser
 *
 *   y_i = ( -s_i + sqrt(s_i² + 4 Σ_ii b_i) ) / (2 Σ_ii),   s_i = Σ_{j≠i} Σ_ij y_j,
 *
 * starting from inverse volatility. Converges for any positive definite Σ; every Σ_ii must be > 0.
 * Returns converged: false (with the last iterate) if maxIterations sweeps do not reach tolerance.
 * Known results used in the tests: with 2 assets, or a constant correlation, ERC = inverse volatility.
 */
export function equalRiskContributionWeights(covariance: readonly (readonly number[])[], options: ErcOptions = {}): ErcResult {
  checkCovariance(covariance);
  const n = covariance.length;
  for (let i = 0; i < n; i++) positive(at(covariance, i, i), `covariance[${i}][${i}]`);
  const rawBudgets = options.budgets ?? new Array<number>(n).fill(1);
  series(rawBudgets, 'budgets', n);
  if (rawBudgets.length !== n) invalidField('budgets', `must have ${n} entries, got ${rawBudgets.length}`);
  rawBudgets.forEach((b, i) => positive(b, `budgets[${i}]`));
  const bSum = sum(rawBudgets);
  const b = rawBudgets.map((x) => x / bSum);
  const tol = positive(options.tolerance ?? 1e-10, 'tolerance');
  const maxIt = positiveInteger(options.maxIterations ?? 10_000, 'maxIterations');

  const y = inverseVolatilityWeights(covariance.map((_, i) => Math.sqrt(at(covariance, i, i))));
  let rc = riskContributions(y, covariance);
  let it = 0;
  let converged = maxDiff(rc, b) < tol;
  while (!converged && it < maxIt) {
    for (let i = 0; i < n; i++) {
      const sii = at(covariance, i, i);
      let s = 0;
      for (let j = 0; j < n; j++) if (j !== i) s += at(covariance, i, j) * (y[j] as number);
      y[i] = (-s + Math.sqrt(s * s + 4 * sii * (b[i] as number))) / (2 * sii);
    }
    it++;
    const total = sum(y);
    const w = y.map((x) => x / total);
    rc = riskContributions(w, covariance);
    converged = maxDiff(rc, b) < tol;
  }
  const total = sum(y);
  const weights = y.map((x) => x / total);
  return { weights, riskContributions: riskContributions(weights, covariance), iterations: it, converged };
}

function maxDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
