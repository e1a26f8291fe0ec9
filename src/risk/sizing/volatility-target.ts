/**
 * Volatility targeting: hold the position whose annualised volatility, in money, is
 * targetVolatility × balance.
 *
 *   leverage  = min(maxLeverage, targetVolatility / assetVolatility)
 *   notional  = balance × leverage
 *   quantity  = floor_to_lot(notional / (price × valuePerPoint))
 *   riskAmount = notional × assetVolatility   (the annualised money volatility budgeted, before
 *                                              the quantity is floored to the lot)
 *
 * Both volatilities are annualised standard deviations of simple returns on the same basis
 * (e.g. annualizedVolatility with periodsPerYear 252 for equities, 365 for crypto).
 */
import { positive } from '../analytics/validate.ts';
import { resolveContext, type SizingContext } from './context.ts';
import { sizeOnGrid } from './lot.ts';
import { Audit, buildResult, type SizingResult } from './result.ts';

export interface VolatilityTargetOptions {
  /** Annualised volatility wanted for the position relative to the balance, e.g. 0.10. */
  targetVolatility: number;
  /** Annualised volatility of the instrument, e.g. 0.40. */
  assetVolatility: number;
  /** Largest notional / balance; default 1 (no leverage). */
  maxLeverage?: number;
}

export function volatilityTarget(ctx: SizingContext, options: VolatilityTargetOptions): SizingResult {
  const audit = new Audit();
  const c = resolveContext(ctx, audit);
  const target = audit.num('targetVolatility', positive(options.targetVolatility, 'targetVolatility'), 'annualised');
  const vol = audit.num('assetVolatility', positive(options.assetVolatility, 'assetVolatility'), 'annualised');
  const maxLev = audit.num('maxLeverage', positive(options.maxLeverage ?? 1, 'maxLeverage'), options.maxLeverage === undefined ? 'default' : 'given');
  const lev = audit.num('leverage', Math.min(maxLev, target / vol), 'min(maxLeverage, target / asset volatility)');
  const notional = audit.num('targetNotional', c.balance * lev, 'balance × leverage');
  const units = audit.num('units', notional / (c.price * c.valuePerPoint), 'targetNotional / (price × valuePerPoint)');
  const riskAmount = audit.num('riskAmount', notional * vol, 'targetNotional × assetVolatility');
  return buildResult('volatility-target', c.instrument, c.balance, c.price, riskAmount, sizeOnGrid(c.instrument, units, audit), audit);
}
