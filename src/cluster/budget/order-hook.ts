/**
 * The firm budget in a node's order path: the engine's submit screen (src/engine/submit-screen.ts),
 * the one async step in front of the pure RiskGate, asked about every submit, order list and
 * modify whoever sends it (strategy, API, the emulator's releases and contingent legs, an
 * algorithm's children). An order that adds exposure reserves budget first, and a denial becomes
 * its OrderDenied (a modify's OrderModifyRejected), journaled only when the gate accepts; the
 * gate's own denial wins. A list reserves each leg counting the ones before it and is denied
 * whole if one leg does not fit. A modify that could add exposure tops up the reservation to
 * cover the larger of the order before and after (the venue may refuse the change). An order that
 * only reduces exposure (reduce-only, or against the node's holding and within it) reserves
 * nothing. The engine's order events then release (denied, rejected, canceled, expired, filled in
 * full) and convert (filled: the holding moves, published on the next sync) each reservation.
 * Every price is taken into the book as price × contract multiplier (`valued`), so an option or a
 * future counts what it is worth, as the firm view's market value does.
 */
import type { PriorDenial } from '../../engine/commands.ts';
import type { Engine } from '../../engine/engine.ts';
import type { ScreenedCommand, SubmitScreen } from '../../engine/submit-screen.ts';
import type { Order } from '../../model/orders/order.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderRequest } from '../../model/orders/factory.ts';
import type { OrderEvent } from '../../model/orders/events.ts';
import { Price, Quantity } from '../../model/values.ts';
import type { FirmBudget } from './firm-budget.ts';
import { AMOUNT_SCALE } from './ledger.ts';
import { LocalBook, type BookSide, type Raw, type Reservation } from './local-book.ts';

interface Reducing {
  readonly instrumentId: string;
  readonly side: BookSide;
  left: bigint;
}

