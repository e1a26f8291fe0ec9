import { LookupError, ValidationError, type ErrorContext } from '../../model/errors.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { InstrumentId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../../model/orders/factory.ts';
import type { OrderEvent } from '../../model/orders/events.ts';
import type { Order } from '../../model/orders/order.ts';
import type { OrderSpec, OrderType } from '../../model/orders/types.ts';
import type { Price } from '../../model/values.ts';
import type { CommandResult, Denial, Engine } from '../../engine/engine.ts';
import type { VenueCapabilities } from '../../engine/venue.ts';
import { requireSubmitter } from '../../engine/order-authority.ts';
import { SYSTEM, type Origin } from '../../engine/origin.ts';
import { SerialQueue } from '../../engine/serial-queue.ts';
import { correctionWithinHoldings } from './correction-size.ts';
import { ContingencyManager, type BracketRequest, type ContingentAction, type OtoRequest, type SizedOrderRequest } from './contingent.ts';
import { heldFromRecord, recoveredOrigin, registerWith, replayGroups, stillToDo } from './recovery.ts';
import { SettledGroups } from './settled-groups.ts';
import { EmulationRecorder } from './recorder.ts';
import { expiryOf, holdSpec, type DayEnd, isEmulatedType, observeHeld, releaseOf, triggerLevel, withQuantity, type EmulatedSpec, type HeldOrder } from './held.ts';
import { ObservationFeed, type IntrabarPath } from './observations.ts';
import { heldReduceOnlyActions } from './reduce-only-held.ts';
import { scaleOrders, type ScaleRequest } from './scale.ts';
import { checkEmulatedTriggerType, type Observation } from './triggers.ts';
import { trailingStopOrder, type TrailingStopRequest } from './requests.ts';
import { venueHoldsList } from '../../engine/order-lists.ts';
import { bracketList, ocoList, otoList, type VenueList } from './native-lists.ts';

export { EMULATED_TAG, type EmulatedStatus } from './held.ts';
export type { TrailingStopRequest } from './requests.ts';

/** A held order as callers see it: the record plus the level it fires at now. */
export type EmulatedOrder = HeldOrder & { readonly triggerPrice: Price | undefined };

export interface OrderEmulatorOptions {
  /** What each venue supports natively; an instrument on a venue not listed is emulated. */
  readonly capabilities?: readonly { readonly id: string; readonly capabilities: VenueCapabilities }[];
  /** The order a bar's prices are assumed to trade in; as the simulated exchange's default. */
  readonly intrabar?: IntrabarPath;
  /** When a held DAY order ends on a venue with trading hours (its session's close); default: the next UTC midnight. */
  readonly dayEnd?: DayEnd;
}

