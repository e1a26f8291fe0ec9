import type { Clock } from '../../../engine/clock.ts';
import type { CancelRequest, ModifyRequest, SubmitRequest, Venue, VenueCapabilities, VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../../engine/venue.ts';
import type { Bar } from '../../../data/bar.ts';
import { venueId, type ClientOrderId, type InstrumentId, type TradeId, type VenueId, type VenueOrderId } from '../../../model/identifiers.ts';
import type { Instrument } from '../../../model/instrument.ts';
import { expiryTimeOf, type LiquiditySide, type OrderSide } from '../../../model/orders/types.ts';
import { Price, Quantity } from '../../../model/values.ts';
import type { BookFill, StpMode } from '../book/index.ts';
import { ActionQueue } from './action-queue.ts';
import { newMarket, type Market } from './market.ts';
import { visitsHighFirst, type IntrabarPath } from '../../../model/intrabar.ts';
import { plainLotsTruncated, plainUnits } from '../../../model/plain-decimal.ts';
import { walkDepth } from './depth.ts';
import { isTriggered } from './triggers.ts';
import { FILL_AT_TOUCH, INSTRUMENT_FEES, NO_LATENCY, NO_SLIPPAGE, type ExchangeFees, type ExchangeLatency, type ExchangeLimitFill, type ExchangeSlippage } from './ports.ts';
import { fromLots, fromTicks, liquidityLots, toLots, toTicks, volumeLots, type SimOrder } from './sim-order.ts';
import { fillFlows, SimAccounts, termsOf } from './balances.ts';
import { checkEntry, checkModify } from './entry.ts';
import { reducibleLots } from './reduce-only.ts';

export interface SimulatedExchangeOptions {
  readonly id: string;
  readonly clock: Clock;
  readonly slippage?: ExchangeSlippage;
  readonly fees?: ExchangeFees;
  readonly latency?: ExchangeLatency;
  readonly limitFill?: ExchangeLimitFill;
  readonly intrabar?: IntrabarPath;
  /** Self-trade prevention between our own orders (by account). Default CANCEL_TAKER. */
  readonly stp?: StpMode;
  /** Cap on our fills per bar as a fraction of its volume (0..1); the rest of a market order waits for the next bar. Default: no cap. */
  readonly maxBarVolumeShare?: number;
  /**
   * false: the exchange declares no stop orders of its own (capabilities.stopOrders), so the
   * engine holds stops and if-touched orders (emulation) as on a venue that lacks them; it still
   * matches one if sent. Default true.
   */
  readonly nativeStops?: boolean;
  /**
   * The balances the exchange checks orders and fills against (CASH accounts opened on it); may
   * be shared by several exchanges trading one account. Default: a ledger of its own, with no
   * account open until `accounts.openCashAccount` is called (an account it was not told about is
   * not checked).
   */
  readonly accounts?: SimAccounts;
}

const MARKET_OWNER = '__market__';

/** A bar price in ticks: plain text on the grid directly, anything else through instrument.price (same value, or its error). */
function barTicks(text: string, instrument: Instrument, tickUnits: number): number {
  const units = plainUnits(text, instrument.pricePrecision);
  if (units !== undefined && units % tickUnits === 0) return units / tickUnits;
  return toTicks(instrument.price(text), instrument);
}

/** Read through a function so TypeScript does not keep a narrowing across calls that change it. */
const isDone = (o: SimOrder): boolean => o.state === 'DONE';

/**
 * A simulated venue: our orders rest in a price-time-priority book (one per instrument), and
 * market data — bars, trades or quotes — supplies the other side. Historical data is never
 * altered by our fills: a bar's volume only caps how much of it we may take.
 *
 * Bars are walked along a path (see src/model/intrabar.ts). At each point a resting buy limit at or above
 * the point fills (exactly at the point only if the limit-fill model says a touch fills), at its
 * own price — or at the point itself on the first point after it began working (an order already
 * marketable, or a gap through it, takes the better price as a taker). Stops trigger when a point
 * reaches them and fill at that point, so a gap fills at the open, not at the stop. Market orders
 * wait for the next data point: sent at a bar's close, they fill at the next bar's open, plus
 * slippage.
 *
 * (Longer than our usual file: it is the one place where order entry, market data and the book
 * meet. Pure pieces live beside it: intrabar path, triggers, depth walking, action queue, ports.)
 */
export class SimulatedExchange implements Venue {
  readonly id: VenueId;
  readonly capabilities: VenueCapabilities;
  private sink: ((r: VenueReport) => void) | undefined;
  private readonly markets = new Map<InstrumentId, Market>();
  private readonly orders = new Map<ClientOrderId, SimOrder>();
  /** Orders with an expiry (DAY, GTD), in arrival order; pruned once done, so advance() does not walk every order ever seen. */
  private readonly expiring = new Set<SimOrder>();
  private readonly schedule = new ActionQueue();
  /** What the venue remembers for reconciliation: every fill, and net lots per account and instrument (bigint: a sum of many fills). */
  private readonly fillLog: Extract<VenueReport, { kind: 'OrderFilled' }>[] = [];
  private readonly netLots = new Map<string, bigint>();
  /** Working reduce-only orders, looked at when their account's position changes. */
  private readonly reduceOnly = new Set<SimOrder>();
  /** Balances of the CASH accounts the exchange was told about. */
  readonly accounts: SimAccounts;
  readonly queries: VenueQueries = {
    orderStatus: (id) => Promise.resolve(this.statusOf(this.orders.get(id))),
    openOrders: () => Promise.resolve(this.workingOrders().map((o) => this.statusOf(o)!)),
    fillsSince: (ts) => Promise.resolve(this.fillLog.filter((f) => f.ts >= ts)),
    positions: () => Promise.resolve(this.positions()),
  };
  private nextOrder = 0;
  private nextTrade = 0;
  private nextSynthetic = 0;
  private readonly slippage: ExchangeSlippage;
  private readonly fees: ExchangeFees;
  private readonly latency: ExchangeLatency;
  private readonly limitFill: ExchangeLimitFill;

  constructor(private readonly opts: SimulatedExchangeOptions) {
    this.id = venueId(opts.id);
    this.capabilities = { stopOrders: opts.nativeStops ?? true, trailingStops: false, postOnly: true, iceberg: true, orderLists: [], modify: true };
    this.slippage = opts.slippage ?? NO_SLIPPAGE;
    this.fees = opts.fees ?? INSTRUMENT_FEES;
    this.latency = opts.latency ?? NO_LATENCY;
    this.limitFill = opts.limitFill ?? FILL_AT_TOUCH;
    this.accounts = opts.accounts ?? new SimAccounts();
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
  }

  /** Registers an instrument the exchange lists (also done on first order). */
  list(instrument: Instrument): void {
    this.market(instrument);
  }

  /**
   * Tells a fresh exchange of a position an account already holds (signed, in lots; listed
   * instrument). An in-process venue dies with its process: a paper node restarted from its
   * journal rebuilds it with what the journal says the account holds, as a real venue would still hold it.
   */
  restorePosition(accountId: string, instrument: Instrument, signedLots: bigint): void {
    this.market(instrument);
    const key = `${accountId} ${instrument.id}`;
    if (signedLots === 0n) this.netLots.delete(key);
    else this.netLots.set(key, signedLots);
  }

  // ---- order entry (after latency) ----

  submit(req: SubmitRequest): void {
    this.later(this.latency.submitMs(), () => this.accept(req));
  }

  modify(req: ModifyRequest): void {
    this.later(this.latency.modifyMs(), () => this.applyModify(req));
  }

  cancel(req: CancelRequest): void {
    this.later(this.latency.cancelMs(), () => this.applyCancel(req.clientOrderId));
  }

  /** Runs whatever is due by now (latency, expiry). Market data calls it first; a paper loop calls it on a timer. */
  advance(): void {
    const now = this.opts.clock.now();
    this.schedule.runDue(now);
    if (this.expiring.size === 0) return;
    for (const o of this.expiring) {
      if (o.state === 'DONE') this.expiring.delete(o);
      else if (o.expireAt !== undefined && o.expireAt <= now) this.expire(o);
    }
  }

  // ---- market data ----

  onBar(bar: Bar, instrument: Instrument): void {
    this.advance();
    const m = this.market(instrument);
    m.depthBids = m.depthAsks = undefined;
    // Each price parsed once, without allocating: the exact parser only for text off the fast path.
    const same = m.instrument === instrument;
    const o = barTicks(bar.open, instrument, same ? m.tickUnits : Number(instrument.tickSize.raw));
    const h = barTicks(bar.high, instrument, same ? m.tickUnits : Number(instrument.tickSize.raw));
    const l = barTicks(bar.low, instrument, same ? m.tickUnits : Number(instrument.tickSize.raw));
    const c = barTicks(bar.close, instrument, same ? m.tickUnits : Number(instrument.tickSize.raw));
    const vol = plainLotsTruncated(bar.volume, instrument.sizePrecision, same ? m.lotUnits : Number(instrument.lotSize.raw)) ?? volumeLots(bar.volume, instrument);
    m.barVolume = vol;
    m.budget = this.opts.maxBarVolumeShare === undefined ? Infinity : Math.floor(vol * this.opts.maxBarVolumeShare);
    // The path of barPath (src/model/intrabar.ts), walked in place: open, first extreme, second extreme,
    // close, each skipped when it repeats the point before it.
    const highFirst = visitsHighFirst(o, h, l, this.opts.intrabar);
    const a = highFirst ? h : l;
    const b = highFirst ? l : h;
    this.point(m, o, true);
    if (a !== o) this.point(m, a, false);
    if (b !== a) this.point(m, b, false);
    if (c !== b) this.point(m, c, false);
    m.last = c;
  }

  onTrade(instrument: Instrument, price: Price, size: string): void {
    this.advance();
    const m = this.market(instrument);
    m.depthBids = m.depthAsks = undefined;
    m.budget = volumeLots(size, instrument);
    m.barVolume = m.budget;
    this.point(m, toTicks(price, instrument), false);
    m.last = toTicks(price, instrument);
  }

  /** Top of book: market orders take it; our resting orders fill when the other side reaches them. */
  onQuote(instrument: Instrument, bid: Price, ask: Price): void {
    this.advance();
    const m = this.market(instrument);
    m.depthBids = m.depthAsks = undefined;
    m.bid = toTicks(bid, instrument);
    m.ask = toTicks(ask, instrument);
    m.budget = Infinity;
    m.barVolume = undefined;
    this.cross(m, 'SELL', m.bid, false); // sellers of ours at or below the bid
    this.cross(m, 'BUY', m.ask, false); // buyers of ours at or above the ask
    this.fillWaitingMarket(m, undefined);
  }

  /**
   * L2 depth, best level first. Market orders walk it level by level (a fill per level), our
   * resting orders fill when the other side's best reaches them; what we take is gone from the
   * snapshot until the next update, and the data itself is never changed.
   */
  onDepth(instrument: Instrument, bids: readonly (readonly [Price, Quantity])[], asks: readonly (readonly [Price, Quantity])[]): void {
    this.advance();
    const m = this.market(instrument);
    m.depthBids = bids.map(([p, q]) => [toTicks(p, instrument), liquidityLots(q, instrument)]);
    m.depthAsks = asks.map(([p, q]) => [toTicks(p, instrument), liquidityLots(q, instrument)]);
    m.bid = m.depthBids[0]?.[0];
    m.ask = m.depthAsks[0]?.[0];
    m.budget = Infinity;
    m.barVolume = undefined;
    if (m.bid !== undefined) this.cross(m, 'SELL', m.bid, false);
    if (m.ask !== undefined) this.cross(m, 'BUY', m.ask, false);
    this.fillWaitingMarket(m, undefined);
  }

  /** Takes from the depth snapshot; false when there is none for this side. */
  private takeDepth(m: Market, o: SimOrder): boolean {
    const levels = o.spec.side === 'BUY' ? m.depthAsks : m.depthBids;
    if (!levels) return false;
    for (const [p, lots] of walkDepth(levels, o.spec.side, o.priceTicks, o.qtyLots - o.filledLots, o.spec.timeInForce === 'FOK')) this.fill(o, lots, fromTicks(p, o.instrument), 'TAKER');
    return true;
  }

  // ---- internals ----

  private market(instrument: Instrument): Market {
    let m = this.markets.get(instrument.id);
    if (!m) this.markets.set(instrument.id, (m = newMarket(instrument, this.opts.stp ?? 'CANCEL_TAKER')));
    return m;
  }

  /** Runs `run` after `delayMs`; at once when nothing else is waiting (no latency keeps order). */
  private later(delayMs: number, run: () => void): void {
    if (delayMs <= 0 && this.schedule.size === 0) {
      run();
      return;
    }
    this.schedule.add(this.opts.clock.now() + delayMs, run);
    if (delayMs <= 0) this.advance();
  }

  private emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    this.sink(r);
  }

  private accept(req: SubmitRequest): void {
    const { spec, instrument } = req;
    const m = this.market(instrument);
    const now = this.opts.clock.now();
    if (this.orders.has(spec.clientOrderId)) {
      this.emit({ kind: 'OrderRejected', clientOrderId: spec.clientOrderId, reason: 'DUPLICATE_CLIENT_ORDER_ID', ts: now });
      return;
    }
    if (spec.type === 'TRAILING_STOP_MARKET' || spec.type === 'TRAILING_STOP_LIMIT') {
      this.emit({ kind: 'OrderRejected', clientOrderId: spec.clientOrderId, reason: 'UNSUPPORTED_ORDER_TYPE: trailing stops are emulated by the engine', ts: now });
      return;
    }
    const reference = spec.side === 'BUY' ? (m.ask ?? m.last) : (m.bid ?? m.last);
    const entry = checkEntry(spec, instrument, { openLots: m.openLots, reference, net: this.netOf(spec.accountId, instrument.id), accounts: this.accounts });
    if (!entry.ok) {
      this.emit({ kind: 'OrderRejected', clientOrderId: spec.clientOrderId, reason: entry.reason, ts: now });
      return;
    }
    const price = entry.priceTicks;
    // A post-only that would cross the market is refused, as venues do.
    if (spec.postOnly && price !== undefined) {
      const against = spec.side === 'BUY' ? (m.ask ?? m.last) : (m.bid ?? m.last);
      if (against !== undefined && (spec.side === 'BUY' ? price >= against : price <= against)) {
        this.emit({ kind: 'OrderRejected', clientOrderId: spec.clientOrderId, reason: 'POST_ONLY_WOULD_CROSS', ts: now });
        return;
      }
    }
    const expireAt = expiryTimeOf(spec, now);
    const o: SimOrder = {
      id: spec.clientOrderId,
      venueOrderId: `${this.id}-${++this.nextOrder}` as VenueOrderId,
      spec,
      instrument,
      state: 'WAITING_MARKET',
      qtyLots: entry.qtyLots,
      filledLots: 0,
      priceTicks: price,
      triggerTicks: entry.triggerTicks,
      expireAt,
      pointsSeen: 0,
      doneReason: undefined,
    };
    this.orders.set(o.id, o);
    m.openLots += o.qtyLots;
    this.hold(o);
    if (spec.reduceOnly) this.reduceOnly.add(o);
    if (expireAt !== undefined) this.expiring.add(o);
    this.emit({ kind: 'OrderAccepted', clientOrderId: o.id, venueOrderId: o.venueOrderId, ts: now });
    switch (spec.type) {
      case 'MARKET':
        m.waitingMarket.push(o);
        if (m.bid !== undefined && m.ask !== undefined) this.fillWaitingMarket(m, undefined);
        break;
      case 'LIMIT':
        // IOC and FOK limits take from the next price the market shows, capped at their limit;
        // they never rest.
        if (spec.timeInForce === 'IOC' || spec.timeInForce === 'FOK') {
          m.waitingMarket.push(o);
          if (m.bid !== undefined && m.ask !== undefined) this.fillWaitingMarket(m, undefined);
        } else this.rest(m, o);
        break;
      case 'STOP_MARKET':
      case 'STOP_LIMIT':
      case 'MARKET_IF_TOUCHED':
      case 'LIMIT_IF_TOUCHED':
        o.state = 'WAITING_TRIGGER';
        m.triggers.add(o);
        break;
    }
  }

  /** Puts a limit order on our book; it may trade with another of our orders (subject to STP). */
  private rest(m: Market, o: SimOrder): void {
    const s = o.spec;
    const r = m.book.submit({
      id: o.id,
      owner: s.accountId,
      side: s.side,
      type: 'LIMIT',
      price: o.priceTicks!,
      qty: o.qtyLots - o.filledLots,
      tif: s.timeInForce === 'IOC' || s.timeInForce === 'FOK' ? s.timeInForce : 'GTC',
      ...(s.postOnly ? { postOnly: true } : {}),
      ...(s.displayQuantity ? { displayQty: toLots(s.displayQuantity, o.instrument) } : {}),
    });
    o.state = 'RESTING';
    m.resting.add(o);
    this.bookFills(m, r.fills, undefined, 'TAKER');
    for (const id of r.canceledMakers ?? []) this.canceledByVenue(id);
    if ((r.outcome === 'REJECTED' || r.outcome === 'CANCELED') && !isDone(o)) {
      // Self-trade prevention canceled it, or the book refused it (a post-only crossing our own order).
      this.finish(o, 'CANCELED');
      this.emit({ kind: 'OrderCanceled', clientOrderId: o.id, ts: this.opts.clock.now() });
    }
  }

  private finishIocRemainder(o: SimOrder): void {
    if (o.state === 'DONE') return;
    if (o.filledLots < o.qtyLots) {
      this.finish(o, 'CANCELED');
      this.emit({ kind: 'OrderCanceled', clientOrderId: o.id, ts: this.opts.clock.now() });
    }
  }

  /** One traded price: triggers first, then waiting market orders, then our resting limits. */
  private point(m: Market, p: number, opening: boolean): void {
    if (m.triggers.size > 0) this.triggerAt(m, p);
    this.fillWaitingMarket(m, p);
    // The market at p meets our buys at or above p and our sells at or below p.
    this.cross(m, 'SELL', p, opening);
    this.cross(m, 'BUY', p, opening);
    if (m.resting.size === 0) return;
    const id = m.instrument.id;
    for (const o of m.resting) {
      if (o.state !== 'RESTING') m.resting.delete(o); // RESTING only ever becomes DONE
      else if (o.spec.instrumentId === id) o.pointsSeen++;
    }
  }

  /** Stops and if-touched orders that a trade at `p` sets off. */
  private triggerAt(m: Market, p: number): void {
    for (const o of [...m.triggers]) {
      if (!isTriggered(o.spec, o.triggerTicks!, p)) continue;
      m.triggers.delete(o);
      if (o.spec.reduceOnly && this.reducible(o) === 0n) {
        this.expire(o); // Binance: a triggered reduce-only stop with no position to reduce expires
        continue;
      }
      this.emit({ kind: 'OrderTriggered', clientOrderId: o.id, ts: this.opts.clock.now() });
      if (o.spec.type === 'STOP_MARKET' || o.spec.type === 'MARKET_IF_TOUCHED') {
        o.state = 'WAITING_MARKET';
        m.waitingMarket.push(o);
      } else {
        this.rest(m, o);
      }
    }
  }

  /**
   * The market as a counterparty of `side` at `p`: a synthetic immediate-or-cancel order on our
   * book, sized by what the bar's volume still allows. A touch (our price exactly p) fills only
   * if the limit-fill model says so.
   */
  private cross(m: Market, side: OrderSide, p: number, opening: boolean): void {
    if (m.book.size === 0 || m.budget <= 0) return;
    const through = side === 'SELL' ? p + 1 : p - 1; // strictly better than p for the resting order
    this.syntheticTake(m, side, through, opening ? p : undefined);
    if (m.budget > 0 && this.limitFill.fillsAtTouch()) this.syntheticTake(m, side, p, opening ? p : undefined);
  }

  private syntheticTake(m: Market, side: OrderSide, price: number, atPrice: number | undefined): void {
    if (price <= 0) return;
    const qty = Number.isFinite(m.budget) ? m.budget : Number.MAX_SAFE_INTEGER;
    const r = m.book.submit({ id: `${MARKET_OWNER}${++this.nextSynthetic}`, owner: MARKET_OWNER, side, type: 'LIMIT', price, qty, tif: 'IOC' });
    this.bookFills(m, r.fills, atPrice, 'MAKER');
  }

  /** Applies book fills to our orders. `atPrice`: the price a first-point (gap or marketable) fill takes. */
  private bookFills(m: Market, fills: readonly BookFill[], atPrice: number | undefined, takerLiquidity: LiquiditySide): void {
    for (const f of fills) {
      if (Number.isFinite(m.budget)) m.budget -= f.qty;
      const maker = this.orders.get(f.makerId as ClientOrderId);
      const taker = this.orders.get(f.takerId as ClientOrderId);
      if (maker) {
        // At a bar's opening point the market may have gapped through our price: we get the open.
        const px = atPrice === undefined ? f.price : maker.spec.side === 'BUY' ? Math.min(atPrice, f.price) : Math.max(atPrice, f.price);
        // An order that was already marketable when it started working takes liquidity.
        this.fill(maker, f.qty, fromTicks(px, maker.instrument), maker.pointsSeen === 0 && atPrice !== undefined ? 'TAKER' : 'MAKER');
      }
      if (taker) this.fill(taker, f.qty, fromTicks(f.price, taker.instrument), takerLiquidity);
    }
  }

  /** Market orders waiting for a price: at `p` (a bar point or trade) or at the quotes. */
  private fillWaitingMarket(m: Market, p: number | undefined): void {
    if (m.waitingMarket.length === 0) return;
    const waiting = m.waitingMarket.splice(0);
    for (const o of waiting) {
      if (p === undefined && (o.spec.side === 'BUY' ? m.depthAsks : m.depthBids) && this.takeDepth(m, o)) {
        if (!isDone(o)) {
          if (o.spec.timeInForce === 'IOC' || o.spec.timeInForce === 'FOK') this.finishIocRemainder(o);
          else m.waitingMarket.push(o);
        }
        continue;
      }
      const ref = p ?? (o.spec.side === 'BUY' ? m.ask : m.bid);
      if (ref === undefined || o.state === 'DONE') {
        if (o.state !== 'DONE') m.waitingMarket.push(o);
        continue;
      }
      const want = o.qtyLots - o.filledLots;
      const limit = o.priceTicks;
      const marketable = limit === undefined || (o.spec.side === 'BUY' ? ref <= limit : ref >= limit);
      const available = Number.isFinite(m.budget) ? m.budget : want;
      const lots = !marketable || (o.spec.timeInForce === 'FOK' && available < want) ? 0 : Math.min(want, available);
      if (lots > 0) {
        const inst = m.instrument;
        const px = this.slippage.price(o.spec.side, fromLots(lots, inst), fromTicks(ref, inst), inst, m.barVolume === undefined ? undefined : fromLots(m.barVolume, inst));
        if (Number.isFinite(m.budget)) m.budget -= lots;
        this.fill(o, lots, limit === undefined ? px : notPast(px, fromTicks(limit, inst), o.spec.side), 'TAKER');
      }
      if (!isDone(o)) {
        if (o.spec.timeInForce === 'IOC' || o.spec.timeInForce === 'FOK') this.finishIocRemainder(o);
        else m.waitingMarket.push(o); // the rest waits for the next bar
      }
    }
  }

  /**
   * Books `lots` of a fill on our order at `px`, as the venue's matching allows: a reduce-only
   * order trades at most the position it reduces; a fill the account cannot pay for is refused
   * and the order expires (a CASH balance never goes below zero).
   */
  private fill(o: SimOrder, lots: number, px: Price, liquidity: LiquiditySide): void {
    if (o.state === 'DONE' || lots <= 0) return;
    if (o.spec.reduceOnly) {
      const room = this.reducible(o);
      if (room < BigInt(lots)) lots = Number(room); // the rest expires once the position is flat (sweepReduceOnly)
      if (lots === 0) return this.expire(o);
    }
    const inst = o.instrument;
    const qty = fromLots(lots, inst);
    const commission = this.fees.fee(o.spec.side, qty, px, liquidity, inst);
    const flows = fillFlows(o.spec.side, inst, qty, px, commission);
    const after = termsOf(o.spec.side, inst, o.qtyLots - o.filledLots - lots, this.holdPrice(o));
    if (this.accounts.fillRefusal(o.spec.accountId, o.id, flows, after) !== undefined) return this.expire(o);
    o.filledLots += lots;
    this.market(inst).openLots -= lots;
    if (o.filledLots >= o.qtyLots) this.finish(o, undefined);
    this.accounts.book(o.spec.accountId, o.id, flows, after);
    const report: Extract<VenueReport, { kind: 'OrderFilled' }> = {
      kind: 'OrderFilled',
      clientOrderId: o.id,
      venueOrderId: o.venueOrderId,
      tradeId: `${this.id}-T${++this.nextTrade}` as TradeId,
      lastQty: qty,
      lastPx: px,
      liquidity,
      commission,
      ts: this.opts.clock.now(),
    };
    this.fillLog.push(report);
    const key = `${o.spec.accountId} ${inst.id}`;
    this.netLots.set(key, (this.netLots.get(key) ?? 0n) + (o.spec.side === 'BUY' ? BigInt(lots) : -BigInt(lots)));
    this.emit(report);
    if (this.reduceOnly.size > 0) this.sweepReduceOnly(o.spec.accountId, inst.id);
  }

  /** The account's net position in lots (positive long). */
  private netOf(accountId: string, instrumentId: InstrumentId): bigint {
    return this.netLots.get(`${accountId} ${instrumentId}`) ?? 0n;
  }

  private reducible(o: SimOrder): bigint {
    return reducibleLots(o.spec.side, this.netOf(o.spec.accountId, o.instrument.id));
  }

  /** After the account's position changed: its reduce-only orders with nothing left to reduce expire, as on Binance futures. */
  private sweepReduceOnly(accountId: string, instrumentId: InstrumentId): void {
    for (const o of [...this.reduceOnly]) {
      if (o.state === 'DONE') this.reduceOnly.delete(o);
      else if (o.spec.accountId === accountId && o.instrument.id === instrumentId && this.reducible(o) === 0n) this.expire(o);
    }
  }

  /** The price an order's hold is valued at: its limit, else its trigger (a stop-market), else none (market). */
  private holdPrice(o: SimOrder): Price | undefined {
    const t = o.priceTicks ?? o.triggerTicks;
    return t === undefined ? undefined : fromTicks(t, o.instrument);
  }

  /** Sets what the order holds back of its account's balances from its open lots (nothing once done). */
  private hold(o: SimOrder): void {
    const open = o.state === 'DONE' ? 0 : o.qtyLots - o.filledLots;
    this.accounts.hold(o.spec.accountId, o.id, termsOf(o.spec.side, o.instrument, open, this.holdPrice(o)));
  }

  /** The order leaves the exchange: off the book and every queue, its open lots and its hold released. */
  private finish(o: SimOrder, reason: SimOrder['doneReason']): void {
    this.removeFromBook(o);
    this.market(o.instrument).openLots -= o.qtyLots - o.filledLots;
    o.state = 'DONE';
    o.doneReason = reason;
    this.hold(o);
    this.reduceOnly.delete(o);
  }

  /**
   * The venue busts a trade it reported (an erroneous trade, FAULTS 19): the fill is taken out of
   * the order, the position and the fill log, and a FillBusted report goes out with its terms. An
   * order done by that fill stays done (reported FILLED). Returns false for a trade id it never
   * made or has busted already.
   */
  bustTrade(tradeId: string, reason: string): boolean {
    const i = this.fillLog.findIndex((f) => f.tradeId === tradeId);
    const f = this.fillLog[i];
    const o = f && this.orders.get(f.clientOrderId);
    if (!f || !o) return false;
    this.fillLog.splice(i, 1);
    const inst = o.instrument;
    const qty = inst.quantity(f.lastQty);
    const lots = toLots(qty, inst);
    if (o.state === 'DONE' && o.filledLots >= o.qtyLots) o.doneReason = 'FILLED';
    else if (o.state !== 'DONE') this.market(inst).openLots += lots;
    o.filledLots -= lots;
    const key = `${o.spec.accountId} ${inst.id}`;
    this.netLots.set(key, (this.netLots.get(key) ?? 0n) - (o.spec.side === 'BUY' ? BigInt(lots) : -BigInt(lots)));
    // The money goes back as it came; a bust may leave a balance below zero, as at a real venue.
    const flows = fillFlows(o.spec.side, inst, qty, inst.price(f.lastPx), f.commission ?? inst.fee(qty, inst.price(f.lastPx), f.liquidity));
    const open = o.state === 'DONE' ? 0 : o.qtyLots - o.filledLots;
    this.accounts.book(o.spec.accountId, o.id, flows.map((a) => ({ currency: a.currency, raw: -a.raw })), termsOf(o.spec.side, inst, open, this.holdPrice(o)));
    this.emit({
      kind: 'FillBusted',
      clientOrderId: o.id,
      tradeId: f.tradeId,
      lastQty: f.lastQty,
      lastPx: f.lastPx,
      liquidity: f.liquidity,
      ...(f.commission ? { commission: f.commission } : {}),
      reason,
      ts: this.opts.clock.now(),
    });
    return true;
  }

  private removeFromBook(o: SimOrder): void {
    const m = this.markets.get(o.spec.instrumentId);
    if (!m) return;
    m.book.cancel(o.id);
    m.triggers.delete(o);
    const i = m.waitingMarket.indexOf(o);
    if (i >= 0) m.waitingMarket.splice(i, 1);
  }

  private canceledByVenue(id: string): void {
    const o = this.orders.get(id as ClientOrderId);
    if (!o || o.state === 'DONE') return;
    this.finish(o, 'CANCELED');
    this.emit({ kind: 'OrderCanceled', clientOrderId: o.id, ts: this.opts.clock.now() });
  }

  private expire(o: SimOrder): void {
    this.finish(o, 'EXPIRED');
    this.emit({ kind: 'OrderExpired', clientOrderId: o.id, ts: this.opts.clock.now() });
  }

  private applyCancel(id: ClientOrderId): void {
    const o = this.orders.get(id);
    const ts = this.opts.clock.now();
    if (!o || o.state === 'DONE') {
      this.emit({ kind: 'OrderCancelRejected', clientOrderId: id, reason: o ? 'ORDER_CLOSED' : 'ORDER_NOT_FOUND', ts });
      return;
    }
    this.finish(o, 'CANCELED');
    this.emit({ kind: 'OrderCanceled', clientOrderId: id, ts });
  }

  private applyModify(req: ModifyRequest): void {
    const o = this.orders.get(req.clientOrderId);
    const ts = this.opts.clock.now();
    if (!o || o.state === 'DONE') {
      this.emit({ kind: 'OrderModifyRejected', clientOrderId: req.clientOrderId, reason: o ? 'ORDER_CLOSED' : 'ORDER_NOT_FOUND', ts });
      return;
    }
    const m = this.market(o.instrument);
    const change = checkModify(o, req, m.openLots, this.accounts);
    if (!change.ok) {
      this.emit({ kind: 'OrderModifyRejected', clientOrderId: o.id, reason: change.reason, ts });
      return;
    }
    m.openLots += change.qtyLots - o.qtyLots;
    o.qtyLots = change.qtyLots;
    o.triggerTicks = change.triggerTicks;
    o.priceTicks = change.priceTicks;
    this.hold(o);
    this.emit({
      kind: 'OrderUpdated',
      clientOrderId: o.id,
      ts,
      ...(req.quantity ? { quantity: req.quantity } : {}),
      ...(req.price ? { price: req.price } : {}),
      ...(req.triggerPrice ? { triggerPrice: req.triggerPrice } : {}),
    });
    if (o.state === 'RESTING') {
      const r = m.book.modify(o.id, { qty: o.qtyLots - o.filledLots, ...(req.price ? { price: o.priceTicks! } : {}) });
      this.bookFills(m, r.fills, undefined, 'TAKER');
    }
  }

  private statusOf(o: SimOrder | undefined): VenueOrderStatus | undefined {
    if (!o) return undefined;
    const status = o.state !== 'DONE' ? 'OPEN' : o.filledLots >= o.qtyLots ? 'FILLED' : (o.doneReason ?? 'CANCELED');
    const inst = o.instrument;
    return {
      clientOrderId: o.id,
      venueOrderId: o.venueOrderId,
      spec: o.spec,
      status,
      filledQty: fromLots(o.filledLots, inst),
      // As the order stands after any modify; the spec keeps what was submitted.
      quantity: fromLots(o.qtyLots, inst),
      ...(o.priceTicks !== undefined ? { price: fromTicks(o.priceTicks, inst) } : {}),
      ...(o.triggerTicks !== undefined ? { triggerPrice: fromTicks(o.triggerTicks, inst) } : {}),
    };
  }

  private positions(): VenuePosition[] {
    const out: VenuePosition[] = [];
    for (const [key, lots] of this.netLots) {
      const [accountId = '', instrumentId = ''] = key.split(' ');
      const inst = this.markets.get(instrumentId as InstrumentId)?.instrument;
      if (!inst) continue;
      const abs = lots < 0n ? -lots : lots;
      out.push({ accountId, instrumentId, side: lots > 0n ? 'LONG' : lots < 0n ? 'SHORT' : 'FLAT', quantity: Quantity.fromRaw(abs * inst.lotSize.raw, inst.sizePrecision) });
    }
    return out;
  }

  /** Orders the exchange holds that are still working, for tests and reconciliation. */
  workingOrders(): readonly SimOrder[] {
    return [...this.orders.values()].filter((o) => o.state !== 'DONE');
  }
}

/** A slipped price never past the order's limit. */
function notPast(px: Price, limit: Price, side: OrderSide): Price {
  const c = px.cmp(limit);
  return (side === 'BUY' ? c > 0 : c < 0) ? limit : px;
}
