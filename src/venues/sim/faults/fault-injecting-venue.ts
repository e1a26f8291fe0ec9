import type {
  CancelRequest,
  ModifyRequest,
  SubmitRequest,
  Venue,
  VenueCapabilities,
  VenueConnectionState,
  VenueQueries,
  VenueReport,
} from '../../../engine/venue.ts';
import { queriesVia } from '../../../engine/venue.ts';
import type { VenueId } from '../../../model/identifiers.ts';
import { callError, disconnectedError, forwardsCall, queryError } from './call-errors.ts';
import { HeldReports } from './held-reports.ts';
import { FaultPlan } from './plan.ts';
import type { CallFaultRule, InjectedFault, QueryFaultRule, ReportFaultRule, VenueCall, VenueQuery } from './rules.ts';

/** The venue being wrapped: it must answer queries, since faults hide what only a query reveals. */
export type QueryableVenue = Venue & { readonly queries: VenueQueries };

export interface FaultInjectingVenueOptions {
  /** Reads still answer while the connection is down (REST up, websocket down). Default false. */
  readonly queriesWhileDown?: boolean;
  /** Rules to start with; more can be added at any time with the add* methods. */
  readonly calls?: readonly CallFaultRule[];
  readonly reports?: readonly ReportFaultRule[];
  readonly queryFaults?: readonly QueryFaultRule[];
}

/** A call sent but not yet at the inner venue (a DELAY fault). */
export interface HeldCall {
  readonly call: VenueCall;
  readonly clientOrderId: string;
}

interface PendingCall extends HeldCall {
  readonly forward: () => void | Promise<void>;
}

/**
 * A venue that forwards to an inner venue (in practice a SimulatedExchange) and injects the
 * faults it is told to: failed and held calls, lost, doubled and reordered reports, a dropped
 * connection, failing reads. The inner venue always keeps the truth, so a query after a fault
 * shows what really happened. Deterministic: nothing depends on time or chance beyond the rules.
 */
export class FaultInjectingVenue implements Venue {
  readonly id: VenueId;
  readonly capabilities: VenueCapabilities;
  readonly queries: VenueQueries;
  private readonly plan = new FaultPlan();
  private readonly heldReports = new HeldReports();
  private readonly pending: PendingCall[] = [];
  private readonly log: InjectedFault[] = [];
  private readonly listeners: ((state: VenueConnectionState) => void)[] = [];
  private sink: ((report: VenueReport) => void) | undefined;
  private up = true;

  constructor(
    private readonly inner: QueryableVenue,
    private readonly opts: FaultInjectingVenueOptions = {},
  ) {
    this.id = inner.id;
    this.capabilities = inner.capabilities;
    for (const r of opts.calls ?? []) this.plan.addCall(r);
    for (const r of opts.reports ?? []) this.plan.addReport(r);
    for (const r of opts.queryFaults ?? []) this.plan.addQuery(r);
    this.queries = queriesVia(inner.queries, (what, run) => this.read(what, run));
    // The inner venue's own connection news passes straight through; it does not gate calls here,
    // the inner venue refuses them itself.
    inner.onConnection?.((state) => this.notify(state));
  }

  // ---- the Venue contract ----

  connect(sink: (report: VenueReport) => void): void {
    this.sink = sink;
    this.inner.connect((r) => this.fromInner(r));
  }

  submit(req: SubmitRequest): Promise<void> {
    return this.call('SUBMIT', req.spec.clientOrderId, () => this.inner.submit(req));
  }

  modify(req: ModifyRequest): Promise<void> {
    return this.call('MODIFY', req.clientOrderId, () => this.inner.modify(req));
  }

  cancel(req: CancelRequest): Promise<void> {
    return this.call('CANCEL', req.clientOrderId, () => this.inner.cancel(req));
  }

  onConnection(listener: (state: VenueConnectionState) => void): void {
    this.listeners.push(listener);
  }

  // ---- what a test tells it ----

  addCallFault(rule: CallFaultRule): this {
    this.plan.addCall(rule);
    return this;
  }

  addReportFault(rule: ReportFaultRule): this {
    this.plan.addReport(rule);
    return this;
  }

  addQueryFault(rule: QueryFaultRule): this {
    this.plan.addQuery(rule);
    return this;
  }

