/**
 * Iceberg slicing for venues without native icebergs: one LIMIT child of the display size works at
 * a time; when it has filled, the next goes out, until the total is done (the last child is the
 * remainder). The book never shows more than the display size. Where the venue has native
 * icebergs, the plan is one LIMIT order with a display quantity and the venue does the rest.
 */
import { ValidationError } from '../model/errors.ts';
import type { Instrument } from '../model/instrument.ts';
import type { Price, Quantity } from '../model/values.ts';
import type { ChildLedger } from './children.ts';
import { parentQuantity } from './schedule.ts';
import { cancelsFor, failureStop } from './stops.ts';
import type { AlgoAction, IcebergRequest } from './types.ts';

export interface IcebergPlan {
  readonly kind: 'ICEBERG';
  readonly parentId: string;
  readonly quantity: Quantity;
  readonly displayQuantity: Quantity;
  readonly price: Price;
  /** One order with a display quantity, left to the venue. */
  readonly native: boolean;
}

export function planIceberg(req: IcebergRequest, instrument: Instrument, native: boolean): IcebergPlan {
  const quantity = parentQuantity(req.quantity, instrument);
  const displayQuantity = parentQuantity(req.displayQuantity, instrument, 'displayQuantity');
  if (displayQuantity.cmp(quantity) > 0) {
    throw new ValidationError('DISPLAY_QTY_EXCEEDS_QUANTITY', `displayQuantity ${displayQuantity.toString()} exceeds quantity ${quantity.toString()}`, {
      field: 'displayQuantity',
      input: displayQuantity.toString(),
    });
  }
  // The last child is the remainder: refuse now a remainder the venue would refuse later.
  // Both are on the instrument's size precision (instrument.quantity), so raw units compare.
  const rest = quantity.raw % displayQuantity.raw;
  const min = instrument.minQuantity;
  if (!native && min && rest > 0n && rest < min.raw) {
    throw new ValidationError('QUANTITY_BELOW_MIN', `the last child (${quantity.toString()} mod ${displayQuantity.toString()}) would be below the minimum ${min.toString()}`, {
      field: 'quantity',
      input: quantity.toString(),
      min: min.toString(),
    });
  }
  return { kind: 'ICEBERG', parentId: req.parentId, quantity, displayQuantity, price: instrument.orderPrice(req.price, 'price'), native };
}

export function decideIceberg(plan: IcebergPlan, ledger: ChildLedger): AlgoAction[] {
  const failed = failureStop(plan.parentId, ledger);
  if (failed) return [failed];
  const working = ledger.working();
  if (ledger.filled.cmp(plan.quantity) >= 0) return working.length > 0 ? cancelsFor(working) : [{ do: 'stop', status: 'DONE', reason: 'FILLED' }];
  if (working.length > 0) return [];
  const quantity = ledger.sendable(plan.quantity);
  if (quantity.isZero()) return [];
  const slice = ledger.nextSlice();
  if (plan.native) return [{ do: 'submit', slice, quantity, order: { type: 'LIMIT', price: plan.price, displayQuantity: plan.displayQuantity.min(quantity) } }];
  return [{ do: 'submit', slice, quantity: quantity.min(plan.displayQuantity), order: { type: 'LIMIT', price: plan.price } }];
}
