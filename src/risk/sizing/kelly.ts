/**
 * Kelly sizing. The Kelly fraction f* = W - (1 - W) / R, with W the win rate and R the payoff
 * ratio (average win / average loss), is read as the fraction of the balance to RISK per trade,
 * i.e. to lose if the stop is hit; the stop distance turns that money into a quantity.
 */
import { inRange, invalidField, positive } from '../analytics/validate.ts';
import { resolveContext, type SizingContext } from './context.ts';
import { sizeOnGrid } from './lot.ts';
import { Audit, buildResult, type SizingResult } from './result.ts';
import { Quantity } from '../../model/values.ts';

export interface KellyStats {
  /** Fraction of winning trades, in [0, 1]. */
  winRate: number;
  /** Average win, > 0 (money or R multiples: only the ratio matters). */
  avgWin: number;
  /** Average loss as a positive number, > 0. */
  avgLoss: number;
}

/** f* = W - (1 - W) / R, R = avgWin / avgLoss. Negative means the edge is negative. */
export function kellyFraction(stats: KellyStats): number {
  const w = inRange(stats.winRate, 0, 1, 'winRate');
  const r = positive(stats.avgWin, 'avgWin') / positive(stats.avgLoss, 'avgLoss');
  return w - (1 - w) / r;
}

export interface KellyOptions extends KellyStats {
  /** Multiplier on f*, in (0, 1]; default 1 (full Kelly). 0.5 is "half Kelly". */
  fraction?: number;
  /** Largest fraction of the balance ever risked, in [0, 1]; default 1 (no cap). */
  cap?: number;
  /** |entry - stop| in price units; > 0. */
  stopDistance: number;
}

/**
 * Kelly and fractional Kelly with a cap: riskPct = min(cap, f* × fraction), zero quantity when
 * f* <= 0; riskAmount = balance × riskPct; quantity = floor_to_lot(riskAmount / (stop × valuePerPoint)).
 */
export function kellySize(ctx: SizingContext, options: KellyOptions): SizingResult {
  const audit = new Audit();
  const c = resolveContext(ctx, audit);
  const fraction = options.fraction ?? 1;
  if (!(fraction > 0 && fraction <= 1)) invalidField('fraction', `must be in (0, 1], got ${fraction}`, fraction);
  const cap = inRange(options.cap ?? 1, 0, 1, 'cap');
  const stop = positive(options.stopDistance, 'stopDistance');
  const f = audit.num('kelly', kellyFraction(options), `W - (1 - W) / R with W ${options.winRate}, R ${options.avgWin / options.avgLoss}`);
  if (f <= 0) {
    audit.add('decision', 'no-trade', 'Kelly fraction <= 0: no edge');
    return buildResult('kelly', c.instrument, c.balance, c.price, 0, Quantity.zero(c.instrument.sizePrecision), audit);
  }
  const scaled = audit.num('fractionalKelly', f * fraction, `kelly × fraction ${fraction}`);
  const riskPct = audit.num('riskPct', Math.min(cap, scaled), `min(cap ${cap}, fractionalKelly)`);
  const riskAmount = audit.num('riskAmount', c.balance * riskPct, 'balance × riskPct');
  const perUnit = audit.num('riskPerUnit', stop * c.valuePerPoint, 'stopDistance × valuePerPoint');
  const units = audit.num('units', riskAmount / perUnit, 'riskAmount / riskPerUnit');
  return buildResult('kelly', c.instrument, c.balance, c.price, riskAmount, sizeOnGrid(c.instrument, units, audit), audit, riskPct);
}
