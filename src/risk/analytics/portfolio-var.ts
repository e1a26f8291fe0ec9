/**
 * Portfolio VaR and its split into per-position contributions (component VaR).
 *
 * Inputs: `values` are the positions' signed values in money (short positions negative) and
 * `covariance` the per-period covariance matrix of their SIMPLE returns (sample, e.g. from
 * covarianceMatrix). Losses are reported as POSITIVE money amounts. The model is normal with zero
 * mean; the horizon scales by SQRT-OF-TIME.
 */
import { normalPdf, normalQuantile } from './normal.ts';
import { normalSource, type Rng } from './random.ts';
import { cholesky, lowerQuantileRank, matVec, quadForm, sum } from './stats.ts';
import { confidence as checkConfidence, covariance as checkCovariance, invalidField, positiveInteger, series } from './validate.ts';

export interface PortfolioVarOptions {
  confidence?: number;
  horizon?: number;
}

export interface ComponentVaR {
  /** z σ_p sqrt(h), σ_p = sqrt(vᵀ Σ v). */
  portfolioVaR: number;
  /** Per-period standard deviation of portfolio PnL in money, σ_p. */
  portfolioSd: number;
  /** ∂VaR/∂v_i = z sqrt(h) (Σ v)_i / σ_p: VaR added per unit of money added to position i. */
  marginal: number[];
  /** v_i × marginal_i. Sums to portfolioVaR exactly in theory (Euler allocation). */
  component: number[];
  /** component_i / portfolioVaR (0 when portfolioVaR is 0). */
  percent: number[];
}

function inputs(values: readonly number[], cov: readonly (readonly number[])[], o: PortfolioVarOptions) {
  series(values, 'values', 1);
  checkCovariance(cov);
  if (cov.length !== values.length) invalidField('covariance', `must be ${values.length}×${values.length} like values, got ${cov.length}×${cov.length}`);
  return { c: checkConfidence(o.confidence ?? 0.95), h: positiveInteger(o.horizon ?? 1, 'horizon') };
}

/** Parametric portfolio VaR = z_c sqrt(vᵀ Σ v) sqrt(h). */
export function portfolioParametricVaR(values: readonly number[], covariance: readonly (readonly number[])[], options: PortfolioVarOptions = {}): number {
  const { c, h } = inputs(values, covariance, options);
  return normalQuantile(c) * Math.sqrt(Math.max(0, quadForm(covariance, values))) * Math.sqrt(h);
}

/** Parametric portfolio Expected Shortfall = σ_p sqrt(h) φ(z_c) / (1 - c). */
export function portfolioParametricCVaR(values: readonly number[], covariance: readonly (readonly number[])[], options: PortfolioVarOptions = {}): number {
  const { c, h } = inputs(values, covariance, options);
  return (Math.sqrt(Math.max(0, quadForm(covariance, values))) * Math.sqrt(h) * normalPdf(normalQuantile(c))) / (1 - c);
}

/**
 * Component VaR (Euler allocation of parametric VaR, Jorion, "Value at Risk", 3rd ed., ch. 7):
 * marginal_i = z sqrt(h) (Σ v)_i / σ_p and component_i = v_i marginal_i, so Σ component = VaR.
 * A hedge has a negative component. With zero portfolio risk every figure is 0.
 */
export function componentVaR(values: readonly number[], covariance: readonly (readonly number[])[], options: PortfolioVarOptions = {}): ComponentVaR {
  const { c, h } = inputs(values, covariance, options);
  const k = normalQuantile(c) * Math.sqrt(h);
  const sv = matVec(covariance, values);
  const sd = Math.sqrt(Math.max(0, sum(sv.map((x, i) => x * (values[i] as number)))));
  const marginal = sv.map((x) => (sd === 0 ? 0 : (k * x) / sd));
  const component = marginal.map((m, i) => m * (values[i] as number));
  const total = k * sd;
  return { portfolioVaR: total, portfolioSd: sd, marginal, component, percent: component.map((x) => (total === 0 ? 0 : x / total)) };
}

export interface PortfolioMonteCarloOptions extends PortfolioVarOptions {
  rng: Rng;
  paths?: number;
}

/**
 * Monte Carlo portfolio VaR and ES: per-period returns are drawn jointly normal with zero mean and
 * the given covariance (correlated through its Cholesky factor), compounded over h periods per
 * asset, and revalued: PnL = Σ v_i (prod(1 + r_i,t) - 1). VaR is the lower empirical quantile of
 * the simulated PnL (loss positive), ES the mean of the k = ceil(paths α) worst.
 */
export function portfolioMonteCarloVaR(
  values: readonly number[],
  covariance: readonly (readonly number[])[],
  options: PortfolioMonteCarloOptions,
): { var: number; cvar: number } {
  const { c, h } = inputs(values, covariance, options);
  const paths = positiveInteger(options.paths ?? 10_000, 'paths');
  if (typeof options.rng !== 'function') invalidField('rng', 'a seeded uniform source is required');
  const l = cholesky(covariance);
  const n = values.length;
  const z = normalSource(options.rng);
  const pnl = new Array<number>(paths);
  const e = new Array<number>(n);
  const growth = new Array<number>(n);
  for (let p = 0; p < paths; p++) {
    growth.fill(1);
    for (let t = 0; t < h; t++) {
      for (let i = 0; i < n; i++) e[i] = z();
      for (let i = 0; i < n; i++) {
        const li = l[i] as number[];
        let r = 0;
        for (let j = 0; j <= i; j++) r += (li[j] as number) * (e[j] as number);
        growth[i] = (growth[i] as number) * (1 + r);
      }
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += (values[i] as number) * ((growth[i] as number) - 1);
    pnl[p] = s;
  }
  pnl.sort((a, b) => a - b);
  const k = lowerQuantileRank(paths, 1 - c);
  return { var: -(pnl[k - 1] as number), cvar: -sum(pnl.slice(0, k)) / k };
}
