/**
 * The VaR table the risk report shows: historical, parametric and Monte Carlo VaR and ES for each
 * horizon (1, 5, 30 periods by default) and confidence (95 %, 99 % by default). Conventions are
 * those of var.ts: simple returns in, positive losses out, in units of `value`.
 */
import type { Rng } from './random.ts';
import { historicalCVaR, historicalVaR, monteCarloVaR, parametricCVaR, parametricVaR } from './var.ts';

export type VarMethod = 'historical' | 'parametric' | 'monte-carlo';

export interface VarRow {
  method: VarMethod;
  confidence: number;
  horizon: number;
  var: number;
  cvar: number;
}

export interface VarReportOptions {
  value?: number;
  confidences?: readonly number[];
  horizons?: readonly number[];
  /** Seeded source for the Monte Carlo rows. */
  rng: Rng;
  /** Monte Carlo paths per (confidence, horizon); default 10 000. */
  paths?: number;
  /** Subtract the drift in the parametric and Monte Carlo rows; default false. */
  includeMean?: boolean;
}

/** Rows in the order method × horizon × confidence. Historical rows need at least `horizon` returns. */
export function varReport(returns: readonly number[], options: VarReportOptions): VarRow[] {
  const confidences = options.confidences ?? [0.95, 0.99];
  const horizons = options.horizons ?? [1, 5, 30];
  const rows: VarRow[] = [];
  const base = { value: options.value ?? 1, includeMean: options.includeMean ?? false };
  for (const horizon of horizons) {
    for (const confidence of confidences) {
      const o = { ...base, horizon, confidence };
      rows.push({ method: 'historical', confidence, horizon, var: historicalVaR(returns, o), cvar: historicalCVaR(returns, o) });
    }
  }
  for (const horizon of horizons) {
    for (const confidence of confidences) {
      const o = { ...base, horizon, confidence };
      rows.push({ method: 'parametric', confidence, horizon, var: parametricVaR(returns, o), cvar: parametricCVaR(returns, o) });
    }
  }
  for (const horizon of horizons) {
    for (const confidence of confidences) {
      const mc = monteCarloVaR(returns, { ...base, horizon, confidence, rng: options.rng, paths: options.paths ?? 10_000 });
      rows.push({ method: 'monte-carlo', confidence, horizon, var: mc.var, cvar: mc.cvar });
    }
  }
  return rows;
}
