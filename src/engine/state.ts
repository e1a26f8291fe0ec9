import { LookupError, StateError, ValidationError } from '../model/errors.ts';
import type { ClientOrderId, InstrumentId } from '../model/identifiers.ts';
import { Instrument } from '../model/instrument.ts';
import type { OrderEvent, OrderFillBusted, OrderFilled } from '../model/orders/events.ts';
import { reversalOf } from '../model/orders/bust.ts';
import { Order, type OverfillPolicy } from '../model/orders/order.ts';
import { Portfolio, type MarkPriceType } from '../portfolio/portfolio.ts';
import type { MessageBus } from './bus.ts';
import type { EngineEvent } from './events.ts';
import { FifoRing } from '../model/retention-window.ts';
import { RiskState } from './risk-state/risk-state.ts';
import { EmulationState } from './emulation/emulation-state.ts';
import { AlgoState } from './algos/algo-state.ts';
import { StrategyStates } from './strategy-state/strategy-states.ts';
import { MarketStatuses } from './markets/market-statuses.ts';
import type { EngineTopics, PositionEvent } from './topics.ts';
import type { EngineSnapshot, SnapshotOptions } from './snapshot.ts';
import type { InstrumentSpec } from '../model/instrument.ts';
import { upgradeSnapshotPositionIds, upgradeTradePositionId } from './legacy-positions.ts';

/** Events after which what an order locks can differ: it opened, filled, changed size or price. */
const LOCK_CHANGING: ReadonlySet<OrderEvent['kind']> = new Set(['OrderSubmitted', 'OrderFilled', 'OrderUpdated', 'OrderFillBusted'] as const);

export interface EngineStateOptions {
  /** REJECT (default): a fill beyond the order quantity is refused. RECORD: applied and flagged. */
  readonly overfillPolicy?: OverfillPolicy;
  /** Closed orders kept in memory; older ones are dropped (the journal keeps all). */
  readonly retainClosedOrders?: number;
  readonly retainClosedPositions?: number;
  /**
   * Client order ids remembered for the duplicate check (default 100,000, at least
   * retainClosedOrders; about 90 bytes each). Older ids are looked up in the journal's index of
   * every id journaled (checkJournaledIds), so they are refused too.
   */
  readonly retainClientOrderIds?: number;
  readonly markPriceType?: MarkPriceType;
}

/**
 * The engine's state as a fold over journal events. The live engine and `Engine.fromJournal`
 * both go through `apply`, so a replay rebuilds exactly what the live run had.
 */
export class EngineState {
  readonly instruments = new Map<InstrumentId, Instrument>();
  readonly orders = new Map<ClientOrderId, Order>();
  readonly openOrders = new Map<ClientOrderId, Order>();
  readonly portfolio: Portfolio;
  /** Trading states, breakers and the kill switch: journaled, so they survive a restart. */
  readonly risk = new RiskState();
  /** Orders held engine-side and live contingent groups: journaled, so they survive a restart. */
  readonly emulation = new EmulationState();
  /** Running execution algorithms (TWAP, VWAP, iceberg): journaled, so they survive a restart. */
  readonly algos = new AlgoState();
  /** What each strategy keeps with ctx.state: journaled, so a restarted strategy continues. */
  readonly strategies = new StrategyStates();
  /** Venues and markets closed, halted or in maintenance (FAULTS 34): journaled, so they survive a restart. */
  readonly markets = new MarketStatuses();
  /** When each instrument's definition last changed (InstrumentUpdated tsInit): orders placed by then may fill on the old grid. */
  private readonly gridChanges = new Map<InstrumentId, number>();
  readonly overfillPolicy: OverfillPolicy;
  /** The last N closed orders; one that falls out is dropped unless its id now names a newer order. */
  private closedOrders: FifoRing<Order>;
  /** Client order ids remembered for duplicate checks, far more than whole orders (an id is ~40 bytes). */
  private readonly knownIds = new Set<ClientOrderId>();
  private knownIdRing: FifoRing<ClientOrderId>;
  eventsApplied = 0;

  constructor(
    opts: EngineStateOptions = {},
    private readonly bus?: MessageBus<EngineTopics>,
  ) {
    this.overfillPolicy = opts.overfillPolicy ?? 'REJECT';
    this.closedOrders = new FifoRing(opts.retainClosedOrders ?? 10_000);
    this.knownIdRing = new FifoRing(Math.max(opts.retainClientOrderIds ?? 100_000, this.closedOrders.capacity));
    this.portfolio = new Portfolio({
      ...(opts.markPriceType ? { markPriceType: opts.markPriceType } : {}),
      ...(opts.retainClosedPositions ? { retainClosedPositions: opts.retainClosedPositions } : {}),
    });
  }

