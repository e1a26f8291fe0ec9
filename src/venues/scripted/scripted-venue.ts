import type { Clock } from '../../engine/clock.ts';
import type { CancelRequest, ModifyRequest, SubmitRequest, Venue, VenueCapabilities, VenueReport } from '../../engine/venue.ts';
import { venueId, type ClientOrderId, type InstrumentId, type TradeId, type VenueId, type VenueOrderId } from '../../model/identifiers.ts';
import type { LiquiditySide } from '../../model/orders/types.ts';
import { Quantity, type Price } from '../../model/values.ts';
import type { NumericInput } from '../../model/decimal.ts';

export interface ScriptedVenueOptions {
  readonly id: string;
  readonly clock: Clock;
  /** Price at which market orders fill in full; with none set they rest until `fill` is called. */
  readonly marketPrice?: (instrument: InstrumentId) => Price | string | undefined;
  /** Fill limit orders at their limit price as soon as they are accepted. */
  readonly fillLimitsOnAccept?: boolean;
  /** Answer the engine later (on the next microtask) instead of from inside the call. */
  readonly asynchronous?: boolean;
  /** Keep a list of every call in `calls` (default true; benchmarks turn it off). */
  readonly recordCalls?: boolean;
}

interface Resting {
  readonly clientOrderId: ClientOrderId;
  readonly instrument: InstrumentId;
  quantity: Quantity;
  filled: Quantity;
}

/**
 * A venue that answers as told: accepts everything, fills market orders at a given price, and
 * lets a test or demo push any report it likes. For demos and engine tests; the simulated
 * exchange with a matching engine is in venues/sim.
 */
export class ScriptedVenue implements Venue {
  readonly id: VenueId;
  readonly capabilities: VenueCapabilities = { stopOrders: true, trailingStops: true, postOnly: true, iceberg: true, orderLists: [], modify: true };
  private sink: ((r: VenueReport) => void) | undefined;
  private readonly resting = new Map<ClientOrderId, Resting>();
  private nextOrder = 0;
  private nextTrade = 0;
  readonly calls: { kind: 'submit' | 'modify' | 'cancel'; clientOrderId: ClientOrderId }[] = [];

  constructor(private readonly opts: ScriptedVenueOptions) {
    this.id = venueId(opts.id);
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
  }

  submit(req: SubmitRequest): void {
    const { spec } = req;
    if (this.opts.recordCalls !== false) this.calls.push({ kind: 'submit', clientOrderId: spec.clientOrderId });
    // Ids we make ourselves are valid by construction: no need to run them through the checks.
    const id = `${this.id}-${++this.nextOrder}` as VenueOrderId;
    const ts = this.opts.clock.now();
    const px = spec.type === 'MARKET' ? this.opts.marketPrice?.(spec.instrumentId) : undefined;
    if (px !== undefined) {
      // Filled in full at once: it never rests.
      this.emit({ kind: 'OrderAccepted', clientOrderId: spec.clientOrderId, venueOrderId: id, ts });
      this.emit({ kind: 'OrderFilled', clientOrderId: spec.clientOrderId, tradeId: `${this.id}-T${++this.nextTrade}` as TradeId, lastQty: spec.quantity, lastPx: px, liquidity: 'TAKER', ts });
      return;
    }
    this.resting.set(spec.clientOrderId, { clientOrderId: spec.clientOrderId, instrument: spec.instrumentId, quantity: spec.quantity, filled: Quantity.zero(spec.quantity.precision) });
    this.emit({ kind: 'OrderAccepted', clientOrderId: spec.clientOrderId, venueOrderId: id, ts });
    if (spec.type === 'LIMIT' && this.opts.fillLimitsOnAccept) {
      this.fill(spec.clientOrderId, spec.quantity, spec.price, 'MAKER');
    }
  }

  modify(req: ModifyRequest): void {
    if (this.opts.recordCalls !== false) this.calls.push({ kind: 'modify', clientOrderId: req.clientOrderId });
    const r = this.resting.get(req.clientOrderId);
    const ts = this.opts.clock.now();
    if (!r) {
      this.emit({ kind: 'OrderModifyRejected', clientOrderId: req.clientOrderId, reason: 'order not found', ts });
      return;
    }
    if (req.quantity) r.quantity = req.quantity;
    this.emit({
      kind: 'OrderUpdated',
      clientOrderId: req.clientOrderId,
      ts,
      ...(req.quantity ? { quantity: req.quantity } : {}),
      ...(req.price ? { price: req.price } : {}),
      ...(req.triggerPrice ? { triggerPrice: req.triggerPrice } : {}),
    });
  }

  cancel(req: CancelRequest): void {
    if (this.opts.recordCalls !== false) this.calls.push({ kind: 'cancel', clientOrderId: req.clientOrderId });
    const ts = this.opts.clock.now();
    if (!this.resting.delete(req.clientOrderId)) {
      this.emit({ kind: 'OrderCancelRejected', clientOrderId: req.clientOrderId, reason: 'order not found', ts });
      return;
    }
    this.emit({ kind: 'OrderCanceled', clientOrderId: req.clientOrderId, ts });
  }

  /** Fills (part of) a resting order. */
  fill(id: ClientOrderId | string, qty: Quantity | NumericInput, px: Price | NumericInput, liquidity: LiquiditySide = 'MAKER'): void {
    const r = this.resting.get(id as ClientOrderId);
    const ts = this.opts.clock.now();
    this.emit({ kind: 'OrderFilled', clientOrderId: id as ClientOrderId, tradeId: `${this.id}-T${++this.nextTrade}` as TradeId, lastQty: qty, lastPx: px, liquidity, ts });
    if (r) {
      r.filled = r.filled.add(Quantity.of(qty, r.quantity.precision));
      if (r.filled.cmp(r.quantity) >= 0) this.resting.delete(r.clientOrderId);
    }
  }

  /** Sends any report, as a venue might (including duplicates and nonsense). */
  emit(report: VenueReport): void {
    const sink = this.sink;
    if (!sink) throw new Error(`venue ${this.id} is not connected`);
    if (this.opts.asynchronous) queueMicrotask(() => sink(report));
    else sink(report);
  }

  get restingCount(): number {
    return this.resting.size;
  }
}
