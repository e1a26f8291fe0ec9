import type { AlertCode } from '../../engine/alert-codes.ts';
import type { Clock } from '../../engine/clock.ts';
import type { CancelRequest, ModifyRequest, SubmitRequest, VenueConnectionState, VenueReport } from '../../engine/venue.ts';
import type { Timer } from '../../execution/timer.ts';
import { VenueCallError } from '../../model/errors.ts';
import { clientOrderId, venueId, venueOrderId, type VenueId } from '../../model/identifiers.ts';
import type { Instrument, InstrumentSpec } from '../../model/instrument.ts';
import type { OrderSpec } from '../../model/orders/types.ts';
import type { BrokerProbe, BrokerVenue } from '../broker/contract.ts';
import type { T212Client } from './client.ts';
import { byOrder, historySince } from './history.ts';
import { instrumentSpecOf } from './instruments.ts';
import { epochMs, filledOf, fillReport, statusOf, toPlaceRequest } from './orders.ts';
import { Poller } from './poller.ts';
import { T212Queries } from './queries.ts';
import { T212Tracker, type T212Tracked } from './tracker.ts';
import type { T212HistoricalOrder, T212Instrument, T212Order } from './wire.ts';

export interface Trading212VenueOptions {
  readonly id: string;
  readonly accountId: string;
  readonly client: T212Client;
  readonly clock: Clock;
  readonly timer: Timer;
  readonly pollIntervalMs: number;
  readonly downAfterFailures: number;
  readonly grid: { readonly tickSize: string; readonly quantityStep: string };
  readonly onAlert: (code: AlertCode, message: string) => void;
}

/** How far before a submit the broker's clock may have stamped the order it placed (ms). */
export const SUBMIT_SKEW_MS = 5_000;

/**
 * Trading 212 as a Warden venue. Orders go by REST; with no stream, what becomes of them is
 * polled: the pending orders (acceptance, a changed filledQuantity, an order gone) and, when
 * something changed, the order history, which carries each fill with its id, price and taxes.
 * A fill is told once per fill id, an order's end after its fills. There is no client order id:
 * an order is bound to the broker's id from the submit's answer, and after an ambiguous submit
 * to the one order of the same terms placed since (queries.ts).
 */