  /** The options that shape the fold (retention capacities as in effect). */
  get snapshotOptions(): SnapshotOptions {
    return {
      overfillPolicy: this.overfillPolicy,
      retainClosedOrders: this.closedOrders.capacity,
      retainClientOrderIds: this.knownIdRing.capacity,
      retainClosedPositions: this.portfolio.retainClosedPositions,
      markPriceType: this.portfolio.markPriceType,
    };
  }

  /** Everything the fold holds, taken at journal sequence number `seq` (the caller's word for it). */
  toSnapshot(seq: number): EngineSnapshot {
    const index = new Map<Order, number>();
    const orders: { order: ReturnType<Order['toSnapshot']>; inMap: boolean }[] = [];
    for (const o of this.orders.values()) {
      index.set(o, orders.length);
      orders.push({ order: o.toSnapshot(), inMap: true });
    }
    const closedOrders = this.closedOrders.toSnapshot().map((o) => {
      let i = index.get(o);
      if (i === undefined) {
        index.set(o, (i = orders.length));
        orders.push({ order: o.toSnapshot(), inMap: false });
      }
      return i;
    });
    const instruments: InstrumentSpec[] = [];
    for (const i of this.instruments.values()) instruments.push(i.spec);
    return {
      seq,
      options: this.snapshotOptions,
      eventsApplied: this.eventsApplied,
      instruments,
      orders,
      openOrders: [...this.openOrders.keys()],
      closedOrders,
      knownIds: [...this.knownIds],
      knownIdRing: this.knownIdRing.toSnapshot(),
      portfolio: this.portfolio.toSnapshot(),
      risk: this.risk.toSnapshot(),
      emulation: this.emulation.toSnapshot(),
      algos: this.algos.toSnapshot(),
      strategyState: this.strategies.toSnapshot(),
      markets: this.markets.toSnapshot(),
      gridChanges: [...this.gridChanges],
    };
  }

  /**
   * Loads a snapshot into this state, which must be new and built with the snapshot's options.
   * Throws a RangeError or TypeError on an inconsistent snapshot (the caller makes that corrupt).
   */
  restore(s: EngineSnapshot): void {
    if (this.eventsApplied !== 0 || this.instruments.size > 0) throw new RangeError('a snapshot loads into a new state only');
    const mine = this.snapshotOptions;
    for (const k of Object.keys(mine) as (keyof SnapshotOptions)[]) {
      if (mine[k] !== s.options[k]) throw new RangeError(`snapshot taken with ${k} ${String(s.options[k])}, this state has ${String(mine[k])}`);
    }
    for (const spec of s.instruments) {
      const inst = new Instrument(spec);
      if (this.instruments.has(inst.id)) throw new RangeError(`snapshot repeats instrument ${inst.id}`);
      this.instruments.set(inst.id, inst);
    }
    const named = new Set<string>();
    for (const { order } of s.orders) if (order.spec.positionId !== undefined) named.add(order.spec.positionId);
    this.portfolio.restore(upgradeSnapshotPositionIds(s.portfolio, named), (id) => this.instrument(id));
    const all: Order[] = [];
    for (const { order, inMap } of s.orders) {
      const o = Order.fromSnapshot(order);
      this.instrument(o.instrumentId);
      this.portfolio.account(o.spec.accountId);
      all.push(o);
      if (!inMap) continue;
      if (this.orders.has(o.clientOrderId)) throw new RangeError(`snapshot repeats order ${o.clientOrderId}`);
      this.orders.set(o.clientOrderId, o);
    }
    for (const id of s.openOrders) {
      const o = this.orders.get(id);
      if (!o || o.isClosed || this.openOrders.has(id)) throw new RangeError(`open order ${id} is not an open order of the snapshot`);
      this.openOrders.set(id, o);
    }
    this.closedOrders = FifoRing.fromSnapshot(
      this.closedOrders.capacity,
      s.closedOrders.map((i) => {
        const o = all[i];
        if (!o?.isClosed) throw new RangeError(`closed-order ring entry ${i} is not a closed order of the snapshot`);
        return o;
      }),
    );
    for (const id of s.knownIds) this.knownIds.add(id);
    this.knownIdRing = FifoRing.fromSnapshot(this.knownIdRing.capacity, s.knownIdRing);
    this.risk.restore(s.risk);
    this.emulation.restore(s.emulation);
    this.algos.restore(s.algos);
    this.strategies.restore(s.strategyState);
    this.markets.restore(s.markets);
    for (const [id, at] of s.gridChanges) {
      this.instrument(id);
      this.gridChanges.set(id, at);
    }
    this.eventsApplied = s.eventsApplied;
  }

