/**
 * From risk-parity weights to exact quantities, one SizingResult per leg.
 *
 *   notional_i = balance × grossExposure × w_i;  quantity_i = floor_to_lot(notional_i / (price_i × valuePerPoint_i))
 */
import type { Instrument } from '../../model/instrument.ts';
import { annualiser, matVec, quadForm } from '../analytics/stats.ts';
import { at, invalidField, positive } from '../analytics/validate.ts';
import { resolveContext } from './context.ts';
import { sizeOnGrid } from './lot.ts';
import { Audit, buildResult, type SizingMethod, type SizingResult } from './result.ts';
import { equalRiskContributionWeights, inverseVolatilityWeights, type ErcOptions } from './risk-parity.ts';

export interface Leg {
  instrument: Instrument;
  price: number;
  valuePerPoint?: number;
}

export interface VolLeg extends Leg {
  /** Annualised volatility of the leg's simple returns, > 0. */
  volatility: number;
}

export interface AllocationOptions {
  /** Total notional / balance; default 1. */
  grossExposure?: number;
}

function allocate(
  method: SizingMethod,
  balance: number,
  legs: readonly Leg[],
  weights: readonly number[],
  riskAmountOf: (notional: number, i: number) => number,
  riskNote: string,
  gross: number,
): SizingResult[] {
  return legs.map((leg, i) => {
    const audit = new Audit();
    const c = resolveContext({ instrument: leg.instrument, balance, price: leg.price, valuePerPoint: leg.valuePerPoint }, audit);
    const w = audit.num('weight', weights[i] as number, `${method} weight of leg ${i}`);
    const notional = audit.num('targetNotional', c.balance * gross * w, `balance × grossExposure ${gross} × weight`);
    const riskAmount = audit.num('riskAmount', riskAmountOf(notional, i), riskNote);
    const units = audit.num('units', notional / (c.price * c.valuePerPoint), 'targetNotional / (price × valuePerPoint)');
    return buildResult(method, c.instrument, c.balance, c.price, riskAmount, sizeOnGrid(c.instrument, units, audit), audit);
  });
}

/**
 * Inverse-volatility allocation: w_i ∝ 1 / volatility_i. riskAmount_i = notional_i × volatility_i,
 * the leg's stand-alone annualised money volatility, which is the same for every leg.
 */
export function inverseVolatilitySizes(balance: number, legs: readonly VolLeg[], options: AllocationOptions = {}): SizingResult[] {
  if (legs.length === 0) invalidField('legs', 'needs at least one leg');
  const gross = positive(options.grossExposure ?? 1, 'grossExposure');
  const vols = legs.map((l, i) => positive(l.volatility, `legs[${i}].volatility`));
  const w = inverseVolatilityWeights(vols);
  return allocate('inverse-volatility', balance, legs, w, (n, i) => n * (vols[i] as number), 'targetNotional × volatility (stand-alone, annualised)', gross);
}

export interface ErcAllocationOptions extends AllocationOptions, ErcOptions {
  /** Periods per year of the covariance's returns, to annualise risk amounts; default 252. */
  periodsPerYear?: number;
}

/**
 * Equal-risk-contribution allocation from a per-period covariance matrix of the legs' simple
 * returns (see equalRiskContributionWeights). riskAmount_i is the leg's annualised contribution to
 * portfolio money volatility, notional_i × (Σ w)_i / sqrt(wᵀ Σ w) × sqrt(periodsPerYear); the legs'
 * amounts are equal (or in the budget ratios) and sum to the portfolio's.
 * Throws INVALID_FIELD 'covariance' if the solver does not converge.
 */
export function equalRiskContributionSizes(
  balance: number,
  legs: readonly Leg[],
  covariance: readonly (readonly number[])[],
  options: ErcAllocationOptions = {},
): SizingResult[] {
  if (legs.length !== covariance.length) invalidField('covariance', `must be ${legs.length}×${legs.length} like legs, got ${covariance.length} rows`);
  const gross = positive(options.grossExposure ?? 1, 'grossExposure');
  const ann = annualiser(options.periodsPerYear ?? 252);
  const erc = equalRiskContributionWeights(covariance, options);
  if (!erc.converged) invalidField('covariance', `equal risk contribution did not converge in ${erc.iterations} iterations`);
  const sw = matVec(covariance, erc.weights);
  const sd = Math.sqrt(quadForm(covariance, erc.weights));
  const note = 'targetNotional × (Σw)_i / sqrt(wᵀΣw) × sqrt(periodsPerYear): annualised contribution to portfolio volatility';
  return allocate('equal-risk-contribution', balance, legs, erc.weights, (n, i) => (sd === 0 ? 0 : (n * (sw[i] as number) * ann) / sd), note, gross);
}

/** Per-leg annualised volatility sqrt(Σ_ii × periodsPerYear), for inverseVolatilitySizes. */
export function volatilitiesOf(covariance: readonly (readonly number[])[], periodsPerYear = 252): number[] {
  const ann = annualiser(periodsPerYear);
  return covariance.map((_, i) => Math.sqrt(at(covariance, i, i)) * ann);
}