export class Trading212Venue implements BrokerVenue {
  readonly id: VenueId;
  readonly capabilities = { stopOrders: true, trailingStops: false, postOnly: false, iceberg: false, orderLists: [], modify: false };
  readonly queries: T212Queries;
  private readonly tracker = new T212Tracker();
  private readonly instruments = new Map<string, { instrument: Instrument; ticker: string }>();
  private readonly byTicker = new Map<string, Instrument>();
  private readonly listeners: ((s: VenueConnectionState) => void)[] = [];
  private readonly poller: Poller;
  private sink: ((r: VenueReport) => void) | undefined;
  private catalogue: Promise<T212Instrument[]> | undefined;
  /** Reports are worked out one at a time, in arrival order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly o: Trading212VenueOptions) {
    this.id = venueId(o.id);
    this.queries = new T212Queries({ client: o.client, accountId: o.accountId, tracker: this.tracker, instrumentOf: (t) => this.byTicker.get(t), now: () => o.clock.now() });
    this.poller = new Poller({
      timer: o.timer,
      intervalMs: o.pollIntervalMs,
      downAfter: o.downAfterFailures,
      tick: () => this.pollRound(),
      gapFill: () => this.readHistory(this.tracker.working(), true),
      onState: (s, why) => {
        o.onAlert(s === 'DOWN' ? 'VENUE_DISCONNECTED' : 'VENUE_RECONNECTED', `${this.id}: ${why}`);
        for (const l of this.listeners) l(s);
      },
    });
  }

  async open(): Promise<void> {
    await this.o.client.accountSummary();
  }

  async instrumentSpec(id: string, symbol: string): Promise<InstrumentSpec> {
    this.catalogue ??= this.o.client.instruments();
    const found = (await this.catalogue).find((x) => x.ticker === symbol);
    if (!found) throw new VenueCallError('VENUE_REJECTED', `INVALID_INSTRUMENT: ${symbol} is not among Trading 212's instruments`);
    return instrumentSpecOf(id, found, this.o.grid);
  }

  register(instrument: Instrument, symbol: string): void {
    this.instruments.set(instrument.id, { instrument, ticker: symbol });
    this.byTicker.set(symbol, instrument);
  }

  remember(orders: readonly { spec: OrderSpec; venueOrderId: string | undefined }[]): void {
    for (const { spec, venueOrderId: vid } of orders) {
      const e = this.instruments.get(spec.instrumentId);
      if (!e) continue;
      let request;
      try {
        request = toPlaceRequest(spec, e.ticker);
      } catch {
        request = undefined;
      }
      // Accepted before the restart when it has the broker's id: not told again.
      const t = this.tracker.track({ wardenId: spec.clientOrderId, instrument: e.instrument, ticker: e.ticker, spec, request, submittedAt: this.o.clock.now() - 86_400_000, ...(vid ? { venueOrderId: vid } : {}) });
      t.accepted = vid !== undefined;
    }
  }

  async probe(): Promise<BrokerProbe> {
    const t0 = this.o.clock.now();
    const s = await this.o.client.accountSummary();
    return { latencyMs: this.o.clock.now() - t0, detail: `Trading 212 account ${s.id}, ${s.currency}` };
  }

  connect(sink: (r: VenueReport) => void): void {
    this.sink = sink;
    this.poller.start();
  }

  onConnection(listener: (s: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  async submit(req: SubmitRequest): Promise<void> {
    const { spec, instrument } = req;
    const e = this.entry(instrument);
    const request = toPlaceRequest(spec, e.ticker);
    const t = this.tracker.track({ wardenId: spec.clientOrderId, instrument, ticker: e.ticker, spec, request, submittedAt: this.o.clock.now() });
    let placed: T212Order;
    try {
      placed = await this.o.client.place(request);
    } catch (err) {
      // Refused or never sent: forgotten. Ambiguous: kept, for queries.orderStatus to find (FAULTS 15).
      if (!(err instanceof VenueCallError && err.ambiguous)) this.tracker.untrack(t);
      throw err;
    }
    this.enqueue(() => this.onOrder(t, placed));
  }

  modify(req: ModifyRequest): Promise<void> {
    return Promise.reject(new VenueCallError('VENUE_REJECTED', 'UNSUPPORTED_AT_VENUE: the Trading 212 API does not modify orders; cancel and send a new one', { clientOrderId: req.clientOrderId }));
  }

  async cancel(req: CancelRequest): Promise<void> {
    const t = this.tracker.byWardenId(req.clientOrderId);
    const vid = req.venueOrderId ?? t?.venueOrderId;
    if (vid === undefined) throw new VenueCallError('VENUE_REJECTED', `ORDER_NOT_FOUND: ${req.clientOrderId} has no Trading 212 order id yet`, { clientOrderId: req.clientOrderId });
    // A 200 means the cancel was taken, not done: the poll tells the end (or the fill that beat it: FAULTS 17).
    await this.o.client.cancel(vid);
  }

  async close(): Promise<void> {
    await this.poller.stop();
    await this.chain;
  }

  /** Resolves once every report received so far is worked out (tests). */
  settled(): Promise<void> {
    return this.chain;
  }

  // ---- polling ----

  /** One round: the pending orders, then the history when an order changed or left. Rejects when the broker cannot be read. */
  private async pollRound(): Promise<void> {
    const pending = await this.o.client.pendingOrders();
    await this.serial(() => {
      const byId = new Map(pending.map((p) => [String(p.id), p]));
      for (const t of this.tracker.working()) {
        const p = byId.get(t.venueOrderId!);
        if (p) this.onOrder(t, p);
        else t.gone = true;
      }
    });
    const needy = this.tracker.working().filter((t) => t.gone || t.seenFilledRaw > t.reportedRaw);
    if (needy.length > 0) await this.readHistory(needy, false);
  }

