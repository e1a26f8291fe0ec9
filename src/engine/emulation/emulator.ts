import { LookupError, ValidationError, type ErrorContext } from '../../model/errors.ts';
import type { NumericInput } from '../../model/decimal.ts';
import { instrumentId as instrumentIdOf, type VenueId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { Bar } from '../../model/bar.ts';
import { createOrderSpec, type OrderRequest } from '../../model/orders/factory.ts';
import type { OrderSide, OrderSpecOf, TrailingOffsetType } from '../../model/orders/types.ts';
import type { Price, Quantity } from '../../model/values.ts';
import type { CommandResult, Engine } from '../engine.ts';
import type { MarketUpdate } from '../topics.ts';
import type { VenueCapabilities } from '../venue.ts';
import { ContingencyManager, type BracketRequest, type ContingentAction, type OtoRequest } from './contingent.ts';
import { initialTrailing, limitFrom, trailingTrigger, type TrailingState } from './trailing.ts';

/** A trailing stop to hold engine-side. `limitOffset` makes it a trailing-stop-limit (same unit as the trailing offset). */
export interface TrailingStopRequest {
  readonly clientOrderId: string;
  readonly accountId: string;
  readonly strategyId?: string;
  readonly instrumentId: string;
  readonly side: OrderSide;
  readonly quantity: NumericInput | Quantity;
  readonly trailingOffset: NumericInput;
  readonly trailingOffsetType: TrailingOffsetType;
  readonly activationPrice?: NumericInput | Price;
  readonly limitOffset?: NumericInput;
  readonly reduceOnly?: boolean;
  readonly tags?: string[];
  /**
   * The price to trail from at once (e.g. the entry). Default: the engine's latest last price for
   * the instrument, if any; otherwise the stop starts with the first price seen.
   */
  readonly referencePrice?: NumericInput | Price;
}

export type EmulatedStatus = 'HELD' | 'RELEASED' | 'CANCELED';

export interface EmulatedTrailingStop {
  readonly clientOrderId: string;
  readonly spec: OrderSpecOf<'TRAILING_STOP_MARKET'> | OrderSpecOf<'TRAILING_STOP_LIMIT'>;
  readonly status: EmulatedStatus;
  readonly state: TrailingState;
  /** The order released when it fired (MARKET or LIMIT, same client order id). */
  readonly released: OrderRequest | undefined;
}

export interface OrderEmulatorOptions {
  /** What each venue supports natively; an instrument on a venue not listed is emulated. */
  readonly capabilities?: readonly { readonly id: string; readonly capabilities: VenueCapabilities }[];
  /** The order a bar's prices are assumed to trade in; as the simulated exchange's default. */
  readonly intrabar?: 'NEAREST_EXTREME_FIRST' | 'HIGH_FIRST' | 'LOW_FIRST';
}

/** Tag on every order the emulator releases. */
export const EMULATED_TAG = 'emulated';

interface Held {
  readonly clientOrderId: string;
  readonly instrument: Instrument;
  readonly spec: EmulatedTrailingStop['spec'];
  readonly request: TrailingStopRequest;
  status: EmulatedStatus;
  state: TrailingState;
  released: OrderRequest | undefined;
}

/**
 * The thin layer that holds orders a venue lacks (here: trailing stops) engine-side and acts on
 * the pure decisions of trailing.ts. It watches the engine bus:
 * - 'market': the last price (bid/ask-only updates are ignored: triggers are on LAST for now);
 * - 'bar': the bar's path, open → the extreme nearer the open → the other extreme → close (the
 *   simulated exchange's default path), so a bar that went up to 120 then down to 113 ratchets at
 *   120 before it tests the stop at 113. A bar is given to the engine once finished (after the
 *   venue has walked it, as the backtest runner does), so an order released on a bar goes out at
 *   its close and fills at the next price the venue sees (the next bar's open): no look-ahead.
 * Engine.updateBar also publishes its close on 'market'; a 'market' update is therefore looked at
 * a microtask later, and dropped when the 'bar' it came from follows (same instrument, time and price).
 *
 * When a stop fires, a MARKET (trailing-stop-market) or LIMIT (trailing-stop-limit) order with the
 * same client order id goes through engine.submitOrder, so it passes the pre-trade gate again.
 * Held orders live in memory only: they are not journaled (see the remaining work).
 *
 * Contingent orders (bracket, OCO, OTO) are decided by a ContingencyManager (contingent.ts) on
 * every 'order' event, synchronously and in event order; its actions (submit, submit a list,
 * cancel, alert) are carried out afterwards, one at a time, through engine commands. They never
 * run inside the engine's own event handling: an OCO whose two legs fill in one bar therefore has
 * both fills before the cancel can arrive, and the manager's correction handles it.
 */
export class OrderEmulator {
  private readonly held = new Map<string, Held>();
  private readonly caps = new Map<string, VenueCapabilities>();
  private readonly pending = new Map<string, MarketUpdate>();
  private flushScheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private started = false;
  private readonly unsubscribe: (() => void)[] = [];
  /** Contingent orders (bracket, OCO, OTO): decided there, carried out here. */
  readonly contingencies = new ContingencyManager();

  constructor(
    private readonly engine: Engine,
    private readonly opts: OrderEmulatorOptions = {},
  ) {
    for (const v of opts.capabilities ?? []) this.caps.set(v.id, v.capabilities);
  }

  /** Starts watching the bus. Call once, before prices flow. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const bus = this.engine.bus;
    this.unsubscribe.push(
      bus.subscribe('market', (u) => this.onMarket(u)),
      bus.subscribe('bar', (b) => this.onBar(b)),
      // Decided at once, in event order; carried out after (never re-entering the engine mid-event).
      bus.subscribe('order', (e) => this.perform(this.contingencies.onEvent(e))),
    );
  }

  /** Stops watching the bus; held orders stay held. */
  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.started = false;
  }

  /** Resolves when every price seen so far has been looked at and every release carried out. */
  async idle(): Promise<void> {
    this.flush();
    let c: Promise<void>;
    do {
      c = this.chain;
      await c;
    } while (c !== this.chain);
  }

  /** Whether orders on the instrument's venue need a trailing stop emulated. */
  emulatesTrailing(instrumentId: string): boolean {
    const venue: VenueId = this.engine.instrument(instrumentId).venue;
    return !(this.caps.get(venue)?.trailingStops ?? false);
  }

  /**
   * Places a trailing stop: held here when the venue lacks trailing stops, else sent to the venue
   * as a TRAILING_STOP_* order. Validated exactly as the engine would (createOrderSpec).
   */
  async submitTrailingStop(req: TrailingStopRequest): Promise<EmulatedTrailingStop | CommandResult> {
    const instrument = this.engine.instrument(req.instrumentId);
    const order: OrderRequest = {
      clientOrderId: req.clientOrderId,
      accountId: req.accountId,
      ...(req.strategyId !== undefined ? { strategyId: req.strategyId } : {}),
      instrumentId: instrument.id,
      side: req.side,
      type: req.limitOffset === undefined ? 'TRAILING_STOP_MARKET' : 'TRAILING_STOP_LIMIT',
      quantity: req.quantity,
      trailingOffset: req.trailingOffset,
      trailingOffsetType: req.trailingOffsetType,
      ...(req.activationPrice !== undefined ? { activationPrice: req.activationPrice } : {}),
      ...(req.limitOffset !== undefined ? { limitOffset: req.limitOffset } : {}),
      ...(req.reduceOnly !== undefined ? { reduceOnly: req.reduceOnly } : {}),
      ...(req.tags !== undefined ? { tags: req.tags } : {}),
    };
    if (!this.emulatesTrailing(instrument.id)) return this.engine.submitOrder(order);
    const spec = createOrderSpec(order, instrument, this.engine.now());
    if (spec.type !== 'TRAILING_STOP_MARKET' && spec.type !== 'TRAILING_STOP_LIMIT') throw new Error('unreachable');
    if (this.held.has(spec.clientOrderId) || this.engine.order(spec.clientOrderId)) {
      throw new LookupError('DUPLICATE_CLIENT_ORDER_ID', `client order id ${spec.clientOrderId} is already in use`, { clientOrderId: spec.clientOrderId });
    }
    let state = initialTrailing({ side: spec.side, offset: spec.trailingOffset, tickSize: instrument.tickSize, activationPrice: spec.activationPrice });
    const ref = req.referencePrice !== undefined ? instrument.price(req.referencePrice, 'referencePrice') : this.engine.portfolio.quote(instrument.id)?.last;
    if (ref !== undefined) {
      const d = trailingTrigger(state, ref);
      if (d.trigger) throw new ValidationError('INVALID_FIELD', `reference price ${ref.toString()} is already through the stop`, { field: 'referencePrice' });
      state = d.state;
    }
    const h: Held = { clientOrderId: spec.clientOrderId, instrument, spec, request: req, status: 'HELD', state, released: undefined };
    this.held.set(h.clientOrderId, h);
    return view(h);
  }

  /** A bracket: the entry now; take-profit and stop-loss children (reduce-only, OCO) on its fills. */
  async submitBracket(req: BracketRequest): Promise<void> {
    await this.performNow(this.contingencies.bracket(req));
  }

  /** Two orders, one cancels the other: both now; a fill of one cancels the other. */
  async submitOco(a: OrderRequest, b: OrderRequest): Promise<void> {
    await this.performNow(this.contingencies.oco(a, b));
  }

  /** One triggers the other: the parent now, the child on its fill. */
  async submitOto(req: OtoRequest): Promise<void> {
    await this.performNow(this.contingencies.oto(req));
  }

  /** Cancels a held order (before it fired). Returns whether it was held. */
  cancel(clientOrderId: string): boolean {
    const h = this.held.get(clientOrderId);
    if (!h || h.status !== 'HELD') return false;
    h.status = 'CANCELED';
    return true;
  }

  get(clientOrderId: string): EmulatedTrailingStop | undefined {
    const h = this.held.get(clientOrderId);
    return h && view(h);
  }

  /** Orders still held. */
  heldOrders(): EmulatedTrailingStop[] {
    return [...this.held.values()].filter((h) => h.status === 'HELD').map(view);
  }

  // ---- prices in ----

  private onMarket(u: MarketUpdate): void {
    if (u.last === undefined || !this.hasHeld(u.instrumentId)) return;
    const before = this.pending.get(u.instrumentId);
    if (before) this.pricesFor(before.instrumentId, [before.last!]);
    this.pending.set(u.instrumentId, u);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private onBar(bar: Bar): void {
    const p = this.pending.get(bar.instrumentId);
    if (!this.hasHeld(bar.instrumentId)) {
      if (p) this.pending.delete(bar.instrumentId);
      return;
    }
    const inst = this.engine.instrument(bar.instrumentId);
    const [o, hi, lo, c] = [inst.price(bar.open), inst.price(bar.high), inst.price(bar.low), inst.price(bar.close)];
    if (p) {
      this.pending.delete(bar.instrumentId);
      // The bar's own close, published by updateBar just before: the path below replaces it.
      const own = p.ts === this.engine.now() && p.last!.eq(c);
      if (!own) this.pricesFor(bar.instrumentId, [p.last!]);
    }
    const mode = this.opts.intrabar ?? 'NEAREST_EXTREME_FIRST';
    const highFirst = mode === 'HIGH_FIRST' || (mode === 'NEAREST_EXTREME_FIRST' && hi.sub(o).cmp(o.sub(lo)) <= 0);
    const path = highFirst ? [o, hi, lo, c] : [o, lo, hi, c];
    this.pricesFor(bar.instrumentId, path.filter((x, i) => i === 0 || !x.eq(path[i - 1]!)));
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.size === 0) return;
    const ups = [...this.pending.values()];
    this.pending.clear();
    for (const u of ups) this.pricesFor(u.instrumentId, [u.last!]);
  }

  private hasHeld(instrumentId: string): boolean {
    for (const h of this.held.values()) if (h.status === 'HELD' && h.instrument.id === instrumentId) return true;
    return false;
  }

  /** Feeds prices in order to each held stop on the instrument; fired stops are released. */
  private pricesFor(instrumentId: string, prices: readonly Price[]): void {
    const id = instrumentIdOf(instrumentId);
    for (const h of this.held.values()) {
      if (h.status !== 'HELD' || h.instrument.id !== id) continue;
      for (const px of prices) {
        const d = trailingTrigger(h.state, px);
        h.state = d.state;
        if (d.trigger === 'FIRE') {
          this.release(h);
          break;
        }
      }
    }
  }

  // ---- acting ----

  private release(h: Held): void {
    const s = h.spec;
    const stop = h.state.stop!;
    const order: OrderRequest = {
      clientOrderId: h.clientOrderId,
      accountId: s.accountId,
      strategyId: s.strategyId,
      instrumentId: s.instrumentId,
      side: s.side,
      quantity: s.quantity,
      ...(s.type === 'TRAILING_STOP_LIMIT'
        ? { type: 'LIMIT', price: limitFrom(stop, s.limitOffset, s.side, h.instrument.tickSize) }
        : { type: 'MARKET' }),
      reduceOnly: s.reduceOnly,
      tags: [...s.tags, EMULATED_TAG, `${EMULATED_TAG}:${s.type}`, `stop:${stop.toString()}`],
    };
    h.status = 'RELEASED';
    h.released = order;
    this.enqueue(async () => {
      const r = await this.engine.submitOrder(order);
      for (const d of r.denied) this.alert('EMULATED_RELEASE_DENIED', `released ${s.type} ${d.clientOrderId} denied: ${d.code} ${d.reason}`, { clientOrderId: d.clientOrderId, code: d.code });
    });
  }

  /** Carries out contingent actions in order, through engine commands, after what is already queued. */
  private perform(actions: readonly ContingentAction[]): void {
    for (const a of actions) this.enqueue(() => this.act(a));
  }

  /** The caller's own orders (entry, OCO legs, OTO parent): bad input reaches the caller. */
  private async performNow(actions: readonly ContingentAction[]): Promise<void> {
    await this.idle();
    for (const a of actions) await this.act(a);
    await this.idle();
  }

  private async act(a: ContingentAction): Promise<void> {
    switch (a.do) {
      case 'submit':
        this.denied(await this.engine.submitOrder(a.order));
        return;
      case 'submitList':
        this.denied(await this.engine.execute({ kind: 'SubmitOrderList', orderListId: a.orderListId, orders: a.orders }));
        return;
      case 'cancel':
        // Done by now (filled in the same bar): nothing to cancel; a late fill is corrected instead.
        if (!this.engine.order(a.clientOrderId)?.isOpen) return;
        await this.engine.cancelOrder(a.clientOrderId);
        return;
      case 'alert':
        this.alert(a.code, a.message, a.context);
        return;
    }
  }

  private denied(r: CommandResult): void {
    for (const d of r.denied) this.alert('CONTINGENT_ORDER_DENIED', `contingent order ${d.clientOrderId} denied: ${d.code} ${d.reason}`, { clientOrderId: d.clientOrderId, code: d.code });
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain
      .then(step)
      .catch((e: unknown) => this.alert('EMULATOR_ACTION_FAILED', `emulator action failed: ${(e as Error).message}`, {}));
  }

  private alert(code: string, message: string, context: ErrorContext): void {
    this.engine.bus.publish('alert', { code, message, context, ts: this.engine.now() });
  }
}

function view(h: Held): EmulatedTrailingStop {
  return { clientOrderId: h.clientOrderId, spec: h.spec, status: h.status, state: h.state, released: h.released };
}
