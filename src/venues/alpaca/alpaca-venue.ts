import type { streaming, trading } from '@alpacahq/alpaca-trade-api';
import type { CancelRequest, ModifyRequest, SubmitRequest, VenueConnectionState, VenueOrderList, VenueReport } from '../../engine/venue.ts';
import { VenueCallError } from '../../model/errors.ts';
import { clientOrderId, tradeId, venueId, venueOrderId, type VenueId } from '../../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../../model/instrument.ts';
import { Currencies } from '../../model/currency.ts';
import { Money } from '../../model/money.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { BrokerDeps, BrokerMarketItem, BrokerProbe, BrokerSubscription, BrokerVenue } from '../broker/contract.ts';
import { OrderTracker, type TrackedOrder } from '../ccxt/order-tracker.ts';
import { alpacaApis, stockStream, tradingStream, type AlpacaApis, type AlpacaCredentialsAndUrls } from './client.ts';
import { MAX_CLIENT_ID, replacementClientId, wardenIdOf } from './client-ids.ts';
import { mapAlpacaError, type CallKind } from './errors.ts';
import { alpacaDecimal, alpacaOptional, epochMs } from './exact.ts';
import { instrumentSpecOf } from './instruments.ts';
import { streamMarketData } from './market-data.ts';
import { ListLegs, parentOfChild } from './legs.ts';
import { statusOf, toAlpacaList, toAlpacaOrder, trailOf } from './orders.ts';
import { AlpacaQueries, executionIdOf, fillOf } from './queries.ts';
import { TradeUpdates } from './trade-updates.ts';

/** What Alpaca does natively for US equities (see orders.ts for what each maps to; lists: its bracket, oco and oto order classes). */
export const ALPACA_CAPABILITIES = { stopOrders: true, trailingStops: true, postOnly: false, iceberg: false, orderLists: ['BRACKET', 'OCO', 'OTO'], modify: true } as const;

/**
 * Alpaca (US equities) as a Warden broker venue, through the official SDK: orders by REST
 * (POST/PATCH/DELETE /v2/orders) under Warden's client order id, what becomes of them from the
 * trade_updates stream, and what the stream may have missed over REST (queries.ts). Every figure
 * is converted exactly at this edge. A report is given once, whichever way it came: an
 * acceptance once, a fill once per execution id, an order's end only after every fill Alpaca
 * counts for it (fetched from the FILL activities when the end came first). A bracket, OCO or
 * OTO list goes as one order of class bracket/oco/oto; Alpaca holds its legs (ids and client ids
 * of its own), which are reported under the Warden children's ids (legs.ts).
 */
