import { StateError } from '../errors.ts';
import type { TradeId, VenueOrderId } from '../identifiers.ts';
import { Quantity, type Price } from '../values.ts';
import type { OrderEvent, OrderFillBusted, OrderFilled } from './events.ts';
import { isOpenStatus, TERMINAL_STATUSES, transitionOf, type OrderStatus } from './status.ts';
import { limitPriceOf, triggerPriceOf, type OrderSpec } from './types.ts';

export type OverfillPolicy = 'REJECT' | 'RECORD';

export type ApplyResult = 'APPLIED' | 'DUPLICATE_FILL';

/** Everything an order holds, private fields included: what a state snapshot keeps of it. */
export interface OrderSnapshot {
  readonly spec: OrderSpec;
  readonly tsInit: number;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus;
  readonly quantity: Quantity;
  readonly price: Price | undefined;
  readonly triggerPrice: Price | undefined;
  readonly filledQty: Quantity;
  readonly fillCostRaw: bigint;
  readonly fillPxPrecision: number;
  readonly overfilledQty: Quantity | undefined;
  readonly venueOrderId: VenueOrderId | undefined;
  readonly isTriggered: boolean;
  readonly lateFill: boolean;
  readonly eventCount: number;
  readonly tsLast: number;
  /** Trade ids in the order they were seen. */
  readonly tradeIds: readonly TradeId[];
  /** Trade ids the venue busted since (their fills reversed). */
  readonly bustedTradeIds: readonly TradeId[];
}

/**
 * The order of record: its spec plus the state that events have folded into it. `apply` is the
 * only way to change it; on any error it throws and the order is exactly as before.
 */
export class Order {
  status: OrderStatus = 'INITIALIZED';
  /** Status to return to when a pending modify or cancel is answered. */
  private previousStatus: OrderStatus = 'INITIALIZED';
  quantity: Quantity;
  price: Price | undefined;
  triggerPrice: Price | undefined;
  filledQty: Quantity;
  /** Sum of fill qty.raw × px.raw: exact, at size + price precision. */
  fillCostRaw = 0n;
  overfilledQty: Quantity | undefined;
  venueOrderId: VenueOrderId | undefined;
  isTriggered = false;
  lateFill = false;
  eventCount = 0;
  tsLast: number;
  /** Trade ids seen: most orders fill once, so the first is a field and a Set comes only with the second. */
  private firstTradeId: TradeId | undefined;
  private moreTradeIds: Set<TradeId> | undefined;
  /** Trades busted by the venue: kept apart so a bust applies once and its fill is never re-applied. */
  private bustedTradeIds: Set<TradeId> | undefined;

  constructor(
    readonly spec: OrderSpec,
    readonly tsInit: number,
  ) {
    this.quantity = spec.quantity;
    this.price = limitPriceOf(spec);
    this.triggerPrice = triggerPriceOf(spec);
    this.filledQty = Quantity.zero(spec.quantity.precision);
    this.tsLast = tsInit;
  }

  get clientOrderId() {
    return this.spec.clientOrderId;
  }
  get instrumentId() {
    return this.spec.instrumentId;
  }
  get side() {
    return this.spec.side;
  }
  get leavesQty(): Quantity {
    if (TERMINAL_STATUSES.has(this.status) || this.filledQty.cmp(this.quantity) >= 0) return this.filledQty.sub(this.filledQty);
    return this.quantity.sub(this.filledQty);
  }
  get isOpen(): boolean {
    return isOpenStatus(this.status);
  }
  get isClosed(): boolean {
    return TERMINAL_STATUSES.has(this.status);
  }
  /** Average fill price, for display and analytics (the ledger uses fillCostRaw). */
  get avgPx(): number | undefined {
    if (this.filledQty.isZero()) return undefined;
    return Number(this.fillCostRaw) / Number(this.filledQty.raw) / 10 ** this.fillPxPrecision;
  }
  private fillPxPrecision = 0;

  toSnapshot(): OrderSnapshot {
    const tradeIds: TradeId[] = [];
    if (this.firstTradeId !== undefined) tradeIds.push(this.firstTradeId);
    if (this.moreTradeIds) tradeIds.push(...this.moreTradeIds);
    return {
      spec: this.spec,
      tsInit: this.tsInit,
      status: this.status,
      previousStatus: this.previousStatus,
      quantity: this.quantity,
      price: this.price,
      triggerPrice: this.triggerPrice,
      filledQty: this.filledQty,
      fillCostRaw: this.fillCostRaw,
      fillPxPrecision: this.fillPxPrecision,
      overfilledQty: this.overfilledQty,
      venueOrderId: this.venueOrderId,
      isTriggered: this.isTriggered,
      lateFill: this.lateFill,
      eventCount: this.eventCount,
      tsLast: this.tsLast,
      tradeIds,
      bustedTradeIds: this.bustedTradeIds ? [...this.bustedTradeIds] : [],
    };
  }

