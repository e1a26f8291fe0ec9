import { formatRaw } from '../../model/decimal.ts';
import { Instrument } from '../../model/instrument.ts';
import type { Order } from '../../model/orders/order.ts';

/** Per instrument definition, the same instrument on its finest grid (one unit of its precision). */
const finest = new WeakMap<Instrument, Instrument>();

/**
 * The instrument a venue report about `order` is checked against. An order placed before the
 * venue last changed the instrument's grid (`gridChangedAt`, FAULTS 35) works at the venue as it
 * was placed, and may fill in the old grid's steps: its reports are checked at the instrument's
 * precision instead (every grid it has had shares that precision; Engine.updateInstrument keeps
 * it), so they are never refused for the new grid and never rounded. Any other order's reports
 * are checked against the grid in force.
 */
export function reportGridFor(order: Order, inst: Instrument, gridChangedAt: number | undefined): Instrument {
  if (gridChangedAt === undefined || order.tsInit > gridChangedAt) return inst;
  let f = finest.get(inst);
  if (f === undefined) {
    const { minQuantity: _minQ, maxQuantity: _maxQ, minNotional: _minN, maxNotional: _maxN, ...rest } = inst.spec;
    f = new Instrument({ ...rest, tickSize: formatRaw(1n, inst.pricePrecision), lotSize: formatRaw(1n, inst.sizePrecision), pricePrecision: inst.pricePrecision, sizePrecision: inst.sizePrecision });
    finest.set(inst, f);
  }
  return f;
}