/**
 * The thin layer that holds orders a venue lacks engine-side and acts on pure decisions: stops,
 * if-touched orders (take-profit) and trailing stops (held.ts, triggers.ts, trailing.ts) when the
 * venue's capabilities lack `stopOrders` or `trailingStops`. Prices come from the engine bus
 * (observations.ts): 'market' updates, and each finished bar's path. A bar is given to the engine
 * once the venue has walked it (as the backtest runner does), so an order released on a bar goes
 * out at its close and fills at the next price the venue sees (the next bar's open): a gap
 * through a stop fills at that price, never at the stop, and there is no look-ahead.
 *
 * When an order fires, a MARKET (stop-market, market-if-touched, trailing-stop-market) or LIMIT
 * (stop-limit, limit-if-touched, trailing-stop-limit) with the same client order id goes through
 * engine.submitOrder, so it passes the pre-trade gate again. A held order is plain data (spec +
 * trigger state).
 *
 * A bracket, OCO or OTO whose venue holds such lists itself (VenueCapabilities.orderLists, and the
 * orders fit: src/engine/order-lists.ts, native-lists.ts) goes to it as one SubmitOrderList
 * `heldAtVenue`: nothing is held or registered here, the venue links the orders and its legs keep
 * protecting the position while the node is down. Every other list is emulated as follows.
 *
 * Contingent orders (bracket, OCO, OTO, OUO) are decided by a ContingencyManager (contingent.ts) on
 * every 'order' event, synchronously and in event order; its actions (submit, submit a list,
 * modify, cancel, alert) are carried out afterwards, one at a time, through the same "hold if the
 * venue lacks it" path and engine commands. They never run inside the engine's own event
 * handling: legs that fill in one bar therefore both fill before a cancel can arrive, and the
 * manager's correction handles it.
 *
 * Every decision is journaled (recorder.ts: held, moved, resized, released, canceled; contingent
 * groups registered and completed), so `recover()` brings it all back after a restart.
 *
 * Every order it sends goes as whoever it is sent for (README "What a strategy may and may not
 * do"): a released order as the origin that placed the held one, a contingent group's orders,
 * cancels and modifies as the origin that placed the group, and a correction of an unwanted fill
 * as RISK_CONTROL. Each `submit*` takes that origin (SYSTEM by default, like the engine's
 * commands) and checks it as the engine would: a STRATEGY only for its own strategy id and never
 * with a reserved tag, held orders and OTO children included. The origin is journaled with the
 * held order and the group (originText) and parsed back on recovery (recoveredOrigin).
 *
 * (Longer than our usual file: it is the one thin layer where prices, held orders, contingent
 * actions and the journal meet; every decision it acts on lives in a pure module beside it.)
 */
export class OrderEmulator {
  /** Orders held now (status HELD): what prices are looked at for. */
  private readonly held = new Map<string, HeldOrder>();
  /** Who each held order was placed by: its release is sent as them. */
  private readonly heldBy = new Map<string, Origin>();
  /** Held orders that were released or canceled, kept for `get`; never looked at again. */
  private readonly ended = new Map<string, HeldOrder>();
  private readonly caps = new Map<string, VenueCapabilities>();
  private readonly feed: ObservationFeed;
  private readonly steps = new SerialQueue((e: unknown) => this.alert('EMULATOR_ACTION_FAILED', `emulator action failed: ${(e as Error).message}`, {}));
  private started = false;
  private readonly unsubscribe: (() => void)[] = [];
  /**
   * The 'market' and 'bar' subscriptions, there only while an order is held: prices are looked at
   * for held orders alone (expiries are of held orders too), and a backtest publishes two of them a
   * bar, mostly with nothing held.
   */
  private pricesOff: (() => void) | undefined;
  /** Contingent orders (bracket, OCO, OTO, OUO): decided there, carried out here. */
  readonly contingencies = new ContingencyManager();
  /** Done groups: journaled complete, kept a while so a late fill is still corrected. */
  private readonly settled: SettledGroups;
  /** Held orders with a DAY or GTD expiry, so expireDue looks at those only. */
  private readonly expiring = new Set<string>();
  private readonly journal: EmulationRecorder;
  private readonly dayEnd: DayEnd | undefined;

  constructor(
    private readonly engine: Engine,
    opts: OrderEmulatorOptions = {},
  ) {
    for (const v of opts.capabilities ?? []) this.caps.set(v.id, v.capabilities);
    this.dayEnd = opts.dayEnd;
    this.journal = new EmulationRecorder(engine, (e: unknown) => this.alert('EMULATION_NOT_JOURNALED', `emulation event not journaled: ${(e as Error).message}`, {}));
    this.settled = new SettledGroups(this.contingencies, (g) => {
      if (engine.state.emulation.hasGroup(g)) this.journal.later(this.journal.completed(g));
    });
    this.feed = new ObservationFeed(
      { wants: (id) => this.hasHeld(id), deliver: (id, obs) => this.observe(id, obs) },
      (id) => engine.instrument(id),
      () => engine.now(),
      opts.intrabar,
    );
  }

