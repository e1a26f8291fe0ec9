/**
 * Value at Risk and Expected Shortfall (CVaR) of one return series held at a constant value.
 *
 * Conventions for every function in this file:
 * - input returns are SIMPLE per-period returns (r = P_t / P_{t-1} - 1), one per period (day);
 * - VaR and ES are reported as POSITIVE LOSSES in the units of `value` (value 1 gives a fraction);
 *   a negative figure means that even the tail outcome is a gain;
 * - `confidence` c is the probability that the loss does not exceed VaR (0.95, 0.99);
 *   the tail probability is α = 1 - c;
 * - `horizon` h is in periods (1, 5, 30 days).
 */
import { normalPdf, normalQuantile } from './normal.ts';
import { normalSource, type Rng } from './random.ts';
import { compoundedReturns, lowerQuantileRank, mean, stdev, sum } from './stats.ts';
import { confidence as checkConfidence, finite, invalidField, nonNegative, positiveInteger, series } from './validate.ts';

export interface VarOptions {
  /** Probability the loss stays below VaR; default 0.95. */
  confidence?: number;
  /** Horizon in periods; default 1. */
  horizon?: number;
  /** Position value the loss is expressed in; default 1 (a fraction of value). */
  value?: number;
}

export interface ParametricOptions extends VarOptions {
  /**
   * Whether the drift μ h is subtracted from the loss. Default false: for horizons of days the
   * mean is small and poorly estimated, so the zero-mean ("z σ sqrt(h)") form is the default.
   */
  includeMean?: boolean;
}

export interface MonteCarloOptions extends ParametricOptions {
  /** Seeded uniform source (see random.ts); required, so simulations are reproducible. */
  rng: Rng;
  /** Number of simulated paths; default 10 000. */
  paths?: number;
}

export interface VarResult {
  var: number;
  cvar: number;
}

interface Resolved {
  c: number;
  h: number;
  value: number;
}

function resolve(o: VarOptions): Resolved {
  return {
    c: checkConfidence(o.confidence ?? 0.95),
    h: positiveInteger(o.horizon ?? 1, 'horizon'),
    value: finite(o.value ?? 1, 'value'),
  };
}

/** Both tail figures from a sample of h-period returns: lower empirical quantile and the mean beyond it. */
function empiricalTail(sample: readonly number[], c: number, value: number): VarResult {
  const sorted = [...sample].sort((a, b) => a - b);
  const k = lowerQuantileRank(sorted.length, 1 - c);
  const worst = sorted.slice(0, k);
  return { var: -(sorted[k - 1] as number) * value, cvar: (-sum(worst) / k) * value };
}

function historicalSample(returns: readonly number[], h: number): number[] {
  series(returns, 'returns', h);
  return compoundedReturns(returns, h);
}

/**
 * Historical VaR. Horizon scaling: OVERLAPPING h-period compounded returns
 * R_t = prod(1 + r_t..r_{t+h-1}) - 1, one per start day (no sqrt-of-time assumption; the windows
 * overlap, so the effective sample for h = 30 is much smaller than its length suggests).
 * Quantile: the LOWER empirical quantile (Hyndman-Fan type 1): sort R ascending, k = ceil(n α)
 * (at least 1), VaR = -R_(k) × value. With 100 returns and c = 0.95 that is the 5th worst.
 */
export function historicalVaR(returns: readonly number[], options: VarOptions = {}): number {
  const { c, h, value } = resolve(options);
  return empiricalTail(historicalSample(returns, h), c, value).var;
}

/**
 * Historical Expected Shortfall (CVaR): minus the mean of the k worst h-period returns, with the
 * same k = ceil(n α) and horizon scaling as historicalVaR; hence always >= historicalVaR.
 */
export function historicalCVaR(returns: readonly number[], options: VarOptions = {}): number {
  const { c, h, value } = resolve(options);
  return empiricalTail(historicalSample(returns, h), c, value).cvar;
}

/**
 * Normal (variance-covariance) VaR from a per-period standard deviation σ and mean μ:
 * VaR = (z_c σ sqrt(h) - μ h) × value, z_c = Φ⁻¹(c) (z_0.95 = 1.6448536, z_0.99 = 2.3263479).
 * Horizon scaling is SQRT-OF-TIME (i.i.d. returns). Pass mean 0 for the zero-drift form.
 */
export function normalVaR(sd: number, mean: number, options: VarOptions = {}): number {
  const { c, h, value } = resolve(options);
  nonNegative(sd, 'sd');
  finite(mean, 'mean');
  return (normalQuantile(c) * sd * Math.sqrt(h) - mean * h) * value;
}

/** Normal Expected Shortfall: (σ sqrt(h) φ(z_c) / (1 - c) - μ h) × value; always >= normalVaR. */
export function normalCVaR(sd: number, mean: number, options: VarOptions = {}): number {
  const { c, h, value } = resolve(options);
  nonNegative(sd, 'sd');
  finite(mean, 'mean');
  return ((sd * Math.sqrt(h) * normalPdf(normalQuantile(c))) / (1 - c) - mean * h) * value;
}

/**
 * Parametric VaR of a return series: normalVaR with the SAMPLE standard deviation (n - 1) of the
 * per-period returns, and their sample mean if `includeMean` (default: zero mean).
 */
export function parametricVaR(returns: readonly number[], options: ParametricOptions = {}): number {
  series(returns, 'returns', 2);
  return normalVaR(stdev(returns), options.includeMean ? mean(returns) : 0, options);
}

/** Parametric (normal) Expected Shortfall with the same estimates as parametricVaR. */
export function parametricCVaR(returns: readonly number[], options: ParametricOptions = {}): number {
  series(returns, 'returns', 2);
  return normalCVaR(stdev(returns), options.includeMean ? mean(returns) : 0, options);
}

/**
 * Monte Carlo VaR and ES. Model: per-period returns are i.i.d. N(μ, σ) with the sample estimates
 * (σ with n - 1; μ = 0 unless `includeMean`). Each path draws h returns and COMPOUNDS them,
 * R = prod(1 + r_i) - 1, so the horizon is simulated, not scaled. VaR and ES are read off the
 * simulated R exactly as in historicalVaR / historicalCVaR (lower empirical quantile, mean of the
 * k worst). The same rng seed gives the same figures.
 */
export function monteCarloVaR(returns: readonly number[], options: MonteCarloOptions): VarResult {
  series(returns, 'returns', 2);
  const { c, h, value } = resolve(options);
  const paths = positiveInteger(options.paths ?? 10_000, 'paths');
  if (typeof options.rng !== 'function') invalidField('rng', 'a seeded uniform source is required');
  const sd = stdev(returns);
  const mu = options.includeMean ? mean(returns) : 0;
  const z = normalSource(options.rng);
  const sims = new Array<number>(paths);
  for (let p = 0; p < paths; p++) {
    let g = 1;
    for (let i = 0; i < h; i++) g *= 1 + mu + sd * z();
    sims[p] = g - 1;
  }
  return empiricalTail(sims, c, value);
}
