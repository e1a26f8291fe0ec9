/**
 * Consensus of several sizing methods for the SAME instrument: one quantity agreed from theirs.
 *
 * Rules (exact, in bigint raw units of the lot grid):
 * - 'median' (default): the middle quantity; with an even count, the mean of the two middle ones
 *   floored to the lot step;
 * - 'mean': the mean floored to the lot step;
 * - 'min': the most conservative.
 * Every rule lands between the smallest and the largest component (both on the grid, and
 * flooring a value >= the minimum cannot go below it). riskAmount follows the same rule over the
 * components' risk amounts (so it need not belong to the component whose quantity won).
 * A component that says "do not trade" (zero) counts as a zero vote.
 */
import type { Instrument } from '../../model/instrument.ts';
import { Quantity } from '../../model/values.ts';
import { invalidField } from '../analytics/validate.ts';
import { resolveContext, type SizingContext } from './context.ts';
import { Audit, buildResult, type SizingResult } from './result.ts';

export type ConsensusRule = 'median' | 'mean' | 'min';

export interface ConsensusOptions {
  rule?: ConsensusRule;
}

function floorLot(raw: bigint, instrument: Instrument): bigint {
  return raw - (raw % instrument.lotSize.raw);
}

function pickRaw(sorted: readonly bigint[], rule: ConsensusRule, instrument: Instrument): bigint {
  const n = sorted.length;
  switch (rule) {
    case 'min':
      return sorted[0] as bigint;
    case 'mean':
      return floorLot(sorted.reduce((a, b) => a + b, 0n) / BigInt(n), instrument);
    case 'median':
      return n % 2 === 1 ? (sorted[(n - 1) / 2] as bigint) : floorLot(((sorted[n / 2 - 1] as bigint) + (sorted[n / 2] as bigint)) / 2n, instrument);
  }
}

function pickNumber(sorted: readonly number[], rule: ConsensusRule): number {
  const n = sorted.length;
  switch (rule) {
    case 'min':
      return sorted[0] as number;
    case 'mean':
      return sorted.reduce((a, b) => a + b, 0) / n;
    case 'median':
      return n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
  }
}

export function consensus(ctx: SizingContext, components: readonly SizingResult[], options: ConsensusOptions = {}): SizingResult {
  const rule = options.rule ?? 'median';
  if (rule !== 'median' && rule !== 'mean' && rule !== 'min') invalidField('rule', `must be median, mean or min, got ${String(rule)}`, rule);
  if (components.length === 0) invalidField('components', 'needs at least one sizing result');
  const audit = new Audit();
  const c = resolveContext(ctx, audit);
  const p = c.instrument.sizePrecision;
  const raws = components.map((r, i) => {
    if (r.instrument !== c.instrument.id) invalidField(`components[${i}].instrument`, `must be ${c.instrument.id}, got ${r.instrument}`, r.instrument);
    audit.add(`component.${i}`, r.quantity.toString(), `${r.method}, riskAmount ${r.riskAmount}`);
    // Re-read on this grid: a component on another precision of the same instrument is refused here.
    return c.instrument.quantity(r.quantity, `components[${i}].quantity`).raw;
  });
  const sorted = [...raws].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const q = Quantity.fromRaw(pickRaw(sorted, rule, c.instrument), p);
  audit.add('quantity', q.toString(), `${rule} of ${components.length} components, floored to lot ${c.instrument.lotSize.toString()}`);
  const risks = components.map((r) => r.riskAmount).sort((a, b) => a - b);
  const riskAmount = audit.num('riskAmount', pickNumber(risks, rule), `${rule} of the components' risk amounts`);
  return buildResult('consensus', c.instrument, c.balance, c.price, riskAmount, q, audit);
}