  /** The history since the oldest of `orders` was sent: their fills (once each), then their ends. */
  private async readHistory(orders: readonly T212Tracked[], all: boolean): Promise<void> {
    if (orders.length === 0) return;
    const since = Math.min(...orders.map((t) => t.submittedAt)) - SUBMIT_SKEW_MS;
    const items = await historySince(this.o.client, since);
    await this.serial(() => {
      const groups = byOrder(items);
      for (const t of all ? this.tracker.working() : orders) {
        const entries = groups.get(t.venueOrderId!);
        if (entries) this.onHistory(t, entries);
      }
    });
  }

  private onOrder(t: T212Tracked, o: T212Order): void {
    if (t.venueOrderId === undefined) this.tracker.bind(t, String(o.id));
    const ts = epochMs(o.createdAt, this.o.clock.now());
    if (o.status === 'REJECTED' && !t.accepted) {
      if (!t.ended) this.emit({ kind: 'OrderRejected', clientOrderId: clientOrderId(t.wardenId), reason: 'REJECTED: Trading 212 rejected the order', ts });
      t.ended = true;
      return;
    }
    this.accept(t, ts);
    const filled = filledOf(o, t.instrument);
    if (filled > t.seenFilledRaw) t.seenFilledRaw = filled;
    if (statusOf(o.status) !== 'OPEN') t.gone = true;
  }

  private onHistory(t: T212Tracked, entries: readonly T212HistoricalOrder[]): void {
    const total = t.spec ? t.instrument.quantity(t.spec.quantity).raw : undefined;
    for (const e of entries) {
      const f = e.fill;
      if (!f || (f.type !== undefined && f.type !== 'TRADE')) continue;
      if (!this.tracker.firstSight(String(f.id))) continue;
      const report = fillReport(f, t.venueOrderId!, t.wardenId, t.instrument, this.o.clock.now());
      const qty = t.instrument.quantity(report.lastQty).raw;
      // Never more than the order's quantity, whatever the history repeats (FAULTS 20).
      if (total !== undefined && t.reportedRaw + qty > total) {
        this.o.onAlert('VENUE_STREAM_FAILED', `${this.id}: fill ${f.id} of ${t.wardenId} would overfill it; not applied`);
        continue;
      }
      this.accept(t, report.ts);
      t.reportedRaw += qty;
      this.emit(report);
    }
    const last = entries[entries.length - 1]!.order;
    const status = statusOf(last.status);
    if (!t.gone || t.ended || status === 'OPEN') return;
    if (status === 'FILLED') {
      if (total === undefined || t.reportedRaw >= total) t.ended = true;
      return;
    }
    if (filledOf(last, t.instrument) > t.reportedRaw) return; // fills of it not in the history yet
    t.ended = true;
    const ts = epochMs(last.createdAt, this.o.clock.now());
    const id = clientOrderId(t.wardenId);
    if (status === 'REJECTED' && !t.accepted) this.emit({ kind: 'OrderRejected', clientOrderId: id, reason: 'REJECTED: Trading 212 rejected the order', ts });
    else this.emit({ kind: 'OrderCanceled', clientOrderId: id, ts: this.o.clock.now() });
  }

  private accept(t: T212Tracked, ts: number): void {
    if (t.accepted || t.venueOrderId === undefined) return;
    t.accepted = true;
    this.emit({ kind: 'OrderAccepted', clientOrderId: clientOrderId(t.wardenId), venueOrderId: venueOrderId(t.venueOrderId), ts });
  }

  // ---- plumbing ----

  private enqueue(work: () => void): void {
    this.chain = this.chain.then(work).catch((e: unknown) => this.o.onAlert('VENUE_STREAM_FAILED', `${this.id}: a report could not be worked out: ${(e as Error).message}`));
  }

  /** Runs `work` in the report chain and waits for it. */
  private serial(work: () => void | Promise<void>): Promise<void> {
    const done = this.chain.then(work);
    this.chain = done.catch((e: unknown) => this.o.onAlert('VENUE_STREAM_FAILED', `${this.id}: a report could not be worked out: ${(e as Error).message}`));
    return this.chain;
  }

  private emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    this.sink(r);
  }

  private entry(instrument: Instrument): { instrument: Instrument; ticker: string } {
    const e = this.instruments.get(instrument.id);
    if (!e) throw new VenueCallError('VENUE_REJECTED', `INVALID_ORDER: ${instrument.id} is not listed on ${this.id}`);
    return e;
  }
}