  instrument(id: InstrumentId): Instrument {
    const i = this.instruments.get(id);
    if (!i) throw new LookupError('UNKNOWN_INSTRUMENT', `unknown instrument ${id}`, { instrumentId: id });
    return i;
  }

  /**
   * A venue's new definition of a registered instrument (FAULTS 35): new orders are checked
   * against it from now on; working orders stay as placed (their reports: markets/order-grid.ts,
   * hence the time of the change is kept).
   * Positions and the gate's figures are exact integers at the instrument's precision, so it
   * must not change (Engine.updateInstrument normalizes and refuses before journaling).
   */
  private replaceInstrument(next: Instrument, at: number): void {
    const old = this.instrument(next.id);
    if (next.pricePrecision !== old.pricePrecision || next.sizePrecision !== old.sizePrecision) {
      throw new ValidationError('INVALID_INSTRUMENT', `${next.id}: an update cannot change the grid precision (${old.pricePrecision}/${old.sizePrecision} to ${next.pricePrecision}/${next.sizePrecision})`, {
        instrument: next.id,
      });
    }
    // Map.set on a present key keeps its place: snapshots list instruments in registration order.
    this.instruments.set(next.id, next);
    this.gridChanges.set(next.id, at);
  }

  /** When the venue last changed the instrument's definition (epoch ms), if it ever did. */
  gridChangedAt(id: InstrumentId): number | undefined {
    return this.gridChanges.size === 0 ? undefined : this.gridChanges.get(id);
  }

  /** Whether a submit with this id must be refused: open, recently closed, or within the id memory. */
  isKnownClientOrderId(id: ClientOrderId): boolean {
    return this.orders.has(id) || this.knownIds.has(id);
  }

  order(id: ClientOrderId): Order {
    const o = this.orders.get(id);
    if (!o) throw new LookupError('UNKNOWN_ORDER', `unknown order ${id}`, { clientOrderId: id });
    return o;
  }

  /**
   * The event as this fold books it: a fill or bust journaled before position ids carried the
   * account gets its order's current position id (legacy-positions.ts); anything else is itself.
   * A replay hands this, not the stored event, to whatever watches the fold.
   */
  current(event: EngineEvent): EngineEvent {
    if (event.kind !== 'OrderFilled' && event.kind !== 'OrderFillBusted') return event;
    const order = this.orders.get(event.clientOrderId);
    return order ? upgradeTradePositionId(event, order, this.portfolio) : event;
  }

  /** Applies one event, or throws a typed error having changed nothing. */
  apply(event: EngineEvent): 'APPLIED' | 'DUPLICATE_FILL' {
    switch (event.kind) {
      case 'InstrumentRegistered': {
        const inst = new Instrument(event.spec);
        if (this.instruments.has(inst.id)) {
          throw new LookupError('DUPLICATE_REGISTRATION', `instrument ${inst.id} is already registered`, { instrumentId: inst.id });
        }
        this.instruments.set(inst.id, inst);
        break;
      }
      case 'InstrumentUpdated':
        this.replaceInstrument(new Instrument(event.spec), event.tsInit);
        break;
      case 'MarketStatusChanged':
        this.markets.apply(event);
        break;
      case 'AccountOpened':
        this.portfolio.openAccount(event.accountId, event.accountType, event.positionMode, event.balances);
        this.publishAccount(event.accountId, event.tsInit);
        break;
      case 'BalanceAdjusted':
        this.portfolio.account(event.accountId).adjust(event.amount);
        this.publishAccount(event.accountId, event.tsInit);
        break;
      case 'TradingStateChanged':
      case 'BreakerTripped':
      case 'BreakerReset':
      case 'KillSwitchEngaged':
      case 'KillSwitchReset':
        this.risk.apply(event);
        break;
      case 'EmulatedOrderHeld':
      case 'EmulatedOrderMoved':
      case 'EmulatedOrderResized':
      case 'EmulatedOrderReleased':
      case 'EmulatedOrderCanceled':
      case 'ContingencyRegistered':
      case 'ContingencyCompleted':
        this.emulation.apply(event);
        break;
      case 'AlgoStarted':
      case 'AlgoSliceSent':
      case 'AlgoChildCancelRequested':
      case 'AlgoResumed':
      case 'AlgoEnded':
        this.algos.apply(event);
        break;
      case 'StrategyStateSet':
        this.strategies.apply(event);
        break;
      case 'AuditRecorded':
        // Kept in the journal only: nothing the engine decides depends on who did what.
        break;
      case 'AdvisorConsulted':
      case 'AdvisorProposed':
      case 'AdvisorProposalRejected':
        // Kept in the journal only: advice never decides anything in the engine (FAULTS 36); the
        // advisor's proposal book folds the proposals.
        break;
      default:
        return this.applyOrderEvent(event);
    }
    this.eventsApplied++;
    return 'APPLIED';
  }

