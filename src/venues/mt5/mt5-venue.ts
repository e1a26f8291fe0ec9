import type { CancelRequest, ModifyRequest, SubmitRequest, VenueConnectionState, VenueReport } from '../../engine/venue.ts';
import { VenueCallError } from '../../model/errors.ts';
import { clientOrderId, instrumentId, venueId, venueOrderId, type VenueId } from '../../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { Quote } from '../../model/quote.ts';
import type { BrokerDeps, BrokerMarketItem, BrokerProbe, BrokerSubscription, BrokerVenue } from '../broker/contract.ts';
import { exactText } from '../ccxt/exact.ts';
import { Quantity } from '../../model/values.ts';
import { Mt5Book, type Mt5Order } from './book.ts';
import { Bridge } from './bridge.ts';
import type { Mt5VenueConfig } from './config.ts';
import { replyError } from './errors.ts';
import { fillReport, groupByOrder, viewOf, type Mt5Fill } from './fills.ts';
import { Mt5Ids } from './ids.ts';
import { mtOrderOf } from './orders.ts';
import { commands, type Command } from './protocol.ts';
import { dictGet, textOf, type PyDict } from './py-literal.ts';
import { Mt5Queries } from './queries.ts';
import { instrumentSpecOf, symbolInfoOf } from './symbols.ts';
import { fillsOf, openTradesOf, type OpenTrade } from './trades.ts';

/**
 * MetaTrader 5 through the DWX ZeroMQ bridge as a Warden venue. Orders go as TRADE commands
 * (OPEN, MODIFY, CLOSE) with Warden's client order id as the order comment and a magic number
 * from it; a market order's fill comes in its EXECUTION reply, a pending order's are seen by
 * polling GET_OPEN_TRADES (the bridge pushes no order events). The bundled EA lists the deals that
 * filled each ticket, so a fill is named `<ticket>:<deal>` and a partial fill is seen as such (the
 * rest of a market order filled in part is canceled: MT5 fills it IOC); from an EA that lists no
 * deals (stock DWX) a ticket fills once, whole, as `<ticket>:open`. DWX keeps no order history:
 * what left the open list unseen cannot be told apart (see the notes).
 */