  /** Starts watching the bus. Call once, before prices flow. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const bus = this.engine.bus;
    this.watchPrices();
    this.unsubscribe.push(
      // Decided at once, in event order; carried out after (never re-entering the engine mid-event).
      bus.subscribe('order', (e) => {
        this.perform(this.contingencies.onEvent(e));
        this.settled.check(e.clientOrderId);
        if (e.kind === 'OrderFilled' && this.held.size > 0) this.keepReduceOnly(e);
      }),
      // The kill switch cancels every working order (FAULTS 26); held ones are working orders too.
      bus.subscribe('record', (r) => {
        if (r.event.kind === 'KillSwitchEngaged') this.cancelAllHeld('kill switch engaged');
      }),
    );
  }

  /**
   * After a restart (Engine.recover or fromJournal), before start(): takes back the held orders
   * and the live contingent groups the journal has. A held order whose id the engine already has
   * was released just before the stop. Each live group is rebuilt by replaying its registration
   * and the journal's order events through the ContingencyManager; what it decided and was not
   * carried out before the stop (a child never submitted, a cancel never sent) is carried out now.
   * Reconcile with the venue after this, so fills missed while down reach a manager that knows them.
   */
  async recover(): Promise<void> {
    const st = this.engine.state.emulation;
    for (const r of st.held()) {
      const id = r.spec.clientOrderId;
      const h = heldFromRecord(r, this.engine.instrument(r.spec.instrumentId).tickSize);
      if (this.engine.order(id)) await this.journal.released(h, undefined);
      else this.keep(h, recoveredOrigin(r.origin));
    }
    const live = new Set(st.contingencies().map((g) => g.groupId));
    if (live.size === 0) return;
    const { decided, existed } = await replayGroups(
      this.engine.journal,
      live,
      (kind, request, origin) => registerWith(this.contingencies, kind, request, (o) => this.sized(o), recoveredOrigin(origin)),
      (e) => this.contingencies.onEvent(e),
    );
    const workingQty = (id: string) => {
      const h = this.held.get(id);
      if (h) return h.spec.quantity;
      const o = this.engine.order(id);
      return o?.isOpen ? o.quantity : undefined;
    };
    this.perform(stillToDo(decided, { existed: (id) => existed.has(id) || this.held.has(id) || this.ended.has(id), working: (id) => workingQty(id) !== undefined, quantity: workingQty }));
    for (const g of live) this.settled.checkGroup(g);
  }

  /** Stops watching the bus; held orders stay held. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.pricesOff?.();
    this.pricesOff = undefined;
    this.started = false;
  }

  /** Subscribes to prices once an order is held (after start). */
  private watchPrices(): void {
    if (!this.started || this.pricesOff !== undefined || this.held.size === 0) return;
    const bus = this.engine.bus;
    const offMarket = bus.subscribe('market', (u) => {
      this.expireDue();
      this.feed.onMarket(u);
    });
    const offBar = bus.subscribe('bar', (b) => {
      this.expireDue();
      this.feed.onBar(b);
    });
    this.pricesOff = () => {
      offMarket();
      offBar();
    };
  }

  /** Unsubscribes from prices when nothing is held any more (a price still pending is looked at and finds nothing). */
  private unwatchPricesWhenNoneHeld(): void {
    if (this.held.size > 0 || this.pricesOff === undefined) return;
    this.pricesOff();
    this.pricesOff = undefined;
  }

  /** Nothing to wait for: no price waiting to be looked at, no release or action queued (idle() would return at once). */
  get quiet(): boolean {
    return this.feed.idle && !this.steps.busy;
  }

  /** Resolves when every price seen so far has been looked at and every release carried out. */
  async idle(): Promise<void> {
    this.feed.flush();
    await this.steps.idle();
  }