export class AlpacaVenue implements BrokerVenue {
  readonly id: VenueId;
  readonly capabilities = ALPACA_CAPABILITIES;
  readonly queries: AlpacaQueries;
  private readonly apis: AlpacaApis;
  private readonly tracker = new OrderTracker();
  /** The children of lists Alpaca holds, by parent and role (legs.ts). */
  private readonly legs = new ListLegs();
  private readonly instruments = new Map<string, { instrument: Instrument; symbol: string }>();
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly listeners: ((s: VenueConnectionState) => void)[] = [];
  private readonly updates: TradeUpdates;
  private sink: ((r: VenueReport) => void) | undefined;
  private opened: Promise<void> | undefined;
  /** Reports are worked out one at a time, in arrival order (some need a REST call first). */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly c: AlpacaCredentialsAndUrls,
    private readonly deps: BrokerDeps,
  ) {
    this.id = venueId(deps.name);
    this.apis = alpacaApis(c);
    this.queries = new AlpacaQueries({
      apis: this.apis,
      accountId: deps.accountId,
      tracker: this.tracker,
      legs: this.legs,
      instrumentOf: (s) => this.bySymbol.get(s),
      symbols: () => [...this.bySymbol.keys()],
      call: (kind, run) => this.call(kind, run),
      onList: (o) => this.enqueue(() => this.onOrder(o)),
    });
    this.updates = new TradeUpdates({
      stream: tradingStream(c),
      onUpdate: (u) => this.enqueue(() => this.onUpdate(u)),
      onState: (s) => this.listeners.forEach((l) => l(s)),
      onAlert: (code, message) => deps.onAlert(code, message),
      probe: () => this.call('READ', () => this.apis.clock.legacyClock()),
    });
  }

  open(): Promise<void> {
    // A failed open may be tried again (the registry retries a broker it could not reach at start).
    this.opened ??= this.updates.open().catch((e: unknown) => {
      this.opened = undefined;
      throw e;
    });
    return this.opened;
  }

  async instrumentSpec(id: string, symbol: string): Promise<InstrumentSpec> {
    const asset = await this.call('READ', () => this.apis.assets.getV2AssetsSymbolOrAssetId({ symbolOrAssetId: symbol }));
    return instrumentSpecOf(id, asset);
  }

  register(instrument: Instrument, symbol: string): void {
    this.instruments.set(instrument.id, { instrument, symbol });
    this.bySymbol.set(symbol, instrument);
  }

  remember(orders: readonly { spec: OrderSpec; venueOrderId: string | undefined }[]): void {
    for (const { spec, venueOrderId: vid } of orders) {
      const entry = this.instruments.get(spec.instrumentId);
      if (!entry) continue;
      this.tracker.track({ wardenId: spec.clientOrderId, venueClientId: spec.clientOrderId, instrument: entry.instrument, symbol: entry.symbol, spec, ...(vid ? { venueOrderId: vid } : {}) });
      // A child that may be a leg of a list Alpaca holds: found through its parent when its leg id was never journaled.
      const parent = parentOfChild(spec);
      if (parent !== undefined) this.legs.add(parent, spec);
    }
  }

  async probe(): Promise<BrokerProbe> {
    const started = this.deps.clock.now();
    const clock = await this.call('READ', () => this.apis.clock.legacyClock());
    const account = await this.call('READ', () => this.apis.accounts.getAccount());
    return { latencyMs: this.deps.clock.now() - started, detail: `account ${String(account.accountNumber ?? '?')} (${String(account.status)}), market ${clock.isOpen ? 'open' : 'closed'}` };
  }

  marketData(subs: readonly BrokerSubscription[], sink: (item: BrokerMarketItem) => void): { stop(): void } {
    return streamMarketData(stockStream(this.c), subs, sink, (code, message) => this.deps.onAlert(code, message));
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
  }

  onConnection(listener: (s: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  /**
   * POST /v2/orders under Warden's client id. A list Alpaca holds (req.list) goes as one order
   * with its legs; each child is reported under its own Warden id once Alpaca's answer names its
   * leg, and rejected with the list when Alpaca refuses it.
   */
  async submit(req: SubmitRequest): Promise<void> {
    const { spec, instrument, list } = req;
    const entry = this.entry(instrument);
    const refuse = (reason: string) => {
      this.rejectChildren(list, reason);
      return new VenueCallError('VENUE_REJECTED', reason, { clientOrderId: spec.clientOrderId });
    };
    if (spec.clientOrderId.length > MAX_CLIENT_ID - 12) throw refuse(`INVALID_ORDER: client order id longer than ${MAX_CLIENT_ID - 12} characters`);
    const mapped = list ? toAlpacaList(spec, list, entry.symbol, spec.clientOrderId, instrument) : toAlpacaOrder(spec, entry.symbol, spec.clientOrderId, instrument);
    if (!mapped.ok) throw refuse(mapped.reason);
    this.tracker.track({ wardenId: spec.clientOrderId, venueClientId: spec.clientOrderId, instrument, symbol: entry.symbol, spec });
    for (const c of list?.children ?? []) {
      this.tracker.track({ wardenId: c.clientOrderId, venueClientId: c.clientOrderId, instrument, symbol: entry.symbol, spec: c });
      this.legs.add(spec.clientOrderId, c);
    }
    let placed: trading.Order;
    try {
      placed = await this.call('ORDER', () => this.apis.orders.postOrder({ postOrderRequest: mapped.body }));
    } catch (e) {
      // Refused: the list is not at Alpaca. Anything else (unknown, rate limited) is settled through the parent.
      if (e instanceof VenueCallError && e.code === 'VENUE_REJECTED') this.rejectChildren(list, e.message);
      throw e;
    }
    this.enqueue(() => this.onOrder(placed));
  }

  /** The children of a list Alpaca refused: rejected with it. */
  private rejectChildren(list: VenueOrderList | undefined, reason: string): void {
    for (const c of list?.children ?? []) {
      const t = this.tracker.byWardenId(c.clientOrderId);
      if (t?.ended) continue;
      if (t) {
        t.ended = true;
        this.tracker.closed(t);
      }
      this.emit({ kind: 'OrderRejected', clientOrderId: c.clientOrderId, reason: `${reason} (the ${list!.shape} list it is a leg of)`, ts: this.deps.clock.now() });
    }
  }

  /** A replace (PATCH /v2/orders/{id}): Alpaca makes a new order under a new client id and, once it reaches the exchange, ends the old one as replaced. */
  async modify(req: ModifyRequest): Promise<void> {
    const t = this.tracker.byWardenId(req.clientOrderId);
    const vid = t?.venueOrderId ?? req.venueOrderId;
    if (!t || vid === undefined) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: ${req.clientOrderId} has no Alpaca order to replace yet`, { clientOrderId: req.clientOrderId });
    const trailing = t.spec?.type === 'TRAILING_STOP_MARKET';
    if (trailing && req.triggerPrice !== undefined) throw new VenueCallError('VENUE_REJECTED', 'UNSUPPORTED_AT_VENUE: an Alpaca trailing stop is replaced by its trail, not a trigger price', { clientOrderId: req.clientOrderId });
    const body: trading.PatchOrderRequest = {
      clientOrderId: replacementClientId(t.wardenId, this.deps.clock.now().toString(36)),
      ...(req.quantity ? { qty: req.quantity.toString() } : {}),
      ...(req.price ? { limitPrice: req.price.toString() } : {}),
      ...(req.triggerPrice ? { stopPrice: req.triggerPrice.toString() } : {}),
      ...(trailing && t.spec ? { trail: trailOf(t.spec, t.instrument) } : {}),
    };
    // The answer is the replacing order, not proof of the replace (FAULTS 18): the old order may
    // still fill under its old terms, and if it fills whole the replacing one is rejected. The
    // order stands replaced when the stream says so (`replaced`, or the replacing order working).
    await this.call('ORDER', () => this.apis.orders.patchOrderByOrderId({ orderId: vid, patchOrderRequest: body }));
  }

  async cancel(req: CancelRequest): Promise<void> {
    const t = this.tracker.byWardenId(req.clientOrderId);
    let vid = t?.venueOrderId ?? req.venueOrderId;
    if (vid === undefined) {
      const found = await this.queries.current(undefined, req.clientOrderId).catch((e: unknown) => {
        throw new VenueCallError('VENUE_NETWORK', `looking up ${req.clientOrderId} to cancel it: ${(e as Error).message}`);
      });
      if (!found) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: Alpaca has no order ${req.clientOrderId}`, { clientOrderId: req.clientOrderId });
      vid = String(found.id);
    }
    const id = vid;
    await this.call('ORDER', () => this.apis.orders.deleteOrderByOrderID({ orderId: id }));
  }

  async close(): Promise<void> {
    this.updates.stop();
    await this.chain;
  }

  /** Resolves once every report received so far has been worked out (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  // ---- reports ----

  private enqueue(work: () => Promise<void> | void): void {
    this.chain = this.chain.then(work).catch((e: unknown) => this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: a report could not be worked out: ${(e as Error).message}`));
  }

  private emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    this.sink(r);
  }

  /** Our order an Alpaca order is: by its id (any link of a replace chain), else by its client id. */
  private trackedFor(o: trading.Order): TrackedOrder | undefined {
    const byId = o.id ? this.tracker.byVenueOrderId(String(o.id)) : undefined;
    if (byId) return byId;
    const wardenId = wardenIdOf(o.clientOrderId, (id) => this.tracker.byWardenId(id) !== undefined);
    return wardenId !== undefined ? this.tracker.byWardenId(wardenId) : undefined;
  }

  private async onUpdate(u: streaming.TradeUpdate): Promise<void> {
    let t = this.trackedFor(u.order);
    // A leg of a list before its parent's answer named it: the waiting children's legs are looked up.
    if (!t && u.order.orderClass !== undefined && u.order.orderClass !== 'simple' && u.order.orderClass !== '') {
      await this.queries.findLegs();
      t = this.trackedFor(u.order);
    }
    // An order we did not send: reconciliation adopts it (FAULTS 23).
    if (!t) return;
    const ts = epochMs(u.timestamp, this.deps.clock.now());
    const id = clientOrderId(t.wardenId);
    // The replacing order at work (its `replaced` update missed): the order stands replaced. A
    // rejected one (its old order filled first) never replaced anything.
    const o = u.order;
    if (o.replaces && o.replaces === t.venueOrderId && u.event !== 'rejected' && u.event !== 'replaced' && statusOf(o.status) !== 'REJECTED') this.replaced(t, o);
    switch (u.event) {
      case 'fill':
      case 'partial_fill':
        if (u.executionId === undefined) return;
        return this.onFill(t, u.executionId, alpacaDecimal(u.qty, 'trade_update.qty'), alpacaDecimal(u.price, 'trade_update.price'), ts, String(u.order.id), u.event === 'fill');
      case 'replaced':
        return this.onReplacedUpdate(t, u.order);
      case 'order_cancel_rejected':
        return this.emit({ kind: 'OrderCancelRejected', clientOrderId: id, reason: `Alpaca refused the cancel (order ${String(u.order.status)})`, ts });
      case 'order_replace_rejected':
        // The old order stands (filled, mostly: too late to replace); its replacing order, rejected, is not ours any more.
        return this.emit({ kind: 'OrderModifyRejected', clientOrderId: id, reason: `Alpaca refused the replace (order ${String(u.order.status)})`, ts });
      default:
        return this.onOrder(u.order, ts);
    }
  }

  /**
   * An order as Alpaca shows it, then each of its legs (a list's) as the Warden child it is. A
   * parent seen without its legs (a stream update; its POST answer lost) while children wait for
   * theirs is read again with its legs (nested=true).
   */
  private async onOrder(o: trading.Order, at?: number): Promise<void> {
    await this.onOneOrder(o, at);
    const parent = this.trackedFor(o);
    if (!parent) return;
    let legs = o.legs ?? [];
    if (legs.length === 0 && o.id !== undefined && this.unlinkedChildren(parent.wardenId)) {
      const id = String(o.id);
      legs = (await this.call('READ', () => this.apis.orders.getOrderByOrderID({ orderId: id, nested: true }))).legs ?? [];
    }
    for (const l of legs) {
      // A leg is an order of the same shape (the SDK's OrderLeg is its copy).
      const leg = l as unknown as trading.Order;
      this.linkLeg(parent.wardenId, leg);
      await this.onOneOrder(leg, at);
    }
  }

  /** Whether a list's children wait for Alpaca's legs (their ids). */
  private unlinkedChildren(parentId: string): boolean {
    return this.legs.childrenOf(parentId).some((c) => {
      const t = this.tracker.byWardenId(c);
      return t !== undefined && t.venueOrderId === undefined && !t.ended;
    });
  }

  /** A leg Alpaca named: its id is the child's from now on. */
  private linkLeg(parentId: string, leg: trading.Order): void {
    if (leg.id === undefined || this.tracker.byVenueOrderId(String(leg.id))) return;
    const childId = this.legs.childFor(parentId, leg);
    const child = childId === undefined ? undefined : this.tracker.byWardenId(childId);
    if (child && child.venueOrderId === undefined) this.tracker.setVenueOrderId(child, String(leg.id));
  }

  /** An order as Alpaca shows it (a REST answer, or a stream update other than a fill or replace). */
  private async onOneOrder(o: trading.Order, at?: number): Promise<void> {
    const t = this.trackedFor(o);
    if (!t) return;
    // An update of an order this one replaced says nothing of the order as it stands.
    if (t.venueOrderId !== undefined && o.id !== undefined && t.venueOrderId !== String(o.id) && statusOf(o.status) !== 'OPEN') return;
    if (o.id && t.venueOrderId === undefined) this.tracker.setVenueOrderId(t, String(o.id));
    const status = statusOf(o.status);
    const ts = at ?? epochMs(o.updatedAt ?? o.submittedAt, this.deps.clock.now());
    const id = clientOrderId(t.wardenId);
    if (status === 'REJECTED') {
      if (!t.accepted && !t.ended) this.emit({ kind: 'OrderRejected', clientOrderId: id, reason: 'REJECTED: Alpaca rejected the order', ts });
      else if (!t.ended) this.emit({ kind: 'OrderCanceled', clientOrderId: id, ts });
      t.ended = true;
      this.tracker.closed(t);
      return;
    }
    this.accept(t, ts);
    if (status === undefined || status === 'OPEN' || status === 'REPLACED') return;
    await this.fillsCounted(t, o);
    if ((status === 'CANCELED' || status === 'EXPIRED') && !t.ended) {
      t.ended = true;
      this.emit({ kind: status === 'CANCELED' ? 'OrderCanceled' : 'OrderExpired', clientOrderId: id, ts });
    }
    this.tracker.closed(t);
  }

  /** Fills Alpaca counts (filled_qty) that have not reached us: taken from the FILL activities before the order's end is told. */
  private async fillsCounted(t: TrackedOrder, o: trading.Order): Promise<void> {
    const filled = t.instrument.quantity(alpacaDecimal(o.filledQty ?? '0', 'filled_qty'));
    if (filled.raw <= t.instrument.quantity(t.filledSeen).raw) return;
    const since = epochMs(o.submittedAt ?? o.createdAt, 0);
    for (const a of await this.queries.fillActivities(since)) {
      if (this.tracker.byVenueOrderId(a.order_id) !== t) continue;
      const f = fillOf(a, t);
      this.onFill(t, executionIdOf(a.id), alpacaDecimal(a.qty, 'activity.qty'), String(f.lastPx), f.ts, a.order_id, false);
    }
  }

  private accept(t: TrackedOrder, ts: number): void {
    if (t.accepted || t.venueOrderId === undefined) return;
    t.accepted = true;
    this.emit({ kind: 'OrderAccepted', clientOrderId: clientOrderId(t.wardenId), venueOrderId: venueOrderId(t.venueOrderId), ts });
  }

  private onFill(t: TrackedOrder, executionId: string, qty: string, px: string, ts: number, alpacaOrderId: string, last: boolean): void {
    if (!this.tracker.firstSight(executionId)) return;
    if (t.venueOrderId === undefined) this.tracker.setVenueOrderId(t, alpacaOrderId);
    this.accept(t, ts);
    const lastQty = t.instrument.quantity(qty, 'fill qty');
    t.filledSeen = t.instrument.quantity(t.filledSeen).add(lastQty).toString();
    this.emit({ kind: 'OrderFilled', clientOrderId: clientOrderId(t.wardenId), ts, tradeId: tradeId(executionId), venueOrderId: venueOrderId(alpacaOrderId), lastQty, lastPx: px, liquidity: 'TAKER', commission: Money.zero(Currencies.USD) });
    if (last) this.tracker.closed(t);
  }

  /** A `replaced` update names the new order (`replaces`) or the old one (`replaced_by`); either way the order now stands as the new one. */
  private async onReplacedUpdate(t: TrackedOrder, o: trading.Order): Promise<void> {
    if (o.replaces) return this.replaced(t, o);
    if (!o.replacedBy || this.tracker.byVenueOrderId(o.replacedBy) === t && t.venueOrderId === o.replacedBy) return;
    const next = o.replacedBy;
    return this.replaced(t, await this.call('READ', () => this.apis.orders.getOrderByOrderID({ orderId: next })));
  }

  /** The order now stands as `o` (a replacement): told once, with its terms. */
  private replaced(t: TrackedOrder, o: trading.Order): void {
    const id = String(o.id);
    if (t.venueOrderId === id) return;
    this.tracker.setVenueOrderId(t, id);
    const limit = alpacaOptional(o.limitPrice, 'limit_price');
    const stop = o.type === 'trailing_stop' ? undefined : alpacaOptional(o.stopPrice, 'stop_price');
    this.emit({
      kind: 'OrderUpdated',
      clientOrderId: clientOrderId(t.wardenId),
      ts: epochMs(o.updatedAt ?? o.submittedAt, this.deps.clock.now()),
      venueOrderId: venueOrderId(id),
      ...(o.qty ? { quantity: alpacaDecimal(o.qty, 'qty') } : {}),
      ...(limit !== undefined ? { price: limit } : {}),
      ...(stop !== undefined ? { triggerPrice: stop } : {}),
    });
  }

  // ---- calls ----

  private entry(instrument: Instrument): { instrument: Instrument; symbol: string } {
    const e = this.instruments.get(instrument.id);
    if (!e) throw new VenueCallError('VENUE_REJECTED', `INVALID_ORDER: ${instrument.id} is not listed on ${this.id}`);
    return e;
  }

  /** An SDK call with its error mapped to Warden's venue codes. */
  private async call<T>(kind: CallKind, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw mapAlpacaError(e, kind);
    }
  }
}
