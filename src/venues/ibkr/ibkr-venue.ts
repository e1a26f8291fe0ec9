import { EventName, type CommissionReport, type Contract, type Execution, type IBApi, type Order, type OrderState } from '@stoqey/ib';
import type { CancelRequest, ModifyRequest, SubmitRequest, VenueConnectionState, VenueReport } from '../../engine/venue.ts';
import { VenueCallError } from '../../model/errors.ts';
import { clientOrderId, venueId, venueOrderId, type VenueId } from '../../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { BrokerDeps, BrokerProbe, BrokerVenue } from '../broker/contract.ts';
import { Acks } from './acks.ts';
import type { IbkrVenueConfig } from './config.ts';
import { callErrorOf, classifyIbError } from './errors.ts';
import { ibDecimal as toIbText, ibQuantity, toIbNumber } from './exact.ts';
import type { Quantity } from '../../model/values.ts';
import { IbInstruments } from './instruments.ts';
import { contractOf, statusOfIb, toIbOrder } from './orders.ts';
import { Outbox } from './outbox.ts';
import { IbkrQueries } from './queries.ts';
import { bustOf, termsDiffer } from './corrections.ts';
import { execTime, fillOf } from './reports.ts';
import { IbRequests, type ExecItem } from './requests.ts';
import { IbSession } from './session.ts';
import { IbTracker, type TrackedIbOrder } from './tracker.ts';

/**
 * Interactive Brokers through TWS / IB Gateway's socket API (@stoqey/ib) as a Warden venue.
 * Orders go with placeOrder under an IB order id from nextValidId and Warden's client order id
 * in orderRef; a modify is placeOrder again under the same id; a cancel is cancelOrder. What
 * becomes of them comes as openOrder / orderStatus / execDetails / commissionReport, worked out
 * one at a time in arrival order: an acceptance once, a fill once per execId (with its
 * commission; a correction, a later revision of the execId, busts it and fills again), an order's
 * end after its fills. A dropped socket or IB's 1100 is DOWN until the
 * connection is back and the executions and open orders missed meanwhile have been fetched.
 */