  /** Whether an order of `type` on the instrument's venue is held here (the venue lacks it natively). */
  emulates(instrumentId: string, type: OrderType): boolean {
    if (!isEmulatedType(type)) return false;
    const caps = this.caps.get(this.engine.instrument(instrumentId).venue);
    return type === 'TRAILING_STOP_MARKET' || type === 'TRAILING_STOP_LIMIT' ? !(caps?.trailingStops ?? false) : !(caps?.stopOrders ?? false);
  }

  /** Whether orders on the instrument's venue need a trailing stop emulated. */
  emulatesTrailing(instrumentId: string): boolean {
    return this.emulates(instrumentId, 'TRAILING_STOP_MARKET');
  }

  /**
   * Places any order: held here when its type is one the venue lacks (stops, if-touched, trailing),
   * else sent to the venue through engine.submitOrder. Validated exactly as the engine would.
   * A held order with trigger type MARK is refused (UNSUPPORTED_TRIGGER_TYPE). `origin`: who
   * sends it; a held order is released as them.
   */
  async submitOrder(order: OrderRequest, origin: Origin = SYSTEM): Promise<EmulatedOrder | CommandResult> {
    const by = this.sender(origin);
    const p = this.prepare(order, by);
    if (!p) return this.engine.submitOrder(order, by);
    return view(await this.hold(p.spec, p.instrument, by));
  }

  /**
   * Places a trailing stop: held here when the venue lacks trailing stops, else sent to the venue
   * as a TRAILING_STOP_* order. A reference price already through the stop is refused.
   */
  async submitTrailingStop(req: TrailingStopRequest, origin: Origin = SYSTEM): Promise<EmulatedOrder | CommandResult> {
    const by = this.sender(origin);
    const order = trailingStopOrder(req);
    const p = this.prepare(order, by);
    if (!p) return this.engine.submitOrder(order, by);
    let h = holdSpec(p.spec, p.instrument.tickSize, this.engine.now());
    const ref: Observation | undefined =
      req.referencePrice !== undefined ? samePrice(p.instrument.price(req.referencePrice, 'referencePrice')) : this.engine.portfolio.quote(p.instrument.id);
    if (ref !== undefined) {
      const d = observeHeld(h, ref, p.instrument.tickSize);
      if (d.fire) throw new ValidationError('INVALID_FIELD', `reference price is already through the stop`, { field: 'referencePrice' });
      h = d.held;
    }
    const held = h;
    await this.journaled(held.clientOrderId, () => this.keep(held, by), this.journal.held(p.spec, by));
    await this.journal.moved(held);
    return view(held);
  }

  /**
   * A bracket: the entry now; take-profit and stop-loss children (reduce-only, OUO) on its fills,
   * held here if the venue lacks stops. On a venue that holds brackets (and trigger FULL or none
   * given) the three go to the venue as one list and the children rest there (native-lists.ts).
   */
  async submitBracket(req: BracketRequest, origin: Origin = SYSTEM): Promise<void> {
    const by = this.sender(origin);
    this.requireLegs([req.entry], by);
    if (await this.toVenue(bracketList(req), by)) return;
    await this.journal.registered('BRACKET', req.entry.clientOrderId, req, by);
    await this.performNow(this.contingencies.bracket(req, by));
  }

  /** Two orders, one cancels the other: both now; a fill of one cancels the other (the venue's doing, when it holds such a pair). */
  async submitOco(a: OrderRequest, b: OrderRequest, origin: Origin = SYSTEM): Promise<void> {
    const by = this.sender(origin);
    this.requireLegs([a, b], by);
    if (await this.toVenue(ocoList(a, b), by)) return;
    await this.journal.registered('OCO', a.clientOrderId, [a, b], by);
    await this.performNow(this.contingencies.oco(a, b, by));
  }

  /** Two orders, one updates the other: both now; a fill of one takes as much off the other, a full fill cancels it. */
  async submitOuo(a: OrderRequest, b: OrderRequest, origin: Origin = SYSTEM): Promise<void> {
    const by = this.sender(origin);
    this.requireLegs([a, b], by);
    const [sa, sb] = [this.sized(a), this.sized(b)];
    await this.journal.registered('OUO', a.clientOrderId, [sa, sb], by);
    await this.performNow(this.contingencies.ouo(sa, sb, by));
  }

