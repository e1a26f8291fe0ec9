/** Fixed fractional sizing: risk a fixed fraction of the balance between entry and stop. */
import { inRange, positive } from '../analytics/validate.ts';
import { resolveContext, type SizingContext } from './context.ts';
import { sizeOnGrid } from './lot.ts';
import { Audit, buildResult, type SizingResult } from './result.ts';

export interface FixedFractionalOptions {
  /** Fraction of the balance to lose if the stop is hit, in [0, 1] (0.01 = 1 %). */
  riskPct: number;
  /** |entry - stop| in price units; > 0. */
  stopDistance: number;
}

/**
 * riskAmount = balance × riskPct; quantity = floor_to_lot(riskAmount / (stopDistance × valuePerPoint)).
 * Example: 100 000 × 1 % = 1 000 at risk, stop 250, value per point 1 → 4 units.
 */
export function fixedFractional(ctx: SizingContext, options: FixedFractionalOptions): SizingResult {
  const audit = new Audit();
  const c = resolveContext(ctx, audit);
  const riskPct = audit.num('riskPct', inRange(options.riskPct, 0, 1, 'riskPct'), 'given');
  const stop = audit.num('stopDistance', positive(options.stopDistance, 'stopDistance'), 'given');
  const riskAmount = audit.num('riskAmount', c.balance * riskPct, 'balance × riskPct');
  const perUnit = audit.num('riskPerUnit', stop * c.valuePerPoint, 'stopDistance × valuePerPoint');
  const units = audit.num('units', riskAmount / perUnit, 'riskAmount / riskPerUnit');
  const q = sizeOnGrid(c.instrument, units, audit);
  return buildResult('fixed-fractional', c.instrument, c.balance, c.price, riskAmount, q, audit, riskPct);
}
