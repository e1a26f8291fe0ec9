import type {
  CancelRequest,
  ModifyRequest,
  SubmitRequest,
  Venue,
  VenueCapabilities,
  VenueConnectionState,
  VenueMarketNotice,
  VenueQueries,
  VenueReport,
} from '../engine/venue.ts';
import { queriesVia } from '../engine/venue.ts';
import type { VenueId } from '../model/identifiers.ts';
import { cancelFlow, settleCancelByQuery } from './cancel-flow.ts';
import { ExecutionCore } from './core.ts';
import type { ExecutionRecord } from './execution-log.ts';
import { modifyFlow } from './modify-flow.ts';
import type { ExecutionMode, ExecutorOptions } from './options.ts';
import type { ExecutionStatistics } from './stats.ts';
import { submitFlow } from './submit-flow.ts';
import type { TrackedOrder } from './tracked-order.ts';

/**
 * Sits between the engine and a venue, and is what the engine is given as that venue
 * (`engine.addVenue(new Executor(venue, ...))`), so the engine does not change. Client order ids
 * are the engine's; the executor passes them through and matches the venue's reports by them.
 * A submit or modify is never resent blindly: when its outcome is unknown the order goes UNKNOWN
 * and queries of the venue settle it (FAULTS 15-22). Reads are retried with backoff; a cancel,
 * being idempotent, is retried. Every execution is logged and counted.
 *
 * BACKTEST mode passes every call, report and read straight through: no timers, no promises of
 * its own, no log.
 */
export class Executor implements Venue {
  readonly id: VenueId;
  readonly capabilities: VenueCapabilities;
  readonly queries: VenueQueries | undefined;
  readonly mode: ExecutionMode;
  private readonly core: ExecutionCore;
  private readonly listeners: ((state: VenueConnectionState) => void)[] = [];
  private readonly noticeListeners: ((notice: VenueMarketNotice) => void)[] = [];
  private state: VenueConnectionState = 'UP';

  constructor(
    private readonly inner: Venue,
    opts: ExecutorOptions,
  ) {
    this.id = inner.id;
    this.capabilities = inner.capabilities;
    this.mode = opts.mode;
    if (opts.mode !== 'BACKTEST' && !opts.timer) throw new RangeError(`an executor in ${opts.mode} mode needs a timer`);
    if (opts.callTimeoutMs !== undefined && !(opts.callTimeoutMs > 0)) throw new RangeError(`callTimeoutMs must be positive, got ${opts.callTimeoutMs}`);
    const core = (this.core = new ExecutionCore(inner, opts));
    const q = inner.queries;
    // Backtest: the inner venue's own reads. Otherwise retried reads, for reconciliation too.
    this.queries = !q || opts.mode === 'BACKTEST' ? q : queriesVia(q, (what, run) => core.readOrThrow(what, run));
    inner.onConnection?.((s) => {
      this.state = s;
      for (const l of [...this.listeners]) l(s);
    });
    // What the venue says of its markets goes past the executor untouched: it is not about one order.
    inner.onMarketNotice?.((n) => {
      for (const l of [...this.noticeListeners]) l(n);
    });
  }

  // ---- the Venue contract ----

  connect(sink: (report: VenueReport) => void): void {
    if (this.mode === 'BACKTEST') {
      this.inner.connect(sink);
      return;
    }
    this.core.sink = sink;
    this.inner.connect((r) => this.fromVenue(r));
  }

  submit(req: SubmitRequest): void | Promise<void> {
    if (this.mode === 'BACKTEST') return this.inner.submit(req);
    return this.core.run(submitFlow(this.core, req));
  }

  modify(req: ModifyRequest): void | Promise<void> {
    if (this.mode === 'BACKTEST') return this.inner.modify(req);
    return this.core.run(modifyFlow(this.core, req));
  }

  cancel(req: CancelRequest): void | Promise<void> {
    if (this.mode === 'BACKTEST') return this.inner.cancel(req);
    return this.core.run(cancelFlow(this.core, req));
  }

