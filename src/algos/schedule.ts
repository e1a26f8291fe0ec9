/**
 * The decision for scheduled slicing (TWAP and VWAP): given the plan, the children so far and the
 * time, what to do now. Pure: the runner calls it on every clock or order event and carries out
 * the actions.
 *
 * - A slice goes out when the clock reaches its time; slices whose time passed together (the
 *   clock jumped) go out as one child.
 * - Catch-up: a child still working when the next slice is due is canceled first; once it is
 *   closed, the next child is sized to the cumulative target minus what has filled, so what the
 *   last one missed rolls into it.
 * - At the end, working children are canceled; then the remainder is sent as a final MARKET slice
 *   (`SEND_REMAINDER`) or left (`LEAVE`).
 * - No child ever takes filled + working past the parent quantity (ChildLedger.sendable).
 */
import { shown, ValidationError } from '../model/errors.ts';
import type { Instrument } from '../model/instrument.ts';
import { Quantity } from '../model/values.ts';
import type { ChildLedger } from './children.ts';
import { cancelsFor, failureStop } from './stops.ts';
import type { AlgoAction, AtEnd, ChildOrder, SliceOrder } from './types.ts';

export interface ScheduledPlan {
  readonly kind: 'TWAP' | 'VWAP';
  readonly parentId: string;
  readonly quantity: Quantity;
  /** When each slice is due; same length as `slices`. */
  readonly times: readonly number[];
  /** Exact slices summing to `quantity`; a zero slice sends nothing. */
  readonly slices: readonly Quantity[];
  readonly endTime: number;
  readonly order: ChildOrder;
  readonly atEnd: AtEnd;
  readonly minQuantity: Quantity | undefined;
}

export function decideScheduled(plan: ScheduledPlan, ledger: ChildLedger, now: number): AlgoAction[] {
  const failed = failureStop(plan.parentId, ledger);
  if (failed) return [failed];
  const working = ledger.working();
  if (ledger.filled.cmp(plan.quantity) >= 0) return working.length > 0 ? cancelsFor(working) : [{ do: 'stop', status: 'DONE', reason: 'FILLED' }];
  const count = plan.slices.length;
  const next = ledger.nextSlice();
  if (now < plan.endTime) {
    let due = -1;
    for (let i = next; i < count && plan.times[i]! <= now; i++) if (!plan.slices[i]!.isZero()) due = i;
    if (due < 0) return [];
    if (working.length > 0) return cancelsFor(working);
    const goal = target(plan, due);
    const quantity = ledger.filled.cmp(goal) >= 0 ? undefined : goal.sub(ledger.filled).min(ledger.sendable(plan.quantity));
    // Late fills already cover this slice: nothing to send until the next one is due.
    if (!quantity || quantity.isZero()) return [];
    return [{ do: 'submit', slice: due, quantity, order: plan.order }];
  }
  const sliced = working.filter((c) => c.slice < count);
  if (sliced.length > 0) return cancelsFor(sliced);
  if (working.length > 0) return []; // the final slice is still working
  if (next > count || plan.atEnd === 'LEAVE') return [{ do: 'stop', status: 'DONE', reason: 'HORIZON_END' }];
  const rest = ledger.sendable(plan.quantity);
  if (plan.minQuantity && rest.cmp(plan.minQuantity) < 0) {
    return [
      {
        do: 'stop',
        status: 'DONE',
        reason: 'REMAINDER_BELOW_MIN',
        alert: { code: 'ALGO_REMAINDER_BELOW_MIN', message: `${plan.parentId}: remainder ${rest.toString()} is below the minimum ${plan.minQuantity.toString()}; left unsent` },
      },
    ];
  }
  return [{ do: 'submit', slice: count, quantity: rest, order: { type: 'MARKET' } }];
}

/** Cumulative target through slice `i`. */
function target(plan: ScheduledPlan, i: number): Quantity {
  let sum = Quantity.zero(plan.quantity.precision);
  for (let k = 0; k <= i; k++) sum = sum.add(plan.slices[k]!);
  return sum;
}

// ---- validation shared by the TWAP and VWAP plans ----

/** The parent quantity: on the lot grid, positive, at least the instrument's minimum. */
export function parentQuantity(value: Parameters<Instrument['quantity']>[0], instrument: Instrument, field = 'quantity'): Quantity {
  const q = instrument.quantity(value, field);
  if (q.isZero()) throw new ValidationError('NON_POSITIVE_QUANTITY', `${field} must be positive`, { field });
  if (instrument.minQuantity && q.cmp(instrument.minQuantity) < 0) {
    throw new ValidationError('QUANTITY_BELOW_MIN', `${field} ${q.toString()} is below the minimum ${instrument.minQuantity.toString()}`, {
      field,
      input: q.toString(),
      min: instrument.minQuantity.toString(),
    });
  }
  return q;
}

/** The horizon: whole epoch ms, start before end, and not over yet. */
export function horizon(startTime: number | undefined, endTime: number, now: number): { start: number; end: number } {
  const start = startTime ?? now;
  if (!Number.isSafeInteger(start)) throw new ValidationError('INVALID_FIELD', `startTime must be epoch ms, got ${shown(startTime)}`, { field: 'startTime', input: shown(startTime) });
  if (!Number.isSafeInteger(endTime) || endTime <= start || endTime <= now) {
    throw new ValidationError('INVALID_FIELD', `endTime must be epoch ms after the start and now, got ${shown(endTime)}`, { field: 'endTime', input: shown(endTime) });
  }
  return { start, end: endTime };
}

/** `count` slice times at equal intervals from `start`, on whole milliseconds. */
export function sliceTimes(start: number, end: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + Math.floor(((end - start) * i) / count));
}

export function childOrder(order: SliceOrder | undefined, instrument: Instrument): ChildOrder {
  const o = order ?? { type: 'MARKET' };
  switch (o.type) {
    case 'MARKET':
      return { type: 'MARKET' };
    case 'LIMIT':
      return { type: 'LIMIT', price: instrument.orderPrice(o.price, 'order.price') };
    default: {
      const type: unknown = (o as { type?: unknown }).type;
      throw new ValidationError('INVALID_FIELD', `order.type must be MARKET or LIMIT, got ${shown(type)}`, { field: 'order.type', input: shown(type) });
    }
  }
}

export function atEndOf(value: AtEnd | undefined): AtEnd {
  const v = value ?? 'LEAVE';
  if (v !== 'LEAVE' && v !== 'SEND_REMAINDER') throw new ValidationError('INVALID_FIELD', `atEnd must be LEAVE or SEND_REMAINDER, got ${shown(v)}`, { field: 'atEnd', input: shown(v) });
  return v;
}