  private applyOrderEvent(event: OrderEvent): 'APPLIED' | 'DUPLICATE_FILL' {
    let order: Order;
    if (event.kind === 'OrderInitialized') {
      const id = event.spec.clientOrderId;
      // The command layer refuses ids it still remembers (isKnownClientOrderId). An id it had
      // forgotten may come back; a replay with a longer memory then finds the old order closed
      // and lets the new one take the id, so any retention replays what any retention wrote.
      const old = this.orders.get(id);
      if (old && !old.isClosed) throw new LookupError('DUPLICATE_CLIENT_ORDER_ID', `client order id ${id} is already in use`, { clientOrderId: id });
      this.instrument(event.spec.instrumentId);
      this.portfolio.account(event.spec.accountId);
      order = new Order(event.spec, event.tsInit);
      if (!old) {
        this.knownIds.add(id);
        const forgotten = this.knownIdRing.push(id);
        if (forgotten !== undefined) this.knownIds.delete(forgotten);
      }
      this.orders.set(id, order);
      this.openOrders.set(id, order);
      order.eventCount = 1;
      this.eventsApplied++;
      this.bus?.publish('order', event);
      return 'APPLIED';
    }
    order = this.order(event.clientOrderId);
    const instrument = this.instrument(order.instrumentId);
    if (event.kind === 'OrderFilled' || event.kind === 'OrderFillBusted') event = upgradeTradePositionId(event, order, this.portfolio);
    if (event.kind === 'OrderFilled') {
      if (order.hasTrade(event.tradeId)) return 'DUPLICATE_FILL';
      this.checkFillTarget(event);
    }
    if (event.kind === 'OrderFillBusted') this.checkFillTarget(event);
    if (order.apply(event, this.overfillPolicy) === 'DUPLICATE_FILL') return 'DUPLICATE_FILL';
    this.eventsApplied++;
    const booked = event.kind === 'OrderFilled' ? event : event.kind === 'OrderFillBusted' ? reversalOf(event) : undefined;
    if (booked) {
      const { position, change } = this.portfolio.applyFill(booked, instrument);
      if (this.bus?.has('position')) {
        const kind: PositionEvent['kind'] = change.flipped
          ? 'PositionFlipped'
          : change.closed
            ? 'PositionClosed'
            : change.opened
              ? 'PositionOpened'
              : 'PositionChanged';
        this.bus.publish('position', {
          kind,
          positionId: position.id,
          accountId: position.accountId,
          strategyId: position.strategyId,
          instrumentId: position.instrumentId,
          side: position.side,
          quantity: position.quantity.toString(),
          avgEntryPx: position.avgEntryPx,
          realizedPnl: position.realizedPnl,
          ts: event.tsInit,
        });
      }
    }
    if (LOCK_CHANGING.has(event.kind) || order.isClosed) this.portfolio.updateLock(order, instrument);
    if (booked) this.publishAccount(order.spec.accountId, event.tsInit);
    if (order.isClosed && this.openOrders.delete(order.clientOrderId)) this.retire(order);
    this.bus?.publish('order', event);
    return 'APPLIED';
  }

  /** A fill (or a bust) must land on a position of the same account and instrument. */
  private checkFillTarget(fill: OrderFilled | OrderFillBusted): void {
    const p = this.portfolio.position(fill.positionId);
    if (p && (p.instrumentId !== fill.instrumentId || p.accountId !== fill.accountId)) {
      throw new StateError('FILL_MISMATCH', `fill ${fill.tradeId} names position ${fill.positionId} of another instrument or account`, {
        tradeId: fill.tradeId,
        positionId: fill.positionId,
      });
    }
  }

  private retire(order: Order): void {
    const out = this.closedOrders.push(order);
    if (out && this.orders.get(out.clientOrderId) === out) this.orders.delete(out.clientOrderId);
  }

  private publishAccount(accountId: Order['spec']['accountId'], ts: number): void {
    if (!this.bus?.has('account')) return;
    this.bus.publish('account', { kind: 'AccountStateChanged', accountId, balances: this.portfolio.account(accountId).balances(), ts });
  }
}
