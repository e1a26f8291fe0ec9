import type { ErrorContext } from '../model/errors.ts';
import type { AlertCode } from './alert-codes.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { Order } from '../model/orders/order.ts';
import type { Engine } from './engine.ts';
import { clipReduceOnlyFill, isSettledWorking, mayOverhang, reduceOnlyActions } from './reduce-only.ts';
import { SerialQueue } from './serial-queue.ts';

type Filled = Extract<OrderEvent, { kind: 'OrderFilled' }>;

/**
 * The thin layer that keeps reduce-only orders reduce-only after submit, on live venue reports
 * (never on a journal replay, whose fills were judged when they arrived):
 * - a reduce-only fill is booked only up to the position it reduces; the rest is refused with an
 *   alert for reconciliation (the venue did not enforce reduce-only);
 * - after a fill moved a position, its working reduce-only orders that no longer fit are shrunk
 *   or canceled (decided by reduceOnlyActions), one command at a time, after the fill's event.
 */
export class ReduceOnlyGuard {
  private readonly steps = new SerialQueue((e: unknown) => this.alert('REDUCE_ONLY_ACTION_FAILED', `reduce-only action failed: ${(e as Error).message}`, {}));

  constructor(private readonly engine: Engine) {}

  /** Settles once every action decided so far has been carried out. */
  idle(): Promise<void> {
    return this.steps.idle();
  }

  /** The signed quantity of the order's position now (positive long). */
  netOf(order: Order): bigint {
    const pf = this.engine.portfolio;
    return pf.position(pf.positionIdFor(order))?.signedQtyRaw ?? 0n;
  }

  /** The fill as it may be booked: clipped to the position for a reduce-only order; undefined when nothing of it reduces. */
  admit(fill: Filled, order: Order): Filled | undefined {
    if (!order.spec.reduceOnly) return fill;
    const { keep, excess } = clipReduceOnlyFill(order.side, this.netOf(order), fill.lastQty);
    if (excess.isZero()) return fill;
    const context = { clientOrderId: order.clientOrderId, tradeId: fill.tradeId, lastQty: fill.lastQty.toString(), booked: keep.toString() };
    if (keep.isZero()) {
      this.alert('REDUCE_ONLY_FILL_REFUSED', `reduce-only ${order.clientOrderId} filled ${fill.lastQty.toString()} with no position to reduce: not booked, reconcile with the venue`, context);
      return undefined;
    }
    this.alert('REDUCE_ONLY_FILL_CLIPPED', `reduce-only ${order.clientOrderId} filled ${fill.lastQty.toString()} on a position of ${keep.toString()}: booked ${keep.toString()}, reconcile the rest with the venue`, context);
    return { ...fill, lastQty: keep };
  }

  /** After a fill on `order`'s position (its signed quantity was `before`): shrink or cancel what no longer fits. */
  afterFill(order: Order, before: bigint): void {
    if (mayOverhang(before, this.netOf(order))) this.review(order);
  }

  /** Decides for every working reduce-only order on `order`'s position, and queues the actions. */
  review(order: Order): void {
    const pf = this.engine.portfolio;
    const position = pf.positionIdFor(order);
    const candidates: Order[] = [];
    for (const o of this.engine.openOrders()) {
      if (o.spec.reduceOnly && isSettledWorking(o.status) && o.instrumentId === order.instrumentId && pf.positionIdFor(o) === position) candidates.push(o);
    }
    for (const a of reduceOnlyActions(this.netOf(order), candidates)) this.steps.push(() => this.settle(a.clientOrderId));
  }

  /** Carries out the decision for one order as things stand when its turn comes (fills may have moved the position since). */
  private async settle(id: Order['clientOrderId']): Promise<void> {
    const o = this.engine.order(id);
    if (!o || !isSettledWorking(o.status)) return; // answered or closed meanwhile
    const [a] = reduceOnlyActions(this.netOf(o), [o]);
    if (a?.do === 'cancel') await this.engine.cancelOrder(id);
    else if (a?.do === 'modify') await this.engine.modifyOrder(id, { quantity: a.quantity });
  }

  private alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.engine.bus.publish('alert', { code, message, context, ts: this.engine.now() });
  }
}