  /**
   * Forwards the held (DELAY) calls, oldest first; only that order's when an id is given. They go
   * out even while disconnected: they left before the connection dropped.
   */
  async releaseHeld(clientOrderId?: string): Promise<void> {
    const now: PendingCall[] = [];
    for (let i = 0; i < this.pending.length; ) {
      const p = this.pending[i]!;
      if (clientOrderId === undefined || p.clientOrderId === clientOrderId) now.push(...this.pending.splice(i, 1));
      else i++;
    }
    // Sent one after another without waiting, as a client with several requests in flight does;
    // one failing (even synchronously) does not stop the rest from going out.
    const sent = now.map((p) => {
      this.log.push({ on: 'RELEASE', call: p.call, clientOrderId: p.clientOrderId });
      return new Promise<void>((resolve) => resolve(p.forward()));
    });
    await Promise.all(sent);
  }

  /** Delivers every report a REORDER rule is holding, each rule's buffer in its new order. */
  flushReports(): void {
    for (const r of this.heldReports.releaseAll()) this.deliver(r);
  }

  /** Lets reports through again for an order silenced by a call fault's `dropReports` (all orders without an id). */
  resumeReports(clientOrderId?: string): void {
    this.plan.resume(clientOrderId);
  }

  /** The connection drops: calls fail unsent and reports are lost until `reconnect`. */
  disconnect(): void {
    if (!this.up) return;
    this.up = false;
    this.log.push({ on: 'CONNECTION', fault: 'DISCONNECT' });
    this.notify('DOWN');
  }

  reconnect(): void {
    if (this.up) return;
    this.up = true;
    this.log.push({ on: 'CONNECTION', fault: 'RECONNECT' });
    this.notify('UP');
  }

  get connected(): boolean {
    return this.up;
  }

  /** Every fault applied so far, in order. */
  get injected(): readonly InjectedFault[] {
    return this.log;
  }

  get heldCalls(): readonly HeldCall[] {
    return this.pending.map(({ call, clientOrderId }) => ({ call, clientOrderId }));
  }

  get heldReportCount(): number {
    return this.heldReports.size;
  }

  // ---- internals ----

  private async call(call: VenueCall, clientOrderId: string, forward: () => void | Promise<void>): Promise<void> {
    if (!this.up) {
      this.plan.countCall(call);
      this.log.push({ on: 'CALL', call, fault: 'DISCONNECTED', clientOrderId, forwarded: false });
      throw disconnectedError(call, clientOrderId);
    }
    const fault = this.plan.decideCall(call, clientOrderId);
    if (!fault) {
      await forward();
      return;
    }
    this.log.push({ on: 'CALL', call, fault: fault.kind, clientOrderId, forwarded: forwardsCall(fault) });
    if (fault.kind === 'DELAY') {
      this.pending.push({ call, clientOrderId, forward });
      return;
    }
    if (forwardsCall(fault)) {
      // Silenced before forwarding: the inner venue may report during the call itself.
      if (fault.dropReports) this.plan.silence(clientOrderId);
      await forward();
    }
    throw callError(fault, call, clientOrderId);
  }

  private fromInner(r: VenueReport): void {
    if (!this.up) {
      this.log.push({ on: 'REPORT', fault: 'LOST_WHILE_DOWN', reportKind: r.kind, clientOrderId: r.clientOrderId });
      return;
    }
    const d = this.plan.decideReport(r);
    if (d.action === 'DROP') {
      this.log.push({ on: 'REPORT', fault: d.why, reportKind: r.kind, clientOrderId: r.clientOrderId });
      return;
    }
    if (d.copies === 2) this.log.push({ on: 'REPORT', fault: 'DUPLICATE', reportKind: r.kind, clientOrderId: r.clientOrderId });
    if (d.holdFor === undefined) {
      for (let i = 0; i < d.copies; i++) this.deliver(r);
      return;
    }
    this.log.push({ on: 'REPORT', fault: 'REORDER', reportKind: r.kind, clientOrderId: r.clientOrderId });
    for (let i = 0; i < d.copies; i++) for (const out of this.heldReports.hold(d.holdFor, r)) this.deliver(out);
  }

  private deliver(r: VenueReport): void {
    if (!this.sink) throw new Error(`venue ${this.id} is not connected`);
    if (!this.up) {
      this.log.push({ on: 'REPORT', fault: 'LOST_WHILE_DOWN', reportKind: r.kind, clientOrderId: r.clientOrderId });
      return;
    }
    this.sink(r);
  }

  private read<T>(query: VenueQuery, run: () => Promise<T>): Promise<T> {
    if (!this.up && !this.opts.queriesWhileDown) {
      this.log.push({ on: 'QUERY', query, fault: 'DISCONNECTED' });
      return Promise.reject(disconnectedError(query));
    }
    const code = this.plan.decideQuery(query);
    if (code === undefined) return run();
    this.log.push({ on: 'QUERY', query, fault: code });
    return Promise.reject(queryError(code, query));
  }

  private notify(state: VenueConnectionState): void {
    for (const l of [...this.listeners]) l(state);
  }
}