export class BudgetOrderHook implements SubmitScreen {
  /** Unreserved orders that reduce a holding, by id: together they may not reduce past it. */
  private readonly reducing = new Map<string, Reducing>();
  /** Reservations waiting on the ledger (a compare-and-set), by order id. */
  private readonly inFlight = new Map<string, Promise<PriorDenial | undefined>>();
  /** The extra reservations modifies took, by order: released with the order. */
  private readonly topUps = new Map<string, string[]>();
  private readonly off: () => void;
  private readonly unscreen: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly budget: FirmBudget,
  ) {
    this.off = engine.bus.subscribe('order', (e) => this.onOrder(e));
    this.unscreen = engine.screenSubmits(this);
  }

  /** Seeds the book from the recovered journal: holdings, and working orders that add exposure. */
  recover(): void {
    const net = new Map<string, { qty: bigint; precision: number; px: Raw }>();
    for (const p of this.engine.portfolio.openPositions()) {
      if (!p.lastFillPx) continue;
      const px = valued(p.instrument, p.lastFillPx);
      const n = net.get(p.instrumentId) ?? { qty: 0n, precision: p.instrument.sizePrecision, px };
      n.qty += p.signedQtyRaw;
      net.set(p.instrumentId, n);
    }
    for (const [inst, n] of net) this.budget.book.hold(inst, { raw: n.qty, precision: n.precision }, n.px);
    for (const o of this.engine.openOrders()) {
      const s = o.spec;
      const px = 'price' in s && s.price instanceof Price ? s.price : 'triggerPrice' in s && s.triggerPrice instanceof Price ? s.triggerPrice : undefined;
      if (s.reduceOnly || !px) continue;
      this.budget.book.add(o.clientOrderId, { instrumentId: s.instrumentId, side: s.side, quantity: o.leavesQty, price: valued(this.engine.instrument(s.instrumentId), px) });
    }
  }

  /** The engine asks before planning: undefined to go on, or the denial to journal. */
  screen(cmd: ScreenedCommand): PriorDenial | undefined | Promise<PriorDenial | undefined> {
    switch (cmd.kind) {
      case 'SubmitOrder':
        return this.reserveOrder(cmd.order);
      case 'SubmitOrderList':
        return this.reserveList(cmd.orders);
      case 'ModifyOrder':
        return this.reserveModify(cmd);
    }
  }

  /** Hands back what `screen` took for a command the engine then refused as bad input. */
  abandon(cmd: ScreenedCommand): void {
    if (cmd.kind === 'SubmitOrder') this.abandonOrder(cmd.order.clientOrderId);
    else if (cmd.kind === 'SubmitOrderList') for (const o of cmd.orders) this.abandonOrder(o.clientOrderId);
    // A modify's top-up stays until the order ends: it only ever over-covers.
  }

  close(): void {
    this.off();
    this.unscreen();
  }

  private reserveOrder(order: OrderRequest): PriorDenial | undefined | Promise<PriorDenial | undefined> {
    const r = this.reservationOf(order);
    if (r === undefined) return undefined;
    if (r === 'unpriced') return { code: 'FIRM_BUDGET_UNAVAILABLE', reason: `no price to value the order by (no limit or trigger price, no market price for ${order.instrumentId}): the firm budget cannot reserve it`, context: { instrumentId: order.instrumentId } };
    if (r === 'unnamed') return { code: 'FIRM_BUDGET_UNAVAILABLE', reason: 'the firm budget reserves by client order id: an order that adds exposure needs one', context: { instrumentId: order.instrumentId } };
    const id = order.clientOrderId;
    // An id the engine knows (working, or ended: denied, filled...) is refused as a duplicate; reserving for it would leave a reservation nothing releases.
    if (r === 'reducing' || this.budget.book.has(id) || this.engine.order(id) !== undefined) return undefined;
    // The same id sent again while its first reservation waits on the ledger: the first's answer
    // stands for it, and the engine, which plans the first before this one, refuses this as a duplicate.
    const first = this.inFlight.get(id);
    if (first) return first.then(() => undefined);
    const v = this.budget.reserve(id, r);
    if (v instanceof Promise) {
      this.inFlight.set(id, v);
      const done = (): void => void this.inFlight.delete(id);
      v.then(done, done);
    }
    return v;
  }

  /** Each leg in turn, counting the ones before it; one that does not fit denies the list and hands the others back. */
  private reserveList(orders: readonly OrderRequest[]): PriorDenial | undefined | Promise<PriorDenial | undefined> {
    // Not a list: the engine refuses it as bad input.
    const given: unknown = orders;
    if (!Array.isArray(given)) return undefined;
    const taken: string[] = [];
    const refuse = (d: PriorDenial, id: string): PriorDenial => {
      for (const t of taken) this.abandonOrder(t);
      return { ...d, reason: `leg ${id}: ${d.reason}`, context: { ...d.context, clientOrderId: id } };
    };
    const next = (i: number): PriorDenial | undefined | Promise<PriorDenial | undefined> => {
      for (; i < orders.length; i++) {
        const o = orders[i]!;
        const v = this.reserveOrder(o);
        if (v instanceof Promise) {
          return v.then((d) => {
            if (d) return refuse(d, o.clientOrderId);
            taken.push(o.clientOrderId);
            return next(i + 1);
          });
        }
        if (v) return refuse(v, o.clientOrderId);
        taken.push(o.clientOrderId);
      }
      return undefined;
    };
    return next(0);
  }

  /**
   * A modify that could add exposure: the order's reservation is topped up to what it would take
   * after the change, kept at least what it took before (either may stand at the venue).
   */
  private reserveModify(cmd: Extract<ScreenedCommand, { kind: 'ModifyOrder' }>): PriorDenial | undefined | Promise<PriorDenial | undefined> {
    const order = typeof cmd.clientOrderId === 'string' ? this.engine.order(cmd.clientOrderId) : undefined;
    if (!order?.isOpen || order.spec.reduceOnly) return undefined;
    const after = this.modified(order, cmd);
    if (!after) return undefined;
    const id = order.clientOrderId;
    const red = this.reducing.get(id);
    if (red) {
      // Still within the holding with the other reducing orders: stays unreserved.
      this.reducing.delete(id);
      if (this.reduces(id, after.instrumentId, after.side, after.quantity.raw)) return undefined;
      const v = this.budget.reserve(id, after);
      const back = (d: PriorDenial | undefined): PriorDenial | undefined => {
        if (d) this.reducing.set(id, red);
        return d;
      };
      return v instanceof Promise ? v.then(back) : back(v);
    }
    if (!this.budget.book.has(id)) return this.budget.reserve(id, after);
    const held = this.budget.book.notional(id) + (this.topUps.get(id) ?? []).reduce((a, t) => a + this.budget.book.notional(t), 0n);
    const extra = LocalBook.notional(after) - held;
    if (extra <= 0n) return undefined;
    const tops = this.topUps.get(id) ?? [];
    const topId = `${id}\u0000modify-${tops.length + 1}`;
    const v = this.budget.reserve(topId, { instrumentId: after.instrumentId, side: after.side, quantity: ONE, price: { raw: extra, precision: AMOUNT_SCALE } });
    const kept = (d: PriorDenial | undefined): PriorDenial | undefined => {
      if (!d) this.topUps.set(id, [...tops, topId]);
      return d;
    };
    return v instanceof Promise ? v.then(kept) : kept(v);
  }

  /** The order's unfilled part as it would be after the modify, valued at its (new) price; undefined when the engine will refuse the modify. */
  private modified(order: Order, cmd: Extract<ScreenedCommand, { kind: 'ModifyOrder' }>): Reservation | undefined {
    try {
      const inst = this.engine.instrument(order.instrumentId);
      const qty = cmd.quantity === undefined ? order.quantity : Quantity.of(cmd.quantity, inst.sizePrecision);
      if (qty.cmp(order.filledQty) <= 0) return undefined;
      const px = cmd.price !== undefined ? Price.of(cmd.price, inst.pricePrecision) : cmd.triggerPrice !== undefined && order.price === undefined ? Price.of(cmd.triggerPrice, inst.pricePrecision) : (order.price ?? order.triggerPrice);
      const price = px ? valued(inst, px) : this.marketPrice(inst, order.side);
      if (!price) return undefined;
      return { instrumentId: inst.id, side: order.side, quantity: qty.sub(order.filledQty), price };
    } catch {
      return undefined;
    }
  }

  /** Releases the reservation of an order the engine never took (it threw): only when the engine does not know the id. */
  private abandonOrder(id: string): void {
    if (typeof id !== 'string' || this.engine.order(id) !== undefined) return;
    this.reducing.delete(id);
    this.budget.release(id);
  }

  /** What the order reserves: undefined when the engine will refuse it as bad input anyway. */
  private reservationOf(order: OrderRequest): Reservation | 'reducing' | 'unpriced' | 'unnamed' | undefined {
    if (typeof order !== 'object' || order === null) return undefined;
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
    if (order.reduceOnly) return 'reducing';
    if (typeof order.clientOrderId !== 'string') return 'unnamed';
    if (this.reduces(order.clientOrderId, inst.id, side, qty.raw)) return 'reducing';
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
      if (given !== undefined) return valued(inst, Price.of(given, inst.pricePrecision));
    } catch {
      return undefined;
    }
    return this.marketPrice(inst, side);
  }

  /** What a market order would pay: the far touch, else the last trade, else the near touch. */
  private marketPrice(inst: Instrument, side: BookSide): Raw | undefined {
    const q = this.engine.portfolio.quote(inst.id);
    const px = (side === 'BUY' ? q?.ask : q?.bid) ?? q?.last ?? (side === 'BUY' ? q?.bid : q?.ask);
    return px ? valued(inst, px) : undefined;
  }

  private releaseTopUps(id: string): void {
    const tops = this.topUps.get(id);
    if (!tops) return;
    this.topUps.delete(id);
    for (const t of tops) this.budget.release(t);
  }

  private valuedFill(instrumentId: Instrument['id'], px: Price): Raw {
    return valued(this.engine.instrument(instrumentId), px);
  }

  private onOrder(e: OrderEvent): void {
    switch (e.kind) {
      case 'OrderDenied':
      case 'OrderRejected':
      case 'OrderCanceled':
      case 'OrderExpired':
        this.reducing.delete(e.clientOrderId);
        this.budget.release(e.clientOrderId);
        this.releaseTopUps(e.clientOrderId);
        return;
      case 'OrderFilled': {
        this.budget.filled(e.clientOrderId, e.lastQty);
        this.budget.settle(e.instrumentId, e.side, e.lastQty, this.valuedFill(e.instrumentId, e.lastPx));
        const r = this.reducing.get(e.clientOrderId);
        if (r) r.left -= e.lastQty.raw;
        if (r && r.left <= 0n) this.reducing.delete(e.clientOrderId);
        if (this.topUps.has(e.clientOrderId) && !this.engine.order(e.clientOrderId)?.isOpen) {
          this.budget.release(e.clientOrderId);
          this.releaseTopUps(e.clientOrderId);
        }
        return;
      }
      case 'OrderFillBusted':
        this.budget.settle(e.instrumentId, e.side === 'BUY' ? 'SELL' : 'BUY', e.lastQty, this.valuedFill(e.instrumentId, e.lastPx));
        return;
      default:
        return;
    }
  }
}

const ONE: Raw = { raw: 1n, precision: 0 };

/** A price as what one unit of quantity is worth: price × the contract multiplier, exact. */
function valued(inst: Instrument, px: Raw): Raw {
  const m = inst.multiplier;
  return m.digits === 1n && m.scale === 0 ? px : { raw: px.raw * m.digits, precision: px.precision + m.scale };
}