  /** One triggers the other: the parent now, the child on its fill (checked now against `origin`, so a refusal reaches the caller). */
  async submitOto(req: OtoRequest, origin: Origin = SYSTEM): Promise<void> {
    const by = this.sender(origin);
    const c = req.child;
    // The child's strategy as createOrderSpec will fill it in.
    requireSubmitter({ clientOrderId: c.clientOrderId, strategyId: c.strategyId ?? 'default', tags: c.tags ?? [] }, by, this.engine.authority);
    if (await this.toVenue(otoList(req), by)) return;
    await this.journal.registered('OTO', req.parent.clientOrderId, req, by);
    await this.performNow(this.contingencies.oto(req, by));
  }

  /** Scale in or out (scale.ts): the orders as one list, so the gate passes all of them or none. */
  async submitScale(req: ScaleRequest, origin: Origin = SYSTEM): Promise<CommandResult> {
    const orders = scaleOrders(req, this.engine.instrument(req.instrumentId));
    await this.idle();
    return this.engine.execute({ kind: 'SubmitOrderList', orderListId: req.clientOrderId, orders }, origin);
  }

  /** Cancels a held order (before it fired). Returns whether it was held. */
  cancel(clientOrderId: string, reason = 'canceled before it fired'): boolean {
    const h = this.held.get(clientOrderId);
    if (!h) return false;
    this.end({ ...h, status: 'CANCELED' });
    this.journal.later(this.journal.canceled(h, reason));
    // It never was an engine order, so the contingent manager hears of its end as a cancel.
    const t = this.engine.now();
    this.perform(this.contingencies.onEvent({ kind: 'OrderCanceled', clientOrderId: h.spec.clientOrderId, tsEvent: t, tsInit: t }));
    this.settled.check(clientOrderId);
    return true;
  }

  /**
   * Cancels held orders whose time in force has run out (GTD at its expiry, DAY at its session's
   * close, or the next UTC midnight after it was held on a 24/7 venue); run on every price and bar, or call it on a timer. Returns how many.
   */
  expireDue(): number {
    if (this.expiring.size === 0) return 0;
    const now = this.engine.now();
    let n = 0;
    for (const id of [...this.expiring]) {
      const h = this.held.get(id);
      const at = h && expiryOf(h, this.dayEnd);
      if (at === undefined) this.expiring.delete(id);
      else if (at <= now) {
        this.expiring.delete(id);
        if (this.cancel(id, `expired (${h!.spec.timeInForce})`)) n++;
      }
    }
    return n;
  }

  /** Held reduce-only orders that a fill left with less to reduce: resized to the position, or canceled when it is gone. */
  private keepReduceOnly(fill: Extract<OrderEvent, { kind: 'OrderFilled' }>): void {
    const pf = this.engine.portfolio;
    const net = pf.position(fill.positionId)?.signedQtyRaw ?? 0n;
    // positionIdFor reads only the spec: a held order trades the position its released order will.
    const positionOf = (spec: OrderSpec) => pf.positionIdFor({ spec } as Order);
    for (const a of heldReduceOnlyActions(this.held.values(), fill, net, positionOf)) {
      const h = this.held.get(a.clientOrderId);
      if (!h) continue;
      if (a.do === 'cancel') this.cancel(a.clientOrderId, 'reduce-only: the position it reduces is closed');
      else {
        this.held.set(h.clientOrderId, withQuantity(h, a.quantity));
        this.journal.later(this.journal.resized(h, a.quantity));
      }
    }
  }

  /** Cancels every held order; returns how many. */
  cancelAllHeld(reason: string): number {
    let n = 0;
    for (const id of [...this.held.keys()]) if (this.cancel(id, reason)) n++;
    return n;
  }