export class IbkrVenue implements BrokerVenue {
  readonly id: VenueId;
  readonly capabilities = { stopOrders: true, trailingStops: true, postOnly: false, iceberg: true, orderLists: [], modify: true } as const;
  readonly queries: IbkrQueries;
  private sink: ((r: VenueReport) => void) | undefined;
  private readonly listeners: ((s: VenueConnectionState) => void)[] = [];
  private readonly tracker = new IbTracker();
  private readonly session: IbSession;
  private readonly requests: IbRequests;
  private readonly instruments: IbInstruments;
  private readonly acks: Acks;
  private readonly outbox: Outbox;
  private accounts: string[] = [];
  private opened: Promise<void> | undefined;
  /** Reports are worked out one at a time, in arrival order (some need a read first). */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly cfg: IbkrVenueConfig,
    private readonly deps: BrokerDeps,
  ) {
    this.id = venueId(deps.name);
    this.acks = new Acks(deps.timer, cfg.ack_timeout_ms);
    this.outbox = new Outbox((r) => this.emit(r), deps.timer, cfg.commission_wait_ms);
    this.session = new IbSession(
      { host: cfg.host, port: cfg.port, clientId: cfg.client_id, timer: deps.timer, connectTimeoutMs: cfg.connect_timeout_ms, reconnectBaseMs: cfg.reconnect_base_ms, reconnectMaxMs: cfg.reconnect_max_ms },
      {
        bind: (api) => this.bind(api),
        recover: () => this.recover(),
        onState: (up, why) => this.tell(up ? 'UP' : 'DOWN', why),
        onAccounts: (a) => (this.accounts = a),
        onAlert: (m) => deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: ${m}`),
      },
    );
    this.requests = new IbRequests(() => this.session.api, deps.timer, cfg.query_timeout_ms, cfg.commission_wait_ms);
    this.instruments = new IbInstruments(this.requests, cfg.exchange, cfg.currency);
    this.queries = new IbkrQueries({
      requests: this.requests,
      tracker: this.tracker,
      instruments: this.instruments,
      accountId: deps.accountId,
      clientId: cfg.client_id,
      account: () => this.account,
      now: () => deps.clock.now(),
    });
  }

  /** The IB account code orders go to: the configured one, else the first TWS manages. */
  get account(): string {
    return this.cfg.account ?? this.accounts[0] ?? '';
  }

  open(): Promise<void> {
    // A failed open may be tried again (the registry reconnects with backoff).
    this.opened ??= this.session.open().then(
      () => this.session.markUp(),
      (e: unknown) => {
        this.opened = undefined;
        throw e;
      },
    );
    return this.opened;
  }

  instrumentSpec(id: string, symbol: string): Promise<InstrumentSpec> {
    return this.instruments.spec(id, symbol);
  }

  register(instrument: Instrument, symbol: string): void {
    this.instruments.register(instrument, symbol);
  }

  remember(orders: readonly { spec: OrderSpec; venueOrderId: string | undefined }[]): void {
    for (const { spec, venueOrderId: vid } of orders) {
      const instrument = this.instruments.byId(spec.instrumentId);
      if (!instrument) continue;
      const ibId = vid !== undefined && /^-?\d+$/.test(vid) ? Number(vid) : undefined;
      this.tracker.track(spec.clientOrderId, instrument, spec, ibId, ibId !== undefined);
    }
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
  }

  onConnection(listener: (s: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  async probe(): Promise<BrokerProbe> {
    const t0 = this.deps.clock.now();
    const seconds = await this.requests.currentTime();
    return { latencyMs: this.deps.clock.now() - t0, detail: `TWS server version ${this.session.serverVersion}, account ${this.account}, its clock ${new Date(seconds * 1000).toISOString()}` };
  }

  async close(): Promise<void> {
    this.session.close();
    this.acks.rejectAll('the venue was closed');
    await this.chain;
  }

  /** Resolves once every report received so far has been worked out (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  // ---- order calls ----

  async submit(req: SubmitRequest): Promise<void> {
    const { spec, instrument } = req;
    const mapped = toIbOrder(spec, instrument, { account: this.account, outsideRth: this.cfg.outside_rth });
    if (!mapped.ok) throw new VenueCallError('VENUE_REJECTED', mapped.reason, { clientOrderId: spec.clientOrderId });
    const symbol = this.instruments.symbolOf(instrument);
    this.session.ensureUp();
    const conId = await this.instruments.conIdOf(symbol);
    const api = this.session.ensureUp();
    const t = this.tracker.byWardenId(spec.clientOrderId) ?? this.tracker.track(spec.clientOrderId, instrument, spec);
    // A fresh id per attempt: one refused for the message rate is spent.
    const ibId = this.session.takeOrderId();
    this.tracker.setIbId(t, ibId);
    t.sent = mapped.order;
    const ack = this.acks.wait('SUBMIT', ibId);
    api.placeOrder(ibId, contractOf(conId, symbol, this.cfg.exchange, instrument.quote.code), mapped.order);
    await ack;
  }

  async modify(req: ModifyRequest): Promise<void> {
    const t = this.tracker.byWardenId(req.clientOrderId);
    if (!t || t.ibOrderId === undefined || !t.sent) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: ${req.clientOrderId} has no IB order id`, { clientOrderId: req.clientOrderId });
    if (t.ended) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_OPEN: ${req.clientOrderId} has ended at IB`, { clientOrderId: req.clientOrderId });
    const api = this.session.ensureUp();
    const trail = t.sent.orderType === ('TRAIL' as Order['orderType']);
    const pending = {
      ...(req.quantity !== undefined ? { quantity: toIbNumber(req.quantity) } : {}),
      ...(req.price !== undefined ? { price: toIbNumber(req.price) } : {}),
      ...(req.triggerPrice !== undefined ? { triggerPrice: toIbNumber(req.triggerPrice) } : {}),
    };
    const changed: Order = {
      ...t.sent,
      ...(pending.quantity !== undefined ? { totalQuantity: pending.quantity } : {}),
      ...(pending.price !== undefined ? { lmtPrice: pending.price } : {}),
      ...(pending.triggerPrice !== undefined ? (trail ? { trailStopPrice: pending.triggerPrice } : { auxPrice: pending.triggerPrice }) : {}),
    };
    t.pendingModify = pending;
    const ack = this.acks.wait('MODIFY', t.ibOrderId);
    api.placeOrder(t.ibOrderId, contractOf(await this.instruments.conIdOf(this.instruments.symbolOf(t.instrument)), this.instruments.symbolOf(t.instrument), this.cfg.exchange, t.instrument.quote.code), changed);
    await ack;
    t.sent = changed;
  }

  async cancel(req: CancelRequest): Promise<void> {
    const t = this.tracker.byWardenId(req.clientOrderId);
    const ibId = t?.ibOrderId ?? (req.venueOrderId !== undefined && /^-?\d+$/.test(req.venueOrderId) ? Number(req.venueOrderId) : undefined);
    if (ibId === undefined) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: ${req.clientOrderId} has no IB order id`, { clientOrderId: req.clientOrderId });
    const api = this.session.ensureUp();
    const ack = this.acks.wait('CANCEL', ibId);
    api.cancelOrder(ibId);
    await ack;
  }

  // ---- what TWS says ----

  private bind(api: IBApi): void {
    const ours = (clientId: number | undefined) => clientId === undefined || clientId === this.cfg.client_id;
    api.on(EventName.openOrder, (id: number, contract: Contract, order: Order, state: OrderState) => {
      if (ours(order.clientId)) this.firstWord(id, state.status);
      this.enqueue(() => this.onOpenOrder(ours(order.clientId) ? id : undefined, order, state));
    });
    api.on(EventName.orderStatus, (id: number, status: string, filled: number | undefined, _rem: unknown, _avg: unknown, _perm: unknown, _parent: unknown, _last: unknown, clientId: number | undefined) => {
      if (!ours(clientId)) return;
      this.firstWord(id, status);
      this.enqueue(() => this.onStatus(this.tracker.find(id, undefined), status, filled));
    });
    api.on(EventName.execDetails, (_reqId: number, contract: Contract, e: Execution) => this.enqueue(() => this.onExec({ contract, execution: e })));
    api.on(EventName.commissionReport, (c: CommissionReport) => this.enqueue(() => this.outbox.commission(c)));
    api.on(EventName.error, (err: Error, code: number, id: number) => this.onError(err.message, code, id));
    api.on(EventName.info, (message: string, code: number) => this.onError(message, code, -1));
    api.on(EventName.disconnected, () => this.acks.rejectAll('the socket to TWS closed'));
  }

  /** TWS's first word on an order settles the call that placed it; a cancel is settled by its end. */
  private firstWord(id: number, status: string | undefined): void {
    this.acks.resolve('SUBMIT', id);
    if (statusOfIb(status) === 'CANCELED' || statusOfIb(status) === 'FILLED') this.acks.resolve('CANCEL', id);
  }

  private onError(message: string, code: number, id: number): void {
    const e = classifyIbError(code);
    if (e.kind === 'NOTICE') return;
    if (e.kind === 'CONNECTIVITY_LOST' || e.kind === 'CONNECTIVITY_RESTORED') return this.session.link(e.kind === 'CONNECTIVITY_RESTORED');
    if (id < 0) return this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: TWS says ${message} (IB ${code})`);
    const err = callErrorOf(e, code, message, false);
    if (e.kind === 'ORDER_CANCELED') return this.acks.resolve('CANCEL', id);
    if (e.kind === 'NOT_CANCELABLE') return void this.acks.reject('CANCEL', id, err);
    if (this.acks.reject('MODIFY', id, err)) return;
    const t = this.tracker.find(id, undefined);
    if (this.acks.reject('SUBMIT', id, err)) {
      if (t && !err.ambiguous) {
        // Not acted on: the id is spent and the order is not at IB (refused or over the message rate).
        if (e.kind === 'RATE_LIMITED') this.tracker.setIbId(t, undefined);
        else t.ended = true;
      }
      return;
    }
    if (this.acks.reject('CANCEL', id, err)) return;
    if (!t || t.ended) return;
    const ts = this.deps.clock.now();
    if (e.kind === 'MODIFY_REFUSED') return this.enqueue(() => this.emitNow({ kind: 'OrderModifyRejected', clientOrderId: clientOrderId(t.wardenId), reason: err.message, ts }));
    if (e.kind === 'ORDER_REFUSED' && !t.accepted) {
      t.ended = true;
      this.enqueue(() => this.emitNow({ kind: 'OrderRejected', clientOrderId: clientOrderId(t.wardenId), reason: err.message, ts }));
    }
  }

  private onOpenOrder(id: number | undefined, order: Order, state: OrderState): Promise<void> | void {
    const t = this.tracker.find(id, order.orderRef);
    if (!t) return; // not ours: reconciliation adopts it (FAULTS 23)
    const p = t.pendingModify;
    if (p && t.ibOrderId !== undefined && (p.quantity === undefined || p.quantity === order.totalQuantity) && (p.price === undefined || p.price === order.lmtPrice) && (p.triggerPrice === undefined || p.triggerPrice === order.auxPrice || p.triggerPrice === order.trailStopPrice)) {
      t.pendingModify = undefined;
      this.accept(t);
      this.emitNow({ kind: 'OrderUpdated', clientOrderId: clientOrderId(t.wardenId), ...(p.quantity !== undefined ? { quantity: String(p.quantity) } : {}), ...(p.price !== undefined ? { price: String(p.price) } : {}), ...(p.triggerPrice !== undefined ? { triggerPrice: String(p.triggerPrice) } : {}), ts: this.deps.clock.now() });
      this.acks.resolve('MODIFY', t.ibOrderId);
    }
    return this.onStatus(t, state.status, undefined);
  }

  private async onStatus(t: TrackedIbOrder | undefined, status: string | undefined, filled: number | undefined): Promise<void> {
    if (!t) return;
    t.lastStatus = status;
    const s = statusOfIb(status);
    if (s === undefined) return;
    const ts = this.deps.clock.now();
    const id = clientOrderId(t.wardenId);
    if (s === 'REJECTED') {
      if (!t.ended) this.emitNow(t.accepted ? { kind: 'OrderCanceled', clientOrderId: id, ts } : { kind: 'OrderRejected', clientOrderId: id, reason: `inactive at IB (${String(status)})`, ts });
      t.ended = true;
      return;
    }
    this.accept(t);
    // IB counts fills we have not seen: fetched before the order's end is told.
    if (filled !== undefined && filled > t.filled.toNumber()) await this.fetchFills();
    if (s === 'CANCELED' && !t.ended) {
      t.ended = true;
      this.emitNow({ kind: 'OrderCanceled', clientOrderId: id, ts });
    }
    if (s === 'FILLED') t.ended = true;
  }

  /**
   * An execution, told once per execution and revision. IB corrects one (FAULTS 19) by sending it
   * again under a later revision (execId differing only after the last period): when its shares or
   * price differ, the fill told before is busted and the corrected one is a fill; the same or an
   * older revision again is a duplicate.
   */
  private onExec(x: ExecItem): void {
    const e = x.execution;
    const execId = e.execId;
    if (!execId) return;
    const t = this.tracker.find(e.clientId === this.cfg.client_id ? e.orderId : undefined, e.orderRef);
    if (!t) return;
    const sight = this.tracker.sight(execId);
    if (sight.kind === 'DUPLICATE') return;
    if (x.commission) this.outbox.commission(x.commission);
    this.accept(t);
    if (sight.kind === 'CORRECTION') {
      const before = sight.told;
      if (!termsDiffer(before.execution, e)) return;
      const ts = this.deps.clock.now();
      // Made when its turn comes: the fill it busts has left by then, with its commission.
      this.outbox.push(() => bustOf(before.fill ?? fillOf(t.wardenId, t.instrument, before.execution, undefined, ts), execId, ts));
      t.filled = t.filled.sub(ibQuantity(t.instrument, before.execution.shares, 'execution.shares'));
    }
    const told = this.tracker.told({ ...e, execId });
    const ts = execTime(e.time, this.deps.clock.now());
    const fill = fillOf(t.wardenId, t.instrument, e, x.commission, ts);
    t.filled = t.filled.add(t.instrument.quantity(fill.lastQty));
    this.outbox.pushFill(execId, (c) => (told.fill = fillOf(t.wardenId, t.instrument, e, c, ts)));
    if (t.filled.cmp(this.currentQuantity(t)) >= 0) t.ended = true;
  }

  private accept(t: TrackedIbOrder): void {
    if (t.accepted || t.ibOrderId === undefined) return;
    t.accepted = true;
    this.emitNow({ kind: 'OrderAccepted', clientOrderId: clientOrderId(t.wardenId), venueOrderId: venueOrderId(String(t.ibOrderId)), ts: this.deps.clock.now() });
  }

  /** This client's executions over a request, each worked out here and now (and told once). */
  private async fetchFills(): Promise<void> {
    for (const x of await this.requests.executions({ clientId: this.cfg.client_id, acctCode: this.account })) this.onExec(x);
  }

  /**
   * After a reconnect or IB's connectivity restored: executions first, then open orders; an order
   * we had working that is neither open nor filled any more ended while we were away (IB does not
   * list ended orders here): canceled.
   */
  private async recover(): Promise<void> {
    const execs = await this.requests.executions({ clientId: this.cfg.client_id, acctCode: this.account });
    const open = await this.requests.openOrders(false);
    this.enqueue(async () => {
      for (const x of execs) this.onExec(x);
      for (const o of open) await this.onOpenOrder(o.orderId, o.order, o.state);
      const stillOpen = new Set(open.map((o) => o.orderId));
      for (const t of this.tracker.working()) {
        if (t.ibOrderId !== undefined && stillOpen.has(t.ibOrderId)) continue;
        if (t.filled.cmp(this.currentQuantity(t)) >= 0) continue;
        t.ended = true;
        this.emitNow({ kind: 'OrderCanceled', clientOrderId: clientOrderId(t.wardenId), ts: this.deps.clock.now() });
      }
    });
    await this.chain;
  }

  // ---- plumbing ----

  /** The order's quantity as last sent (a modify may have changed it). */
  private currentQuantity(t: TrackedIbOrder): Quantity {
    return t.sent?.totalQuantity !== undefined ? t.instrument.quantity(toIbText(t.sent.totalQuantity, 'order.totalQuantity')) : t.spec.quantity;
  }

  private enqueue(work: () => Promise<void> | void): void {
    this.chain = this.chain.then(work).catch((e: unknown) => this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: a report could not be worked out: ${(e as Error).message}`));
  }

  /** Through the outbox, behind any fill still waiting for its commission. */
  private emitNow(r: VenueReport): void {
    this.outbox.push(r);
  }

  private emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    this.sink(r);
  }

  private tell(state: VenueConnectionState, why: string): void {
    if (state === 'DOWN') this.deps.onAlert('VENUE_DISCONNECTED', `${this.id}: ${why}`);
    for (const l of this.listeners) l(state);
  }
}