  static fromSnapshot(s: OrderSnapshot): Order {
    const o = new Order(s.spec, s.tsInit);
    o.status = s.status;
    o.previousStatus = s.previousStatus;
    o.quantity = s.quantity;
    o.price = s.price;
    o.triggerPrice = s.triggerPrice;
    o.filledQty = s.filledQty;
    o.fillCostRaw = s.fillCostRaw;
    o.fillPxPrecision = s.fillPxPrecision;
    o.overfilledQty = s.overfilledQty;
    o.venueOrderId = s.venueOrderId;
    o.isTriggered = s.isTriggered;
    o.lateFill = s.lateFill;
    o.eventCount = s.eventCount;
    o.tsLast = s.tsLast;
    const [first, ...more] = s.tradeIds;
    o.firstTradeId = first;
    if (more.length > 0) o.moreTradeIds = new Set(more);
    if (s.bustedTradeIds.length > 0) o.bustedTradeIds = new Set(s.bustedTradeIds);
    return o;
  }

  hasTrade(id: TradeId): boolean {
    return this.firstTradeId === id || (this.moreTradeIds !== undefined && this.moreTradeIds.has(id));
  }

  /**
   * Validates the event against the transition table and this order, then applies it.
   * Returns DUPLICATE_FILL (and changes nothing) for a fill whose trade id was seen already.
   */
  apply(event: OrderEvent, overfill: OverfillPolicy = 'REJECT'): ApplyResult {
    if (event.clientOrderId !== this.spec.clientOrderId) {
      throw new StateError('FILL_MISMATCH', `event for ${event.clientOrderId} applied to order ${this.spec.clientOrderId}`, {
        clientOrderId: this.spec.clientOrderId,
      });
    }
    if (event.kind === 'OrderFilled' && this.hasTrade(event.tradeId)) return 'DUPLICATE_FILL';
    if (event.kind === 'OrderFillBusted' && this.bustedTradeIds?.has(event.tradeId)) return 'DUPLICATE_FILL';
    const t = transitionOf(this.status, event.kind);
    if (t === undefined) {
      throw new StateError('ILLEGAL_TRANSITION', `${event.kind} is not allowed for order ${this.spec.clientOrderId} in status ${this.status}`, {
        clientOrderId: this.spec.clientOrderId,
        status: this.status,
        event: event.kind,
      });
    }
    if (event.kind === 'OrderFilled') this.checkFill(event, overfill);
    if (event.kind === 'OrderFillBusted') this.checkBust(event);
    if (event.kind === 'OrderUpdated' && event.quantity && event.quantity.cmp(this.filledQty) < 0) {
      throw new StateError('QUANTITY_BELOW_FILLED', `update of ${this.spec.clientOrderId} to ${event.quantity.toString()} is below the filled ${this.filledQty.toString()}`, {
        clientOrderId: this.spec.clientOrderId,
        quantity: event.quantity.toString(),
        filled: this.filledQty.toString(),
      });
    }
    // From here on nothing throws: the order changes completely or not at all.
    const from = this.status;
    const pending = from === 'PENDING_CANCEL' || from === 'PENDING_UPDATE' || from === 'UNKNOWN';
    let to: OrderStatus;
    switch (event.kind) {
      case 'OrderInitialized':
      case 'OrderDenied':
      case 'OrderSubmitted':
      case 'OrderRejected':
      case 'OrderPendingUpdate':
      case 'OrderPendingCancel':
      case 'OrderStatusUnknown':
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderModifyRejected':
      case 'OrderCancelRejected':
        break;
      case 'OrderAccepted':
        this.venueOrderId = event.venueOrderId;
        // Acked while a modify/cancel is pending: answering that request must not go back to SUBMITTED.
        if (pending && this.previousStatus === 'SUBMITTED') this.previousStatus = 'ACCEPTED';
        break;
      case 'OrderTriggered':
        this.isTriggered = true;
        if (pending && this.previousStatus === 'ACCEPTED') this.previousStatus = 'TRIGGERED';
        break;
      case 'OrderUpdated':
        if (event.quantity) this.quantity = event.quantity;
        if (event.price) this.price = event.price;
        if (event.triggerPrice) this.triggerPrice = event.triggerPrice;
        if (event.venueOrderId) this.venueOrderId = event.venueOrderId;
        break;
      case 'OrderFilled':
        if (this.firstTradeId === undefined) this.firstTradeId = event.tradeId;
        else (this.moreTradeIds ??= new Set()).add(event.tradeId);
        this.filledQty = this.filledQty.add(event.lastQty);
        this.fillCostRaw += event.lastQty.raw * event.lastPx.raw;
        this.fillPxPrecision = event.lastPx.precision;
        if (event.venueOrderId && !this.venueOrderId) this.venueOrderId = event.venueOrderId;
        if (this.filledQty.cmp(this.quantity) > 0) this.overfilledQty = this.filledQty.sub(this.quantity);
        break;
      case 'OrderFillBusted':
        (this.bustedTradeIds ??= new Set()).add(event.tradeId);
        this.filledQty = this.filledQty.sub(event.lastQty);
        this.fillCostRaw -= event.lastQty.raw * event.lastPx.raw;
        this.overfilledQty = this.filledQty.cmp(this.quantity) > 0 ? this.filledQty.sub(this.quantity) : undefined;
        break;
    }
    switch (t) {
      case 'FILL': {
        const complete = this.filledQty.cmp(this.quantity) >= 0;
        // A FILLED order stays closed: a fill after a bust (a correction) or an overfill never reopens it.
        if (complete || from === 'FILLED') to = 'FILLED';
        else if (pending) {
          to = from;
          this.previousStatus = 'PARTIALLY_FILLED';
        } else to = 'PARTIALLY_FILLED';
        break;
      }
      case 'PREVIOUS':
        to = this.previousStatus;
        break;
      case 'SAME':
        to = from;
        break;
      case 'LATE_FILL':
        to = from;
        this.lateFill = true;
        break;
      case 'BUST': {
        // Working again, unfilled, if the bust took every fill; a closed order stays closed.
        const unfilled = (st: OrderStatus): OrderStatus =>
          st === 'PARTIALLY_FILLED' && this.filledQty.isZero() ? (this.isTriggered ? 'TRIGGERED' : 'ACCEPTED') : st;
        to = from;
        if (pending) this.previousStatus = unfilled(this.previousStatus);
        else to = unfilled(from);
        break;
      }
      default:
        to = t;
    }
    if ((to === 'PENDING_CANCEL' || to === 'PENDING_UPDATE' || to === 'UNKNOWN') && !pending) {
      this.previousStatus = from;
    }
    // A venue that cuts an order's quantity down to what has filled has, in effect, filled it.
    if (event.kind === 'OrderUpdated' && !this.filledQty.isZero() && this.filledQty.cmp(this.quantity) >= 0 && !TERMINAL_STATUSES.has(to)) to = 'FILLED';
    this.status = to;
    this.eventCount++;
    this.tsLast = event.tsInit;
    return 'APPLIED';
  }