  get(clientOrderId: string): EmulatedOrder | undefined {
    const h = this.held.get(clientOrderId) ?? this.ended.get(clientOrderId);
    return h && view(h);
  }

  /** Orders still held. */
  heldOrders(): EmulatedOrder[] {
    return [...this.held.values()].map(view);
  }

  // ---- lists the venue holds ----

  /**
   * Sends the list to its venue as one (SubmitOrderList heldAtVenue) when the venue holds lists of
   * its shape and the orders fit (src/engine/order-lists.ts); nothing is held or registered here,
   * the venue links the orders. Returns false, having done nothing, when the list stays emulated.
   */
  private async toVenue(list: VenueList | undefined, by: Origin): Promise<boolean> {
    if (!list || !this.venueHolds(list)) return false;
    this.requireLegs(list.orders, by);
    await this.idle();
    const r = await this.engine.execute({ kind: 'SubmitOrderList', orderListId: list.orderListId, orders: list.orders, heldAtVenue: list.shape }, by);
    this.denied(r.denied);
    return true;
  }

  private venueHolds(list: VenueList): boolean {
    if (list.orders.some((o) => o.clientOrderId === undefined)) return false;
    const caps = this.caps.get(this.engine.instrument(list.orders[0]!.instrumentId).venue);
    if (!caps?.orderLists.includes(list.shape)) return false;
    const now = this.engine.now();
    const specs = list.orders.map((o) => createOrderSpec(o, this.engine.instrument(o.instrumentId), now));
    return venueHoldsList(caps, list.shape, specs);
  }

  // ---- holding ----

  /**
   * The validated spec when the order is to be held here; undefined when the venue takes it. A
   * held order is checked against its sender now, as the engine will check its release.
   */
  private prepare(order: OrderRequest, by: Origin): { spec: EmulatedSpec; instrument: Instrument } | undefined {
    const instrument = this.engine.instrument(order.instrumentId);
    const spec = createOrderSpec(order, instrument, this.engine.now());
    if (!isEmulatedType(spec.type) || !this.emulates(instrument.id, spec.type)) return undefined;
    const held = spec as EmulatedSpec;
    checkEmulatedTriggerType(held.triggerType, held.clientOrderId);
    requireSubmitter(held, by, this.engine.authority);
    if (this.held.has(held.clientOrderId) || this.ended.has(held.clientOrderId) || this.engine.order(held.clientOrderId)) {
      throw new LookupError('DUPLICATE_CLIENT_ORDER_ID', `client order id ${held.clientOrderId} is already in use`, { clientOrderId: held.clientOrderId });
    }
    return { spec: held, instrument };
  }

  private async hold(spec: EmulatedSpec, instrument: Instrument, by: Origin): Promise<HeldOrder> {
    const h = holdSpec(spec, instrument.tickSize, this.engine.now());
    await this.journaled(h.clientOrderId, () => this.keep(h, by), this.journal.held(spec, by));
    return h;
  }

  /** Holds a new order (or one taken back after a restart) for `by`. */
  private keep(h: HeldOrder, by: Origin): void {
    this.held.set(h.clientOrderId, h);
    this.heldBy.set(h.clientOrderId, by);
    if (expiryOf(h, this.dayEnd) !== undefined) this.expiring.add(h.clientOrderId);
    this.watchPrices();
  }

  /** A held order leaves `held` for `ended` (released or canceled). */
  private end(h: HeldOrder): void {
    this.held.delete(h.clientOrderId);
    this.heldBy.delete(h.clientOrderId);
    this.ended.set(h.clientOrderId, h);
    this.unwatchPricesWhenNoneHeld();
  }

