/**
 * The firm budget in a node's order path. `preSubmit` is the one async step in front of the
 * engine (and so in front of the pure RiskGate): an order that adds exposure reserves budget
 * first, and a denial becomes the order's OrderDenied through the engine's prior-denial path
 * (journaled only when the gate accepts the order; the gate's own denial wins). An order that
 * only reduces exposure (reduce-only, or against the node's holding and within it) reserves
 * nothing. The engine's order events then release (denied, rejected, canceled, expired) and
 * convert (filled: the holding moves, published on the next sync) each reservation.
 */
import type { PriorDenial } from '../../engine/commands.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { OrderEvent } from '../../model/orders/events.ts';
import { Price, Quantity } from '../../model/values.ts';
import type { FirmBudget } from './firm-budget.ts';
import type { BookSide, Raw, Reservation } from './local-book.ts';

interface Reducing {
  readonly instrumentId: string;
  readonly side: BookSide;
  left: bigint;
}

export class BudgetOrderHook {
  /** Unreserved orders that reduce a holding, by id: together they may not reduce past it. */
  private readonly reducing = new Map<string, Reducing>();
  private readonly off: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly budget: FirmBudget,
  ) {
    this.off = engine.bus.subscribe('order', (e) => this.onOrder(e));
  }

  /** Seeds the book from the recovered journal: holdings, and working orders that add exposure. */
  recover(): void {
    const net = new Map<string, { qty: bigint; precision: number; px: Raw }>();
    for (const p of this.engine.portfolio.openPositions()) {
      const px = p.lastFillPx;
      if (!px) continue;
      const n = net.get(p.instrumentId) ?? { qty: 0n, precision: p.instrument.sizePrecision, px };
      n.qty += p.signedQtyRaw;
      net.set(p.instrumentId, n);
    }
    for (const [inst, n] of net) this.budget.book.hold(inst, { raw: n.qty, precision: n.precision }, n.px);
    for (const o of this.engine.openOrders()) {
      const s = o.spec;
      const px = 'price' in s && s.price instanceof Price ? s.price : 'triggerPrice' in s && s.triggerPrice instanceof Price ? s.triggerPrice : undefined;
      if (s.reduceOnly || !px) continue;
      this.budget.book.add(o.clientOrderId, { instrumentId: s.instrumentId, side: s.side, quantity: o.leavesQty, price: px });
    }
  }

  /** The async pre-submit step: undefined to go on, or the denial to journal. */
  preSubmit(order: OrderRequest): PriorDenial | undefined | Promise<PriorDenial | undefined> {
    const r = this.reservationOf(order);
    if (r === undefined) return undefined;
    if (r === 'unpriced') return { code: 'FIRM_BUDGET_UNAVAILABLE', reason: `no price to value the order by (no limit or trigger price, no market price for ${order.instrumentId}): the firm budget cannot reserve it`, context: { instrumentId: order.instrumentId } };
    // An id in use is the engine's to refuse (DUPLICATE): reserving it again would overwrite the working order's reservation.
    if (r === 'reducing' || this.budget.book.has(order.clientOrderId)) return undefined;
    return this.budget.reserve(order.clientOrderId, r);
  }

  /** Releases the reservation of an order the engine never took (it threw): only when the engine does not know the id. */
  abandon(id: string): void {
    if (this.engine.order(id) !== undefined) return;
    this.reducing.delete(id);
    this.budget.release(id);
  }

  close(): void {
    this.off();
  }

  /** What the order reserves: undefined when the engine will refuse it as bad input anyway. */
  private reservationOf(order: OrderRequest): Reservation | 'reducing' | 'unpriced' | undefined {
    let inst: Instrument;
    let qty: Quantity;
    try {
      inst = this.engine.instrument(order.instrumentId);
      qty = Quantity.of(order.quantity, inst.sizePrecision);
    } catch {
      return undefined;
    }
    const side = order.side;
    if (side !== 'BUY' && side !== 'SELL') return undefined;
    if (order.reduceOnly || this.reduces(order.clientOrderId, inst.id, side, qty.raw)) return 'reducing';
    const price = this.priceOf(order, inst, side);
    if (!price) return 'unpriced';
    return { instrumentId: inst.id, side, quantity: qty, price };
  }

  /** Whether the order only reduces the node's holding (with the other reducing orders working against it). */
  private reduces(id: string, inst: string, side: BookSide, qty: bigint): boolean {
    const pos = this.budget.book.position(inst).raw;
    const against = side === 'SELL' ? pos : -pos;
    if (against <= 0n) return false;
    let used = 0n;
    for (const r of this.reducing.values()) if (r.instrumentId === inst && r.side === side) used += r.left;
    if (qty + used > against) return false;
    this.reducing.set(id, { instrumentId: inst, side, left: qty });
    return true;
  }

  private priceOf(order: OrderRequest, inst: Instrument, side: BookSide): Raw | undefined {
    try {
      const given = order.price ?? order.triggerPrice;
      if (given !== undefined) return Price.of(given, inst.pricePrecision);
    } catch {
      return undefined;
    }
    const q = this.engine.portfolio.quote(inst.id);
    return (side === 'BUY' ? q?.ask : q?.bid) ?? q?.last ?? (side === 'BUY' ? q?.bid : q?.ask);
  }

  private onOrder(e: OrderEvent): void {
    switch (e.kind) {
      case 'OrderDenied':
      case 'OrderRejected':
      case 'OrderCanceled':
      case 'OrderExpired':
        this.reducing.delete(e.clientOrderId);
        this.budget.release(e.clientOrderId);
        return;
      case 'OrderFilled': {
        this.budget.filled(e.clientOrderId, e.lastQty);
        this.budget.settle(e.instrumentId, e.side, e.lastQty, e.lastPx);
        const r = this.reducing.get(e.clientOrderId);
        if (r) r.left -= e.lastQty.raw;
        if (r && r.left <= 0n) this.reducing.delete(e.clientOrderId);
        return;
      }
      case 'OrderFillBusted':
        this.budget.settle(e.instrumentId, e.side === 'BUY' ? 'SELL' : 'BUY', e.lastQty, e.lastPx);
        return;
      default:
        return;
    }
  }
}