  /** A bust must name a trade of this order, not busted yet, on its side, instrument and grid. */
  private checkBust(event: OrderFillBusted): void {
    const ctx = { clientOrderId: this.spec.clientOrderId, tradeId: event.tradeId };
    if (!this.hasTrade(event.tradeId)) throw new StateError('FILL_MISMATCH', `bust of trade ${event.tradeId}, which order ${this.spec.clientOrderId} never had`, ctx);
    if (event.instrumentId !== this.spec.instrumentId || event.side !== this.spec.side) {
      throw new StateError('FILL_MISMATCH', `bust of trade ${event.tradeId} (${event.side} ${event.instrumentId}) does not match order ${this.spec.clientOrderId}`, ctx);
    }
    if (event.lastQty.precision !== this.spec.quantity.precision || event.lastPx.precision !== this.fillPxPrecision) {
      throw new StateError('FILL_MISMATCH', `bust of trade ${event.tradeId} is not on the order's price or quantity precision`, ctx);
    }
    if (event.lastQty.isZero() || event.lastQty.cmp(this.filledQty) > 0) {
      throw new StateError('FILL_MISMATCH', `bust of ${event.lastQty.toString()} exceeds the ${this.filledQty.toString()} filled on ${this.spec.clientOrderId}`, ctx);
    }
  }

  private checkFill(event: OrderFilled, overfill: OverfillPolicy): void {
    if (event.instrumentId !== this.spec.instrumentId || event.side !== this.spec.side) {
      throw new StateError('FILL_MISMATCH', `fill ${event.tradeId} (${event.side} ${event.instrumentId}) does not match order ${this.spec.clientOrderId}`, {
        clientOrderId: this.spec.clientOrderId,
        tradeId: event.tradeId,
      });
    }
    const pxPrecision = this.filledQty.isZero() ? (this.price?.precision ?? event.lastPx.precision) : this.fillPxPrecision;
    if (event.lastQty.precision !== this.spec.quantity.precision || event.lastPx.precision !== pxPrecision) {
      throw new StateError('FILL_MISMATCH', `fill ${event.tradeId} is not on the order's price or quantity precision`, {
        clientOrderId: this.spec.clientOrderId,
        tradeId: event.tradeId,
      });
    }
    if (event.lastQty.isZero()) {
      throw new StateError('FILL_MISMATCH', `fill ${event.tradeId} has zero quantity`, { clientOrderId: this.spec.clientOrderId, tradeId: event.tradeId });
    }
    if (overfill === 'REJECT' && this.filledQty.add(event.lastQty).cmp(this.quantity) > 0) {
      throw new StateError(
        'OVERFILL',
        `fill ${event.tradeId} of ${event.lastQty.toString()} would take order ${this.spec.clientOrderId} to ` +
          `${this.filledQty.add(event.lastQty).toString()} of ${this.quantity.toString()}`,
        {
          clientOrderId: this.spec.clientOrderId,
          tradeId: event.tradeId,
          quantity: this.quantity.toString(),
          filled: this.filledQty.toString(),
          fill: event.lastQty.toString(),
        },
      );
    }
  }
}