  /** An origin as a caller gave it, checked as the engine checks a command's (SYSTEM by default). */
  /**
   * A group's legs checked against its sender before the group is journaled, so a leg the sender
   * may not place (another strategy's id, a reserved tag) refuses the whole group and leaves no
   * registered group behind. (A bracket's children take the entry's strategy and tags.)
   */
  private requireLegs(legs: readonly OrderRequest[], by: Origin): void {
    for (const o of legs) requireSubmitter({ clientOrderId: o.clientOrderId, strategyId: o.strategyId ?? 'default', tags: o.tags ?? [] }, by, this.engine.authority);
  }

  private sender(origin: Origin): Origin {
    return origin === SYSTEM ? origin : this.engine.authority.check(origin, 'emulator');
  }

  private hasHeld(instrumentId: InstrumentId): boolean {
    // Asked for every price: with nothing held (most of a backtest), no iterator is made.
    if (this.held.size === 0) return false;
    for (const h of this.held.values()) if (h.spec.instrumentId === instrumentId) return true;
    return false;
  }

  /** Feeds observations in order to each held order on the instrument; fired orders are released. */
  private observe(instrumentId: InstrumentId, observations: readonly Observation[]): void {
    const tick = this.engine.instrument(instrumentId).tickSize;
    for (const h0 of [...this.held.values()]) {
      if (h0.spec.instrumentId !== instrumentId) continue;
      let h = h0;
      let fired = false;
      for (const obs of observations) {
        const d = observeHeld(h, obs, tick);
        h = d.held;
        fired = d.fire;
        if (fired) break;
      }
      if (fired) this.release(h, tick);
      else {
        this.held.set(h.clientOrderId, h);
        // A trailing stop that moved is journaled, so a restart resumes from this stop, never a looser one.
        if (h.trigger.kind === 'TRAILING' && h0.trigger.kind === 'TRAILING') {
          const [a, b] = [h0.trigger.state, h.trigger.state];
          if (a.activated !== b.activated || !samePx(a.stop, b.stop)) this.journal.later(this.journal.moved(h));
        }
      }
    }
  }

  private release(h: HeldOrder, tick: Price): void {
    const order = releaseOf(h, tick);
    const id = h.spec.clientOrderId;
    const by = this.heldBy.get(id) ?? SYSTEM;
    this.end({ ...h, status: 'RELEASED', released: order });
    this.steps.push(async () => {
      try {
        const r = await this.engine.submitOrder(order, by);
        for (const d of r.denied) this.alert('EMULATED_RELEASE_DENIED', `released ${h.spec.type} ${d.clientOrderId} denied: ${d.code} ${d.reason}`, { clientOrderId: d.clientOrderId, code: d.code });
      } finally {
        // Journaled once the order is the engine's (or could not be made one): a stop in between
        // finds the id taken on restart and counts it released (recover).
        this.journal.later(this.engine.order(id) ? this.journal.released(h, triggerLevel(h)) : this.journal.canceled(h, 'release refused by the engine'));
      }
    });
  }

  // ---- acting ----

  /**
   * Carries out contingent actions in order, through engine commands, after what is already
   * queued; each as its sender, asked now, while the manager still knows the action's group.
   */
  private perform(actions: readonly ContingentAction[]): void {
    for (const a of actions) {
      const by = this.contingencies.senderOf(a);
      this.steps.push(() => this.act(a, by));
    }
  }

  /** The caller's own orders (entry, OCO/OUO legs, OTO parent): bad input reaches the caller. */
  private async performNow(actions: readonly ContingentAction[]): Promise<void> {
    await this.idle();
    for (const a of actions) await this.act(a, this.contingencies.senderOf(a));
    await this.idle();
  }