export class Mt5Venue implements BrokerVenue {
  readonly id: VenueId;
  readonly capabilities = { stopOrders: true, trailingStops: false, postOnly: false, iceberg: false, orderLists: [], modify: true };
  readonly queries: Mt5Queries;
  private sink: ((r: VenueReport) => void) | undefined;
  private readonly book = new Mt5Book();
  private readonly ids = new Mt5Ids();
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly symbolOf = new Map<string, string>();
  private readonly listeners: ((s: VenueConnectionState) => void)[] = [];
  private readonly bridge: Bridge;
  private priceSinks: { subs: readonly BrokerSubscription[]; sink: (item: BrokerMarketItem) => void }[] = [];
  private cancelPoll: (() => void) | undefined;
  private polling: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly config: Mt5VenueConfig,
    private readonly deps: BrokerDeps,
  ) {
    this.id = venueId(deps.name);
    this.bridge = new Bridge({
      host: config.host,
      commandPort: config.command_port,
      replyPort: config.reply_port,
      pricePort: config.price_port,
      timer: deps.timer,
      callTimeoutMs: config.call_timeout_ms,
      heartbeatMs: config.heartbeat_ms,
      onReconnect: () => this.catchUp(),
      onState: (s) => this.listeners.forEach((l) => l(s)),
      onLateReply: (cmd, reply) => this.onLateReply(cmd, reply),
      onPrice: (symbol, bid, ask) => this.onPrice(symbol, bid, ask),
      onProblem: (m) => deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: ${m}`),
    });
    this.queries = new Mt5Queries({ accountId: deps.accountId, book: this.book, snapshot: () => this.snapshot(), instrumentOf: (s) => this.bySymbol.get(s), now: () => deps.clock.now() });
  }

  async open(): Promise<void> {
    await this.bridge.start();
    this.schedulePoll();
  }

  async instrumentSpec(id: string, symbol: string): Promise<InstrumentSpec> {
    const reply = await this.bridge.send(commands.symbolInfo(symbol));
    if (textOf(dictGet(reply, '_response')) === 'NOT_FOUND') throw new VenueCallError('VENUE_REJECTED', `INVALID_INSTRUMENT: MT5 has no symbol ${symbol}`, { symbol });
    return instrumentSpecOf(id, symbolInfoOf(reply, symbol), this.config.margin_init);
  }

  register(instrument: Instrument, symbol: string): void {
    this.bySymbol.set(symbol, instrument);
    this.symbolOf.set(instrument.id, symbol);
  }

  remember(orders: readonly { spec: OrderSpec; venueOrderId: string | undefined }[]): void {
    for (const { spec, venueOrderId: ticket } of orders) this.trackSpec(spec, ticket);
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
  }

  onConnection(listener: (s: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  async probe(): Promise<BrokerProbe> {
    const started = this.deps.clock.now();
    const reply = await this.bridge.send(commands.accountInfo());
    const latencyMs = this.deps.clock.now() - started;
    return { latencyMs, detail: `MT5 account ${textOf(dictGet(reply, 'account_number')) ?? '?'} through the DWX bridge at ${this.config.host}` };
  }

  // ---- orders ----

  async submit(req: SubmitRequest): Promise<void> {
    const { spec, instrument } = req;
    const symbol = this.symbol(instrument);
    const mapped = mtOrderOf(spec);
    if (!mapped.ok) throw new VenueCallError('VENUE_REJECTED', mapped.reason, { clientOrderId: spec.clientOrderId });
    const t = this.trackSpec(spec, undefined)!;
    const cmd = commands.open({ type: mapped.type, symbol, price: mapped.price, comment: t.comment, lots: spec.quantity.toString(), magic: Number(t.magic) });
    const reply = await this.bridge.send(cmd);
    const err = replyError(reply, `submit ${spec.clientOrderId}`);
    if (err) throw err;
    this.onExecution(t, reply);
  }

  async modify(req: ModifyRequest): Promise<void> {
    const t = this.book.byWardenId(req.clientOrderId);
    const refuse = (why: string) => new VenueCallError('VENUE_REJECTED', why, { clientOrderId: req.clientOrderId });
    if (!t?.spec || t.ticket === undefined) throw refuse(`ORDER_NOT_FOUND: ${req.clientOrderId} has no MT5 ticket`);
    if (req.quantity !== undefined && !req.quantity.eq(t.spec.quantity)) throw refuse('UNSUPPORTED_AT_VENUE: DWX cannot change an order’s volume; cancel and send a new one');
    const price = t.spec.type === 'LIMIT' ? req.price : req.triggerPrice;
    if (price === undefined) throw refuse('UNSUPPORTED_AT_VENUE: only a pending order’s price is modified through DWX');
    // A ticket that filled is a position, whose MODIFY moves SL/TP only: the fill is reported, not a new price for it (FAULTS 18).
    this.applySnapshot(await this.snapshot());
    if (t.filled) throw refuse(`TOO_LATE_TO_MODIFY: ${req.clientOrderId} has filled (ticket ${t.ticket}) at its old price`);
    if (t.ended) throw refuse(`ORDER_NOT_FOUND: ${req.clientOrderId} (ticket ${t.ticket}) is no longer working at MT5`);
    const reply = await this.bridge.send(commands.modify(this.fields(t, price.toString())));
    const err = replyError(reply, `modify ${req.clientOrderId}`);
    if (err) {
      // The bundled EA refuses a pending price on a ticket that filled between the read and the MODIFY: its fill is read now.
      if (textOf(dictGet(reply, '_response')) === 'NOT_PENDING') await this.settle();
      throw err;
    }
    const ts = this.deps.clock.now();
    this.emit({ kind: 'OrderUpdated', clientOrderId: clientOrderId(t.wardenId), ts, ...(t.spec.type === 'LIMIT' ? { price } : { triggerPrice: price }) });
  }

  /**
   * Deletes a pending order (TRADE;CLOSE on its ticket). The EA's CLOSE closes a position at
   * market when the ticket has filled meanwhile, so the open trades are read first: a filled one
   * is reported filled and the cancel refused as too late (FAULTS 17).
   */
  async cancel(req: CancelRequest): Promise<void> {
    const t = this.book.byWardenId(req.clientOrderId);
    if (!t || t.ticket === undefined) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: ${req.clientOrderId} has no MT5 ticket`, { clientOrderId: req.clientOrderId });
    const trades = await this.snapshot();
    this.applySnapshot(trades);
    if (t.filled) throw new VenueCallError('VENUE_REJECTED', `TOO_LATE_TO_CANCEL: ${req.clientOrderId} has filled (ticket ${t.ticket})`, { clientOrderId: req.clientOrderId });
    if (t.ended) return;
    const reply = await this.bridge.send(commands.close(this.fields(t, '0')));
    this.onCloseReply(t, reply);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelPoll?.();
    await this.polling?.catch(() => undefined);
    await this.bridge.close();
  }

  // ---- market data ----

  marketData(subs: readonly BrokerSubscription[], sink: (item: BrokerMarketItem) => void): { stop(): void } {
    const entry = { subs: subs.filter((s) => s.quotes), sink };
    this.priceSinks.push(entry);
    void this.trackPrices().catch((e: unknown) => this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: TRACK_PRICES failed: ${(e as Error).message}`));
    return {
      stop: () => {
        this.priceSinks = this.priceSinks.filter((x) => x !== entry);
        void this.trackPrices().catch(() => undefined);
      },
    };
  }

  /** The EA publishes one list of symbols: every subscription's, sent again whenever it changes or the bridge comes back. */
  private async trackPrices(): Promise<void> {
    const symbols = [...new Set(this.priceSinks.flatMap((p) => p.subs.map((s) => s.symbol)))];
    await this.bridge.send(commands.trackPrices(symbols));
  }

  private onPrice(symbol: string, bid: string, ask: string): void {
    const instrument = this.bySymbol.get(symbol);
    for (const { subs, sink } of this.priceSinks) {
      const sub = subs.find((s) => s.symbol === symbol);
      if (!sub) continue;
      try {
        // `%f` prints six places: a symbol with more digits would be rounded by the EA, and is refused here off the grid, not rounded again.
        const b = exactText(bid, 'bid');
        const a = exactText(ask, 'ask');
        if (instrument) {
          instrument.price(b, 'bid');
          instrument.price(a, 'ask');
        }
        const quote: Quote = { instrumentId: instrumentId(sub.instrumentId), bid: b, ask: a, ts: this.deps.clock.now() };
        sink(quote);
      } catch (e) {
        this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: price ${symbol} ${bid}/${ask} refused: ${(e as Error).message}`);
      }
    }
  }

  // ---- reports ----

  private emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    this.sink(r);
  }

  private trackSpec(spec: OrderSpec, ticket: string | undefined): Mt5Order | undefined {
    const symbol = this.symbolOf.get(spec.instrumentId);
    const instrument = symbol !== undefined ? this.bySymbol.get(symbol) : undefined;
    if (!instrument || symbol === undefined) return undefined;
    const t = this.book.track({ wardenId: spec.clientOrderId, comment: this.ids.comment(spec.clientOrderId), magic: String(this.ids.magic(spec.clientOrderId)), instrument, symbol, spec });
    if (ticket !== undefined && t.ticket === undefined) {
      this.book.setTicket(t, ticket);
      t.accepted = true;
    }
    return t;
  }

  /**
   * An EXECUTION reply with a ticket: accepted, and a market order filled by the deals listed
   * (`_fills`), `_lots_filled` in all; less than asked (DONE_PARTIAL) and every deal listed, the
   * rest is canceled, as MT5 does not fill it later. An EA that lists no deals filled it whole at
   * its open price.
   */
  private onExecution(t: Mt5Order, reply: PyDict): void {
    const ticket = textOf(dictGet(reply, '_ticket'));
    if (ticket === undefined) return;
    if (t.ticket === undefined) this.book.setTicket(t, ticket);
    this.accept(t);
    if (t.spec?.type !== 'MARKET') return;
    const fills = fillsOf(dictGet(reply, '_fills'), `EXECUTION ${ticket}`);
    if (fills === undefined) {
      const price = exactText(textOf(dictGet(reply, '_open_price')), '_open_price');
      this.fill(t, { tradeId: `${ticket}:open`, lots: Quantity.of(t.spec.quantity, t.instrument.sizePrecision), price });
      return;
    }
    for (const f of fills) this.fill(t, { tradeId: `${ticket}:${f.deal}`, lots: t.instrument.quantity(f.lots, `deal ${f.deal} lots`), price: f.price });
    const filledText = textOf(dictGet(reply, '_lots_filled'));
    if (filledText === undefined || t.filled) return;
    const filled = t.instrument.quantity(exactText(filledText, '_lots_filled'), '_lots_filled').raw;
    // A deal the terminal's history did not hold yet (or no volume said) is left to the next read of the open trades.
    if (filled > 0n && t.filledRaw >= filled) this.ended(t);
  }

  private accept(t: Mt5Order): void {
    if (t.accepted || t.ticket === undefined) return;
    t.accepted = true;
    this.emit({ kind: 'OrderAccepted', clientOrderId: clientOrderId(t.wardenId), venueOrderId: venueOrderId(t.ticket), ts: this.deps.clock.now() });
  }

  /**
   * One fill, once by its trade id (a deal seen again in a reply, a poll or after a reconnect is
   * not counted again); an order filled whole takes no more (a whole fill named `:open` by an EA
   * listing no deals, then listed by deal once the bundled EA replaced it, is the same fill).
   */
  private fill(t: Mt5Order, f: Mt5Fill): void {
    if (t.ticket === undefined || t.filled || t.reported.has(f.tradeId)) return;
    t.reported.add(f.tradeId);
    t.filledRaw += f.lots.raw;
    if (t.spec && t.filledRaw >= Quantity.of(t.spec.quantity, t.instrument.sizePrecision).raw) t.filled = true;
    this.emit(fillReport(t, f, t.ticket, this.deps.clock.now()));
  }

  /** The open trades read again and applied (after a refusal that says the order moved on). */
  private async settle(): Promise<void> {
    try {
      this.applySnapshot(await this.snapshot());
    } catch (e) {
      this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: reading open trades failed: ${(e as Error).message}`);
    }
  }

  private onCloseReply(t: Mt5Order, reply: PyDict): void {
    const response = textOf(dictGet(reply, '_response'));
    if (response === 'CLOSE_MARKET') {
      this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: ${t.wardenId} (ticket ${String(t.ticket)}) filled just before its cancel, and the bridge's CLOSE closed that position at market: no net position, a round trip's PnL at the broker Warden did not see`);
    } else if (response !== 'CLOSE_PENDING' && response !== 'NOT_FOUND') {
      const err = replyError(reply, `cancel ${t.wardenId}`);
      if (err) throw err;
    }
    this.ended(t);
  }

  private ended(t: Mt5Order): void {
    if (t.ended || t.filled) return;
    t.ended = true;
    this.emit({ kind: 'OrderCanceled', clientOrderId: clientOrderId(t.wardenId), ts: this.deps.clock.now() });
  }

  private onLateReply(cmd: Command, reply: PyDict): void {
    if (cmd.replyAction === 'EXECUTION' && replyError(reply, 'late submit') === undefined) {
      const t = this.book.byMagicNumber(String(cmd.magic));
      if (t) this.onExecution(t, reply);
    } else if (cmd.replyAction === 'CLOSE' && cmd.ticket !== undefined) {
      const t = this.book.byTicketId(cmd.ticket);
      if (t && !t.filled) {
        try {
          this.onCloseReply(t, reply);
        } catch (e) {
          this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: a late cancel answer: ${(e as Error).message}`);
        }
      }
    }
  }

  // ---- polling ----

  private schedulePoll(): void {
    if (this.closed) return;
    this.cancelPoll = this.deps.timer.schedule(this.config.poll_ms, () => {
      this.polling = this.poll().finally(() => this.schedulePoll());
    });
  }

  private async poll(): Promise<void> {
    if (this.bridge.connection !== 'UP' || !this.book.all().some((t) => !t.filled && !t.ended)) return;
    try {
      this.applySnapshot(await this.snapshot());
    } catch (e) {
      if (!(e instanceof VenueCallError)) this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: reading open trades failed: ${(e as Error).message}`);
    }
  }

  /** Back after being down: prices tracked again (a restarted EA forgot them) and what happened meanwhile read. */
  private async catchUp(): Promise<void> {
    if (this.priceSinks.length > 0) await this.trackPrices();
    this.applySnapshot(await this.snapshot());
  }

  private async snapshot(): Promise<OpenTrade[]> {
    return openTradesOf(await this.bridge.send(commands.openTrades()));
  }

  /**
   * What the open trades say of our orders: each deal listed for a ticket is a fill (a pending
   * order filled in part is both a position and a pending order under its ticket); a ticket that
   * is a position and no longer pending, filled short of its quantity, had its rest canceled at
   * the terminal; a pending ticket gone that we did not fill has ended (canceled or expired at the
   * terminal; DWX cannot tell that from filled-and-closed-at-once, which the alert says).
   */
  private applySnapshot(trades: readonly OpenTrade[]): void {
    const groups = groupByOrder(trades, (x) => this.book.ofTrade(x));
    for (const [t, xs] of groups) {
      if (t.ticket === undefined) this.book.setTicket(t, xs[0]!.ticket);
      this.accept(t);
      const view = viewOf(t, xs);
      for (const f of view.fills) this.fill(t, f);
      if (view.done && !t.filled && !t.ended) {
        if (t.spec?.type !== 'MARKET') this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: ${t.wardenId} (ticket ${t.ticket!}) filled ${view.filled.toString()} lots and its rest left the open orders; the rest reported canceled`);
        this.ended(t);
      }
    }
    for (const t of this.book.all()) {
      if (t.ticket === undefined || t.filled || t.ended || groups.has(t) || !t.accepted) continue;
      const filled = t.filledRaw > 0n ? `with ${Quantity.fromRaw(t.filledRaw, t.instrument.sizePrecision).toString()} lots filled` : 'unfilled';
      this.deps.onAlert('VENUE_STREAM_FAILED', `${this.id}: pending ${t.wardenId} (ticket ${t.ticket}) left the open orders ${filled} by what Warden saw; reported canceled (DWX keeps no order history)`);
      this.ended(t);
    }
  }

  private symbol(instrument: Instrument): string {
    const s = this.symbolOf.get(instrument.id);
    if (s === undefined) throw new VenueCallError('VENUE_REJECTED', `INVALID_ORDER: ${instrument.id} is not listed on ${this.id}`);
    return s;
  }

  private fields(t: Mt5Order, price: string) {
    return { type: 0, symbol: t.symbol, price, comment: t.comment, lots: '0', magic: Number(t.magic), ticket: t.ticket! };
  }
}