  onConnection(listener: (state: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  onMarketNotice(listener: (notice: VenueMarketNotice) => void): void {
    this.noticeListeners.push(listener);
  }

  // ---- what it tells ----

  /** The inner venue's connection as last reported (UP when it never reports). */
  get connection(): VenueConnectionState {
    return this.state;
  }

  /** The retained executions, oldest first (one order's when an id is given). */
  executions(clientOrderId?: string): ExecutionRecord[] {
    return this.core.log.records(clientOrderId);
  }

  statistics(): ExecutionStatistics {
    return this.core.stats.snapshot();
  }

  /** Settles once nothing the executor started is still running (its flows wait on its timer). */
  idle(): Promise<void> {
    return this.core.idle();
  }

  // ---- reports ----

  /** Everything the venue reports passes here on its way to the engine. */
  private fromVenue(r: VenueReport): void {
    const o = this.core.orders.get(r.clientOrderId);
    if (o?.givenUp) return this.lateArrival(o, r);
    if (r.kind === 'OrderCancelRejected') {
      // Unknown or closed at the venue: ask what became of it before telling the engine anything.
      const rec = o?.cancel && !o.cancel.settlement ? o.cancel : undefined;
      void this.core.run(settleCancelByQuery(this.core, r.clientOrderId, rec, r.reason));
      return;
    }
    if (o) this.settleByReport(o, r);
    this.core.emit(r);
  }

  /** A venue report that answers an open execution of the order settles it. */
  private settleByReport(o: TrackedOrder, r: VenueReport): void {
    const closes = r.kind === 'OrderCanceled' || r.kind === 'OrderExpired' || r.kind === 'OrderRejected';
    const sub = o.submit;
    if (sub && !sub.settlement) {
      // A fill while UNKNOWN does not settle it (the engine stays UNKNOWN until an accept).
      if (r.kind === 'OrderAccepted' || closes || (r.kind === 'OrderFilled' && !sub.wentUnknown)) {
        this.core.settle(sub, r.kind === 'OrderRejected' ? 'REJECTED' : sub.wentUnknown ? 'REPORT' : 'ACK', r.kind !== 'OrderRejected');
      }
    }
    const mod = o.modify;
    if (mod && !mod.settlement && (r.kind === 'OrderUpdated' || r.kind === 'OrderModifyRejected' || closes)) {
      this.core.settle(mod, r.kind === 'OrderModifyRejected' ? 'REJECTED' : mod.wentUnknown ? 'REPORT' : 'ACK', r.kind === 'OrderUpdated');
    }
    const can = o.cancel;
    if (can && !can.settlement && (r.kind === 'OrderCanceled' || r.kind === 'OrderExpired')) this.core.settle(can, 'ACK', true);
  }

  /** A report for an order given up as NOT_AT_VENUE: it landed after all. Killed; its fills are real money and go on. */
  private lateArrival(o: TrackedOrder, r: VenueReport): void {
    const id = o.spec.clientOrderId;
    if (r.kind === 'OrderFilled') {
      this.core.alert('LATE_FILL', `order ${id}, given up as not at the venue, traded: fill ${r.tradeId} applied`, { clientOrderId: id, tradeId: r.tradeId });
      this.core.emit(r);
      return;
    }
    if (r.kind === 'OrderAccepted' && !o.lateCancelSent) {
      o.lateCancelSent = true;
      this.core.alert('LATE_ARRIVAL_CANCELED', `order ${id}, given up as not at the venue, arrived late: canceled`, { clientOrderId: id, venueOrderId: r.venueOrderId });
      // Not from inside the venue's own callback: it may still be in the middle of placing the order.
      void this.core.run(Promise.resolve().then(() => this.core.defensiveCancel(o)));
    }
  }
}
export type { ExecutionMode, ExecutorAlert, ExecutorOptions } from './options.ts';