  private async act(a: ContingentAction, by: Origin): Promise<void> {
    switch (a.do) {
      case 'submit': {
        const { sized, reduced } = correctionWithinHoldings(a.order, this.engine.portfolio, this.engine.instrument(a.order.instrumentId));
        if (reduced) this.alert('CORRECTION_REDUCED', `correction ${a.order.clientOrderId} sells ${sized ? String(sized.quantity) : 'nothing'} of ${String(a.order.quantity)}: the account holds no more`, { clientOrderId: a.order.clientOrderId ?? '' });
        if (!sized) return;
        const p = this.prepare(sized, by);
        if (p) await this.hold(p.spec, p.instrument, by);
        else this.denied((await this.engine.submitOrder(sized, by)).denied);
        return;
      }
      case 'submitList':
        this.denied(await this.placeList(a.orderListId, a.orders, by));
        return;
      case 'modify': {
        const h = this.held.get(a.clientOrderId);
        if (h) {
          this.held.set(h.clientOrderId, withQuantity(h, a.quantity));
          this.journal.later(this.journal.resized(h, a.quantity));
          return;
        }
        const o = this.engine.order(a.clientOrderId);
        if (!o?.isOpen) return;
        // Filled up to the new quantity in the meantime: nothing is left to shrink.
        if (a.quantity.cmp(o.filledQty) <= 0) await this.engine.cancelOrder(a.clientOrderId, by);
        else if (!a.quantity.eq(o.quantity)) await this.engine.modifyOrder(a.clientOrderId, { quantity: a.quantity }, by);
        return;
      }
      case 'cancel':
        if (this.cancel(a.clientOrderId)) return;
        // Done by now (filled in the same bar): nothing to cancel; a late fill is corrected instead.
        if (!this.engine.order(a.clientOrderId)?.isOpen) return;
        await this.engine.cancelOrder(a.clientOrderId, by);
        return;
      case 'alert':
        this.alert(a.code, a.message, a.context);
        return;
    }
  }

  /**
   * A list of which some orders may be held here: the venue's part goes as one list (one gate
   * verdict), the held part is held only if that passed, so the list stays all or nothing.
   */
  private async placeList(orderListId: string, orders: readonly OrderRequest[], by: Origin): Promise<readonly Denial[]> {
    const prepared = orders.map((o) => ({ order: o, held: this.prepare({ ...o, orderListId }, by) }));
    const live = prepared.filter((p) => !p.held).map((p) => p.order);
    if (live.length > 0) {
      const r = await this.engine.execute({ kind: 'SubmitOrderList', orderListId, orders: live }, by);
      const first = r.denied[0];
      if (first) return [...r.denied, ...prepared.flatMap((p) => (p.held ? [{ ...first, clientOrderId: p.held.spec.clientOrderId }] : []))];
    }
    for (const p of prepared) if (p.held) await this.hold(p.held.spec, p.held.instrument, by);
    return [];
  }

  private denied(denials: readonly Denial[]): void {
    for (const d of denials) this.alert('CONTINGENT_ORDER_DENIED', `contingent order ${d.clientOrderId} denied: ${d.code} ${d.reason}`, { clientOrderId: d.clientOrderId, code: d.code });
  }

  // ---- journaling ----

  /** Holds in memory what the journal takes; what it refuses is not held. */
  private async journaled(id: string, holdIt: () => void, durable: Promise<void>): Promise<void> {
    holdIt();
    try {
      await durable;
    } catch (e) {
      this.held.delete(id);
      this.heldBy.delete(id);
      this.unwatchPricesWhenNoneHeld();
      throw e;
    }
  }

  private sized(o: OrderRequest): SizedOrderRequest {
    return { ...o, quantity: this.engine.instrument(o.instrumentId).quantity(o.quantity) };
  }

  private alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.engine.bus.publish('alert', { code, message, context, ts: this.engine.now() });
  }
}

function view(h: HeldOrder): EmulatedOrder {
  return { ...h, triggerPrice: triggerLevel(h) };
}

function samePx(a: Price | undefined, b: Price | undefined): boolean {
  return a === undefined || b === undefined ? a === b : a.eq(b);
}

/** A price given without a side stands for the trade, the bid and the ask at once. */
function samePrice(p: Price): Observation {
  return { last: p, bid: p, ask: p };
}
