import type { Exchange, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import type { AlertCode } from '../../engine/alert-codes.ts';
import type { Clock } from '../../engine/clock.ts';
import type { CancelRequest, ModifyRequest, SubmitRequest, Venue, VenueConnectionState, VenueMarketNotice, VenueReport } from '../../engine/venue.ts';
import { VenueCallError } from '../../model/errors.ts';
import { clientOrderId, venueId, venueOrderId, type VenueId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import { ClientIds } from './client-ids.ts';
import { mapCcxtError, retryAfterMs, type CallKind } from './errors.ts';
import { exactText } from './exact.ts';
import { marketNotices } from './market-reload.ts';
import { OrderTracker, type TrackedOrder } from './order-tracker.ts';
import { fillReport, isTriggerOrder, statusOf, toCcxtOrder, type CurrencyOf } from './orders.ts';
import type { CcxtProfile } from './profiles.ts';
import { CcxtQueries, isNotFound } from './queries.ts';
import { UserStreams, type StreamOptions } from './user-streams.ts';

export interface CcxtVenueOptions {
  /** The venue's name in the node (BINANCE). */
  readonly id: string;
  /** A configured ccxt.pro exchange (credentials, urls, options). */
  readonly exchange: Exchange;
  readonly profile: CcxtProfile;
  /** The node's account this exchange account is (one API key, one account). */
  readonly accountId: string;
  readonly clock: Clock;
  readonly currencyOf: CurrencyOf;
  readonly streams: StreamOptions;
  /** How often the markets are looked at again (listing, grid, maintenance: FAULTS 34, 35); none: only at connect. */
  readonly reloadMarketsMs?: number;
  readonly onAlert?: (code: AlertCode, message: string) => void;
}

/**
 * A crypto exchange through ccxt as a Warden venue. Orders go by REST (createOrder, cancelOrder)
 * with Warden's client order id as the exchange's; what becomes of them comes by WebSocket
 * (watchOrders, watchMyTrades) and, for what a stream may have missed, by REST (queries.ts).
 * Every figure is converted exactly at this edge. A report is given once, whichever way it came:
 * an acceptance once, a fill once per trade id, and an order's end only after every fill the
 * exchange counts for it (the trades are fetched first when the end came sooner).
 */
export class CcxtVenue implements Venue {
  readonly id: VenueId;
  readonly capabilities;
  readonly queries: CcxtQueries;
  private sink: ((r: VenueReport) => void) | undefined;
  private readonly ids: ClientIds;
  private readonly tracker = new OrderTracker();
  private readonly instruments = new Map<string, { instrument: Instrument; symbol: string }>();
  private readonly bySymbol = new Map<string, Instrument>();
  private readonly listeners: ((s: VenueConnectionState) => void)[] = [];
  private readonly noticeListeners: ((n: VenueMarketNotice) => void)[] = [];
  private cancelReload: (() => void) | undefined;
  private closed = false;
  private readonly streams: UserStreams;
  /** Reports are worked out one at a time, in arrival order (some need a REST call first). */
  private chain: Promise<void> = Promise.resolve();
  /** Reports being worked out or waiting (enqueue). */
  private queued = 0;

  constructor(private readonly o: CcxtVenueOptions) {
    this.id = venueId(o.id);
    this.capabilities = o.profile.capabilities;
    this.ids = new ClientIds(o.profile.clientId);
    this.queries = new CcxtQueries({
      exchange: o.exchange,
      profile: o.profile,
      accountId: o.accountId,
      ids: this.ids,
      tracker: this.tracker,
      symbols: () => [...this.bySymbol.keys()],
      instrumentOf: (s) => this.bySymbol.get(s),
      currencyOf: o.currencyOf,
      call: (kind, run) => this.call(kind, run),
    });
    this.streams = new UserStreams({
      exchange: o.exchange,
      profile: o.profile,
      symbols: () => [...this.bySymbol.keys()],
      options: o.streams,
      onOrders: (orders) => orders.forEach((x) => this.enqueue(() => this.onOrder(x))),
      onTrades: (trades) => trades.forEach((x) => this.enqueue(() => this.onTrade(x))),
      onState: (s) => this.listeners.forEach((l) => l(s)),
      onAlert: (code, message) => o.onAlert?.(code, message),
      probe: () => this.call('READ', () => o.exchange.fetchTime()),
    });
  }

  /** Lists an instrument as the exchange's market `symbol` (ccxt's unified symbol). */
  register(instrument: Instrument, symbol: string): void {
    this.instruments.set(instrument.id, { instrument, symbol });
    this.bySymbol.set(symbol, instrument);
  }

  /** Orders journaled before a restart, so that their reports map back to them and queries know where to look. */
  remember(orders: readonly { spec: OrderSpec; venueOrderId: string | undefined }[]): void {
    for (const { spec, venueOrderId: vid } of orders) {
      const entry = this.instruments.get(spec.instrumentId);
      if (!entry) continue;
      this.tracker.track({ wardenId: spec.clientOrderId, venueClientId: this.ids.toVenue(spec.clientOrderId), instrument: entry.instrument, symbol: entry.symbol, spec, ...(vid ? { venueOrderId: vid } : {}) });
    }
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
    this.streams.start();
    if (this.o.reloadMarketsMs !== undefined) this.scheduleReload(this.o.reloadMarketsMs);
  }

  /** Market status and instrument changes, for the engine (src/execution/market-watch.ts). */
  onMarketNotice(listener: (n: VenueMarketNotice) => void): void {
    this.noticeListeners.push(listener);
  }

  /** Looks at the exchange's markets again now and tells what changed (the schedule calls it too). */
  async reloadMarkets(): Promise<void> {
    const notices = await this.call('READ', () => marketNotices(this.o.exchange, this.bySymbol));
    for (const n of notices) this.notice(n);
  }

  private scheduleReload(ms: number): void {
    this.cancelReload = this.o.streams.timer.schedule(ms, () => {
      if (this.closed) return;
      this.reloadMarkets()
        .catch((e: unknown) => this.o.onAlert?.('VENUE_STREAM_FAILED', `${this.id}: reloading markets failed: ${(e as Error).message}`))
        .finally(() => {
          if (!this.closed) this.scheduleReload(ms);
        });
    });
  }

  private notice(n: VenueMarketNotice): void {
    for (const l of this.noticeListeners) l(n);
  }

  onConnection(listener: (s: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  async submit(req: SubmitRequest): Promise<void> {
    const { spec, instrument } = req;
    const entry = this.entry(instrument);
    const venueClientId = this.ids.toVenue(spec.clientOrderId);
    const mapped = toCcxtOrder(spec, entry.symbol, venueClientId, this.o.profile);
    if (!mapped.ok) throw new VenueCallError('VENUE_REJECTED', mapped.reason, { clientOrderId: spec.clientOrderId });
    this.tracker.track({ wardenId: spec.clientOrderId, venueClientId, instrument, symbol: entry.symbol, spec });
    const a = mapped.args;
    let placed;
    try {
      placed = await this.call('ORDER', () => this.o.exchange.createOrder(a.symbol, a.type, a.side, a.amount, a.price, a.params));
    } catch (e) {
      // The exchange said the market or the venue is not trading: the engine denies what follows there (FAULTS 34) instead of sending it to be refused.
      const reason = e instanceof Error ? e.message : String(e);
      if (reason.startsWith('MARKET_CLOSED')) this.notice({ kind: 'MarketStatus', instrumentId: instrument.id, status: 'CLOSED', reason });
      else if (reason.startsWith('VENUE_UNAVAILABLE')) this.notice({ kind: 'MarketStatus', status: 'MAINTENANCE', reason });
      throw e;
    }
    this.enqueue(() => this.onOrder(placed, spec.clientOrderId));
  }

  modify(req: ModifyRequest): Promise<void> {
    return Promise.reject(new VenueCallError('VENUE_REJECTED', `UNSUPPORTED_AT_VENUE: ${this.o.profile.exchange} orders are not modified in place through Warden; cancel and send a new one`, { clientOrderId: req.clientOrderId }));
  }

  async cancel(req: CancelRequest): Promise<void> {
    const entry = this.entry(req.instrument);
    const t = this.tracker.byWardenId(req.clientOrderId);
    const vid = req.venueOrderId ?? t?.venueOrderId;
    const venueClientId = this.ids.toVenue(req.clientOrderId);
    let params: Record<string, unknown> = {};
    if (vid === undefined) {
      if (!this.o.profile.clientId.unified) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: ${this.o.profile.exchange} cancels by its own order id, and ${req.clientOrderId} has none yet`);
      params = { clientOrderId: venueClientId };
    }
    const answer = await this.cancelAt(vid, entry.symbol, params, t?.spec !== undefined && isTriggerOrder(t.spec));
    if (answer && typeof answer === 'object' && 'status' in answer && answer.status !== undefined) this.enqueue(() => this.onOrder(answer, req.clientOrderId));
  }

  /**
   * Cancels at the exchange; a trigger order where the exchange keeps untriggered ones apart
   * (profile.triggerParams) is canceled there first, and as an order once it has triggered.
   */
  private async cancelAt(vid: string | undefined, symbol: string, params: Record<string, unknown>, trigger: boolean): Promise<CcxtOrder> {
    const apart = trigger ? this.o.profile.triggerParams : undefined;
    if (!apart) return this.cancelOrderAt(vid, symbol, params);
    try {
      return await this.cancelOrderAt(vid, symbol, { ...params, ...apart });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      return this.cancelOrderAt(vid, symbol, params);
    }
  }

  /** ccxt's cancelOrder, a refusal carrying the exchange's reason where ccxt left it out. */
  private cancelOrderAt(vid: string | undefined, symbol: string, params: Record<string, unknown>): Promise<CcxtOrder> {
    return this.call('ORDER', () =>
      this.o.exchange.cancelOrder(vid as string, symbol, params).catch((e: unknown) => {
        throw this.withRefusalReason(e, vid);
      }),
    );
  }

  /** A refused cancel's ccxt error with the exchange's reason added where ccxt left it out (profile `cancelRefusalReason`), so that it maps to its code. */
  private withRefusalReason(e: unknown, vid: string | undefined): unknown {
    const last = (this.o.exchange as unknown as { last_http_response?: unknown }).last_http_response;
    if (!(e instanceof Error) || vid === undefined || typeof last !== 'string') return e;
    const reason = this.o.profile.cancelRefusalReason?.(last, vid);
    if (reason !== undefined && !e.message.includes(reason)) e.message = `${e.message} (${reason})`;
    return e;
  }

  /** Stops the streams and closes the exchange's sockets. */
  async close(): Promise<void> {
    this.closed = true;
    this.cancelReload?.();
    this.streams.stop();
    await this.chain;
    await this.o.exchange.close();
  }

  /** Resolves once every report received so far has been worked out (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  // ---- reports ----

  /**
   * Reports are worked out one at a time, in the order they came. With nothing under way the work
   * starts at once: a fill is not held behind the other microtasks of the stream message it came in.
   */
  private enqueue(work: () => Promise<void> | void): void {
    if (this.queued++ > 0) {
      this.chain = this.chain.then(work).catch(this.workFailed).finally(this.workDone);
      return;
    }
    let started: Promise<void> | void;
    try {
      started = work();
    } catch (e) {
      this.workFailed(e);
      this.workDone();
      return;
    }
    if (started instanceof Promise) this.chain = started.catch(this.workFailed).finally(this.workDone);
    else this.workDone();
  }

  // Made once: a closure made per report costs a property definition under tsx (keepNames).
  private readonly workFailed = (e: unknown): void => this.o.onAlert?.('VENUE_STREAM_FAILED', `${this.id}: a report could not be worked out: ${(e as Error).message}`);
  private readonly workDone = (): void => void this.queued--;

  private emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    this.sink(r);
  }

  /** The tracked order a ccxt order is about: by our id (as sent, or named by the caller), else by the exchange's order id. */
  private trackedFor(x: CcxtOrder, wardenId?: string): TrackedOrder | undefined {
    const byId = wardenId ?? this.ids.toWarden(x.clientOrderId);
    return (byId !== undefined ? this.tracker.byWardenId(byId) : undefined) ?? (x.id ? this.tracker.byVenueOrderId(String(x.id)) : undefined);
  }

  private async onOrder(x: CcxtOrder, wardenId?: string): Promise<void> {
    const t = this.trackedFor(x, wardenId);
    // An order we did not send: reconciliation adopts it (FAULTS 23).
    if (!t) return;
    if (x.id) this.tracker.setVenueOrderId(t, String(x.id));
    for (const trade of x.trades ?? []) if (trade.id !== undefined && trade.id !== null) await this.onTrade({ ...trade, order: trade.order ?? x.id, symbol: trade.symbol ?? t.symbol });
    const status = statusOf(x);
    const ts = x.lastUpdateTimestamp ?? x.timestamp ?? this.o.clock.now();
    const id = clientOrderId(t.wardenId);
    if (status === 'REJECTED') {
      if (!t.accepted && !t.ended) this.emit({ kind: 'OrderRejected', clientOrderId: id, reason: `rejected at ${this.o.profile.exchange}`, ts });
      t.ended = true;
      return;
    }
    this.accept(t, ts);
    if (status === undefined) return;
    const filled = x.filled !== undefined ? t.instrument.quantity(exactText(x.filled, 'order.filled')) : undefined;
    // Fills the exchange counts that have not reached us yet: fetched before the order's end is told.
    if (filled !== undefined && filled.raw > t.instrument.quantity(t.filledSeen).raw) {
      if (this.o.profile.fills === 'orders' || status !== 'OPEN') await this.fetchFills(t);
    }
    if ((status === 'CANCELED' || status === 'EXPIRED') && !t.ended) {
      t.ended = true;
      this.emit({ kind: status === 'CANCELED' ? 'OrderCanceled' : 'OrderExpired', clientOrderId: id, ts });
    }
    if (status !== 'OPEN') this.tracker.closed(t);
  }

  private accept(t: TrackedOrder, ts: number): void {
    if (t.accepted || t.venueOrderId === undefined) return;
    t.accepted = true;
    this.emit({ kind: 'OrderAccepted', clientOrderId: clientOrderId(t.wardenId), venueOrderId: venueOrderId(t.venueOrderId), ts });
  }

  private async onTrade(x: CcxtTrade): Promise<void> {
    if (x.id === undefined || x.id === null || !x.symbol) return;
    const instrument = this.bySymbol.get(x.symbol);
    if (!instrument) return;
    const t = x.order !== undefined ? (this.tracker.byVenueOrderId(String(x.order)) ?? (await this.queries.resolveOrder(String(x.order), x.symbol))) : undefined;
    if (!t) return;
    if (!this.tracker.firstSight(`${x.symbol} ${String(x.id)}`)) return;
    this.accept(t, x.timestamp ?? this.o.clock.now());
    const report = fillReport(x, t.wardenId, instrument, this.o.currencyOf);
    t.filledSeen = t.instrument.quantity(t.filledSeen).add(report.lastQty as never).toString();
    this.emit(report);
  }

  /** The order's trades over REST, each reported once. */
  private async fetchFills(t: TrackedOrder): Promise<void> {
    for (const trade of await this.queries.tradesOf(t)) await this.onTrade(trade);
  }

  // ---- calls ----

  private entry(instrument: Instrument): { instrument: Instrument; symbol: string } {
    const e = this.instruments.get(instrument.id);
    if (!e) throw new VenueCallError('VENUE_REJECTED', `INVALID_ORDER: ${instrument.id} is not listed on ${this.id}`);
    return e;
  }

  /**
   * A ccxt call with its error mapped to Warden's venue codes; a clock skew resyncs the time
   * offset (FAULTS 32) and a read is tried once more.
   */
  private async call<T>(kind: CallKind, run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (e) {
        const headers = (this.o.exchange as unknown as { last_response_headers?: Record<string, unknown> }).last_response_headers;
        const m = mapCcxtError(e, kind, retryAfterMs(headers, this.o.clock.now()), this.o.profile.unknownOrder);
        if (m.resyncTime) {
          await this.resyncTime();
          if (kind === 'READ' && attempt === 0) continue;
        }
        throw m.error;
      }
    }
  }

  private async resyncTime(): Promise<void> {
    try {
      const offset = (await this.o.exchange.loadTimeDifference()) as unknown;
      this.o.onAlert?.('VENUE_CLOCK_RESYNCED', `${this.id}: a signed request fell outside the receive window; the time offset is now ${String(offset)} ms`);
    } catch (e) {
      this.o.onAlert?.('VENUE_CLOCK_RESYNCED', `${this.id}: resyncing the time offset failed: ${(e as Error).message}`);
    }
  }
}
