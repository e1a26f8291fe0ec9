/**
 * Shared plumbing of the built-in strategies: parameter parsing with the typed error sma-cross
 * uses (ValidationError 'INVALID_FIELD' naming the field), and the long-only entry/exit rules
 * (flat = no position and no working order; entry = floor-to-lot(fraction × equity ÷ close);
 * exit = sell the whole long position with a market order).
 */
import type { StrategyContext } from '../strategy/strategy.ts';
import { ValidationError } from '../model/errors.ts';
import { floorToLot } from '../risk/sizing/lot.ts';

export interface ParamDoc {
  readonly name: string;
  readonly default: string;
  readonly doc: string;
}

/** The typed parameter error: `<strategy> <field> <message>`, code INVALID_FIELD, details.field. */
export function invalidParam(strategy: string, field: string, message: string): ValidationError {
  return new ValidationError('INVALID_FIELD', `${strategy} ${field} ${message}`, { field });
}

/**
 * `--param` text to numbers: unknown names and non-numbers are rejected; a missing one takes its
 * documented default. Range checks are the strategy constructor's.
 */
export function parseNumericParams<K extends string>(strategy: string, docs: readonly (ParamDoc & { name: K })[], params: Readonly<Record<string, string>>): Record<K, number> {
  const names = docs.map((d) => d.name);
  for (const k of Object.keys(params)) if (!names.includes(k as K)) throw invalidParam(strategy, k, `is not a parameter (${names.join(', ')})`);
  const out = {} as Record<K, number>;
  for (const d of docs) {
    const v = params[d.name] ?? d.default;
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw invalidParam(strategy, d.name, `must be a number, got ${JSON.stringify(v)}`);
    out[d.name] = x;
  }
  return out;
}

export function requireInt(strategy: string, field: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min) throw invalidParam(strategy, field, `must be a whole number ≥ ${min}, got ${v}`);
}

export function requireFraction(strategy: string, v: number): void {
  if (!(v > 0 && v <= 1)) throw invalidParam(strategy, 'fraction', `must be in (0, 1], got ${v}`);
}

export function requirePositive(strategy: string, field: string, v: number): void {
  if (!(Number.isFinite(v) && v > 0)) throw invalidParam(strategy, field, `must be a number > 0, got ${v}`);
}

/** No position and no working order in the instrument. */
export function isFlat(ctx: StrategyContext, instrumentId: string): boolean {
  return ctx.netQuantity(instrumentId) === 0 && !ctx.hasOpenOrders(instrumentId);
}

/** An open long position and no working order (so an exit is not sent twice). */
export function holdsLong(ctx: StrategyContext, instrumentId: string): boolean {
  const held = ctx.position(instrumentId);
  return held !== undefined && held.isOpen && held.side === 'LONG' && !ctx.hasOpenOrders(instrumentId);
}

/**
 * Market buy of floor-to-lot(fraction × equity ÷ close), computed in float64 in that order;
 * nothing when it floors to zero. Returns whether an order was sent, and its promise.
 */
export function enterLong(ctx: StrategyContext, instrumentId: string, fraction: number, close: number): Promise<void> | undefined {
  const inst = ctx.instrument(instrumentId);
  const qty = floorToLot(inst, (fraction * ctx.equity().toNumber()) / close);
  if (qty.isZero()) return undefined;
  return ctx.market(inst.id, 'BUY', qty).then(ignore);
}

/**
 * Market sell of the whole long position, as far as the account holds it: with fees taken in the
 * base currency a CASH account holds less than the position, and a sell of coins it does not hold
 * is refused by a venue (sellable.ts). Nothing when nothing can be sold.
 */
export function exitLong(ctx: StrategyContext, instrumentId: string): Promise<void> | undefined {
  const held = ctx.position(instrumentId);
  if (!held || !held.isOpen || held.side !== 'LONG') return undefined;
  const qty = ctx.sellable(instrumentId);
  if (qty.isZero()) return undefined;
  return ctx.market(instrumentId, 'SELL', qty).then(ignore);
}

export function ignore(): void {}

/**
 * The two instruments of a two-legged strategy (the run's first and second data sources), and
 * their closes at the same bar time. `update` returns true when the bar just seen completes a
 * pair: the other instrument's last bar has the same open time. A minute one of them lacks is
 * skipped (no stale price is paired).
 */
export class PairedCloses {
  a = '';
  b = '';
  private tsA = Number.NaN;
  private tsB = Number.NaN;
  closeA = Number.NaN;
  closeB = Number.NaN;

  start(strategy: string, ctx: StrategyContext): void {
    if (ctx.instruments.length < 2) throw invalidParam(strategy, 'sources', `needs two instruments (two --data), got ${ctx.instruments.length}`);
    this.a = ctx.instruments[0]!.id;
    this.b = ctx.instruments[1]!.id;
  }

  update(instrumentId: string, ts: number, close: number): boolean {
    if (instrumentId === this.a) {
      this.tsA = ts;
      this.closeA = close;
    } else if (instrumentId === this.b) {
      this.tsB = ts;
      this.closeB = close;
    } else return false;
    return this.tsA === this.tsB;
  }
}

/** An exact rate as a float (fees for a decision, not for accounting). */
export function rateToNumber(r: { readonly digits: bigint; readonly scale: number }): number {
  return Number(r.digits) / 10 ** r.scale;
}
