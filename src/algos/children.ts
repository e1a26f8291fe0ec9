/**
 * The children of one algorithm, folded from their order events: what each was sent for, what it
 * filled (late fills after a cancel included), whether it is still working, and how it ended.
 * Pure bookkeeping: no engine, no bus. A child is recorded before its submit goes out, so its
 * quantity counts as working from the start and the deciders never send past the parent.
 */
import type { OrderEvent } from '../model/orders/events.ts';
import { Price, Quantity } from '../model/values.ts';
import { AveragePrice } from './average-price.ts';

/** How a child ended: filled, canceled at our request, or something the algorithm cannot go on from. */
export type ChildEnd =
  | { readonly kind: 'FILLED' }
  | { readonly kind: 'CANCELED' }
  /** Canceled or expired without our asking (an operator's cancel-all, a DAY expiry). */
  | { readonly kind: 'LOST'; readonly event: 'OrderCanceled' | 'OrderExpired' }
  | { readonly kind: 'DENIED'; readonly code: string; readonly reason: string }
  | { readonly kind: 'REJECTED'; readonly reason: string };

export interface Child {
  readonly clientOrderId: string;
  /** The slice it was sent for (TWAP/VWAP: slice index, the final remainder is `slices`). */
  readonly slice: number;
  quantity: Quantity;
  filled: Quantity;
  cancelRequested: boolean;
  end: ChildEnd | undefined;
}

export class ChildLedger {
  private readonly list: Child[] = [];
  private readonly byId = new Map<string, Child>();
  private filledRaw = 0n;
  private costRaw = 0n;

  constructor(
    private readonly sizePrecision: number,
    private readonly pricePrecision: number,
  ) {}

  /** Records a child about to be submitted. */
  add(clientOrderId: string, slice: number, quantity: Quantity): Child {
    const c: Child = { clientOrderId, slice, quantity, filled: Quantity.zero(this.sizePrecision), cancelRequested: false, end: undefined };
    this.list.push(c);
    this.byId.set(clientOrderId, c);
    return c;
  }

  /** A submit that threw before any event (bad input): the child never existed at the venue. */
  abandon(clientOrderId: string, code: string, reason: string): void {
    const c = this.byId.get(clientOrderId);
    if (c && !c.end) c.end = { kind: 'DENIED', code, reason };
  }

  /** Folds one event of a child; events of other orders are ignored. */
  onEvent(e: OrderEvent): void {
    const c = this.byId.get(e.clientOrderId);
    if (!c) return;
    switch (e.kind) {
      case 'OrderInitialized':
        c.quantity = e.spec.quantity;
        return;
      case 'OrderUpdated':
        if (e.quantity) c.quantity = e.quantity;
        return;
      case 'OrderFilled': {
        const q = Quantity.of(e.lastQty, this.sizePrecision).raw;
        this.filledRaw += q;
        this.costRaw += q * Price.of(e.lastPx, this.pricePrecision).raw;
        c.filled = c.filled.add(e.lastQty);
        // A late fill after a cancel keeps the end it had; the fill still counts above.
        if (!c.end && c.filled.cmp(c.quantity) >= 0) c.end = { kind: 'FILLED' };
        return;
      }
      case 'OrderCanceled':
      case 'OrderExpired':
        if (!c.end) c.end = c.cancelRequested ? { kind: 'CANCELED' } : { kind: 'LOST', event: e.kind };
        return;
      case 'OrderDenied':
        if (!c.end) c.end = { kind: 'DENIED', code: e.code, reason: e.reason };
        return;
      case 'OrderRejected':
        if (!c.end) c.end = { kind: 'REJECTED', reason: e.reason };
        return;
      case 'OrderSubmitted':
      case 'OrderAccepted':
      case 'OrderTriggered':
      case 'OrderPendingUpdate':
      case 'OrderModifyRejected':
      case 'OrderPendingCancel':
      case 'OrderCancelRejected':
      case 'OrderStatusUnknown':
      case 'OrderFillBusted':
        return;
    }
  }

  get children(): readonly Child[] {
    return this.list;
  }

  /** Children still working (or being submitted). */
  working(): Child[] {
    return this.list.filter((c) => !c.end);
  }

  /** The first child that ended in a way the algorithm cannot go on from. */
  failure(): (Child & { end: Exclude<ChildEnd, { kind: 'FILLED' | 'CANCELED' }> }) | undefined {
    return this.list.find((c) => c.end !== undefined && c.end.kind !== 'FILLED' && c.end.kind !== 'CANCELED') as
      | (Child & { end: Exclude<ChildEnd, { kind: 'FILLED' | 'CANCELED' }> })
      | undefined;
  }

  /** The slice after the last one sent (0 before any). */
  nextSlice(): number {
    const last = this.list[this.list.length - 1];
    return last === undefined ? 0 : last.slice + 1;
  }

  get filled(): Quantity {
    return Quantity.fromRaw(this.filledRaw, this.sizePrecision);
  }

  /** Open quantity of working children: what may still fill. */
  get workingQuantity(): Quantity {
    let raw = 0n;
    for (const c of this.list) if (!c.end && c.quantity.cmp(c.filled) > 0) raw += Quantity.of(c.quantity.sub(c.filled), this.sizePrecision).raw;
    return Quantity.fromRaw(raw, this.sizePrecision);
  }

  /** What may still be sent without the total exceeding `parent`: parent − filled − working. */
  sendable(parent: Quantity): Quantity {
    const raw = Quantity.of(parent, this.sizePrecision).raw - this.filledRaw - this.workingQuantity.raw;
    return Quantity.fromRaw(raw > 0n ? raw : 0n, this.sizePrecision);
  }

  get averagePrice(): AveragePrice | undefined {
    return this.filledRaw === 0n ? undefined : new AveragePrice(this.costRaw, this.filledRaw, this.pricePrecision);
  }

  get filledCount(): number {
    return this.list.filter((c) => c.end?.kind === 'FILLED').length;
  }
}
