import type { Venue, VenueOrderStatus, VenueQueries, VenueReport } from '../engine/venue.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import { VenueCallError, type ErrorContext } from '../model/errors.ts';
import type { ClientOrderId } from '../model/identifiers.ts';
import { RetentionWindow } from '../model/retention-window.ts';
import { backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.ts';
import { ExecutionLog, type OpenExecution, type Settlement } from './execution-log.ts';
import { failureCode, type RequestKind } from './failure.ts';
import type { ExecutorOptions } from './options.ts';
import { StatsAccumulator } from './stats.ts';
import { sleep, type Timer } from './timer.ts';
import { observeReport, type TrackedOrder } from './tracked-order.ts';

type Read<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };
type OrderAnswer = { readonly status: VenueOrderStatus | undefined; readonly fills: readonly Extract<VenueReport, { kind: 'OrderFilled' | 'FillBusted' }>[] };

/**
 * What the executor's flows share: the log, the statistics, the orders it tracks, the way to the
 * engine (the sink), and the timed, logged calls and retried reads. Internal to src/execution:
 * the Executor owns one and the flows (submit-flow.ts, modify-flow.ts, cancel-flow.ts) use it.
 */
export class ExecutionCore {
  readonly policy: RetryPolicy;
  readonly log: ExecutionLog;
  readonly stats = new StatsAccumulator();
  readonly orders = new Map<ClientOrderId, TrackedOrder>();
  readonly retained: RetentionWindow<ClientOrderId>;
  sink: ((r: VenueReport) => void) | undefined;
  readonly id: string;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    readonly inner: Venue,
    readonly opts: ExecutorOptions,
  ) {
    this.id = inner.id;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...opts.retry };
    this.log = new ExecutionLog(opts.logCapacity ?? 1_000);
    this.retained = new RetentionWindow(opts.orderCapacity ?? 10_000);
  }

  /** Starts tracking an order; the oldest tracked order falls out past the capacity. */
  track(o: TrackedOrder): void {
    const id = o.spec.clientOrderId;
    this.orders.set(id, o);
    for (const gone of this.retained.add(id)) this.orders.delete(gone);
  }

  idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** A cancel for an order we gave up on, so that a request still in flight dies if it lands. */
  defensiveCancel(o: TrackedOrder): void {
    const id = o.spec.clientOrderId;
    const swallow = (e: unknown) => this.alert('DEFENSIVE_CANCEL_FAILED', `defensive cancel of ${id} failed: ${(e as Error)?.message ?? String(e)}`, { clientOrderId: id });
    try {
      const r = this.inner.cancel({ clientOrderId: id, venueOrderId: undefined, instrument: o.instrument });
      if (r) r.catch(swallow);
    } catch (e) {
      swallow(e);
    }
  }

  /**
   * Every report on its way to the engine, the venue's and ours, passes here: what is known of the
   * order is updated first, and a report the engine must not get (a fill seen already, an accept
   * or a second closing report after the order closed) stops here.
   */
  emit(r: VenueReport): void {
    if (!this.sink) throw new Error(`executor for ${this.id} is not connected`);
    const o = this.orders.get(r.clientOrderId);
    if (o) {
      const seen = observeReport(o, r);
      if (!seen.pass) return;
      if (seen.newFill) this.stats.filled(o.spec.side, seen.newFill.qtyNum, seen.newFill.pxNum, o.referencePx);
    }
    this.sink(r);
  }

  emitAll(reports: readonly VenueReport[]): void {
    for (const r of reports) this.emit(r);
  }

  get timer(): Timer {
    return this.opts.timer!;
  }

  now(): number {
    return this.opts.clock.now();
  }

  open(id: ClientOrderId, request: RequestKind, summary: string, qty: number): OpenExecution {
    this.stats.opened(request, qty);
    return this.log.open(id, request, summary, this.now());
  }

  retried(rec: OpenExecution): void {
    rec.retries++;
    this.stats.retried();
  }

  goUnknown(rec: OpenExecution, request: 'SUBMIT' | 'MODIFY', reason: string): void {
    rec.wentUnknown = true;
    this.stats.wentUnknown();
    this.emit({ kind: 'OrderStatusUnknown', clientOrderId: rec.clientOrderId, request, reason, ts: this.now() });
  }

  settle(rec: OpenExecution, settlement: Settlement, succeeded: boolean, detail?: string): void {
    if (rec.settlement) return;
    rec.settlement = settlement;
    rec.settledAt = this.now();
    rec.succeeded = succeeded;
    rec.detail = detail;
    this.stats.settledAs(settlement, succeeded, rec.wentUnknown);
    const wake = rec.onSettle;
    rec.onSettle = undefined;
    wake?.();
  }

  /** Settles first, then emits: the reports must not settle it again as REPORT. */
  settleWith(rec: OpenExecution, reports: readonly VenueReport[], settlement: Settlement, succeeded: boolean, detail?: string): void {
    this.settle(rec, settlement, succeeded, detail);
    this.emitAll(reports);
  }

  unresolved(rec: OpenExecution, why: string): void {
    this.alert('ORDER_UNRESOLVED', `${why}; left UNKNOWN for reconciliation`, { clientOrderId: rec.clientOrderId });
    this.settle(rec, 'UNRESOLVED', false, why);
  }

  /** Waits for the venue's report; if none comes within reportTimeoutMs, `ask`. */
  async awaitReport(rec: OpenExecution, ask: () => Promise<void>): Promise<void> {
    if (rec.settlement) return;
    const timedOut = await new Promise<boolean>((resolve) => {
      const cancel = this.timer.schedule(this.opts.reportTimeoutMs ?? 5_000, () => resolve(true));
      rec.onSettle = () => {
        cancel();
        resolve(false);
      };
    });
    if (timedOut && !rec.settlement) await ask();
  }

  /** One call, timed and logged; resolves to the error it failed with, undefined when it went through. */
  async attempt(rec: OpenExecution, what: RequestKind, call: () => void | Promise<void>): Promise<unknown> {
    const t0 = this.now();
    let error: unknown;
    let failed = false;
    try {
      const r = call();
      if (r) await this.withTimeout(r);
    } catch (e) {
      failed = true;
      error = e ?? new Error('venue call threw nothing');
    }
    const latencyMs = this.now() - t0;
    rec.attempts.push({ what, ts: t0, outcome: failed ? failureCode(error) : 'OK', latencyMs });
    if (!failed || failureCode(error) !== 'VENUE_TIMEOUT') this.stats.answered(latencyMs);
    return failed ? error : undefined;
  }

  withTimeout<T>(p: Promise<T>): Promise<T> {
    const ms = this.opts.callTimeoutMs;
    if (ms === undefined) return p;
    return new Promise<T>((resolve, reject) => {
      const cancel = this.timer.schedule(ms, () => reject(new VenueCallError('VENUE_TIMEOUT', `no answer from ${this.id} within ${ms} ms`, { venue: this.id, timeoutMs: ms })));
      p.then(
        (v) => {
          cancel();
          resolve(v);
        },
        (e: unknown) => {
          cancel();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  /**
   * Since when the venue's fill history is searched for an order: its submit, or a day back for an
   * order the executor does not track (submitted before a restart, or fallen out of the window).
   */
  fillsFrom(id: ClientOrderId): number {
    return this.orders.get(id)?.submittedAt ?? this.now() - 86_400_000;
  }

  /** The venue's status of one order and, when it has it, its fills since `since`. */
  async askOrder(rec: OpenExecution | undefined, id: ClientOrderId, since: number = this.fillsFrom(id)): Promise<Read<OrderAnswer>> {
    const q = this.inner.queries;
    if (!q) return { ok: false, reason: `venue ${this.id} cannot be queried` };
    const status = await this.read(rec, 'orderStatus', () => q.orderStatus(id));
    if (!status.ok || !status.value) return status.ok ? { ok: true, value: { status: undefined, fills: [] } } : status;
    const fills = await this.read(rec, 'fillsSince', () => q.fillsSince(since));
    if (!fills.ok) return fills;
    return { ok: true, value: { status: status.value, fills: fills.value.filter((f) => f.clientOrderId === id) } };
  }

  /**
   * A read, retried with exponential backoff (and jitter) up to readAttempts. Reads made for an
   * execution (order status, fills) go into its log as attempts.
   */
  async read<T>(rec: OpenExecution | undefined, what: keyof VenueQueries, fn: () => Promise<T>): Promise<Read<T>> {
    const logged = rec && (what === 'orderStatus' || what === 'fillsSince') ? { rec, what } : undefined;
    let last = '';
    for (let n = 1; ; n++) {
      const t0 = this.now();
      try {
        const value = await this.withTimeout(fn());
        logged?.rec.attempts.push({ what: logged.what, ts: t0, outcome: 'OK', latencyMs: this.now() - t0 });
        return { ok: true, value };
      } catch (e) {
        last = `${failureCode(e)}: ${(e as Error)?.message ?? String(e)}`;
        this.stats.readFailed();
        logged?.rec.attempts.push({ what: logged.what, ts: t0, outcome: failureCode(e), latencyMs: this.now() - t0 });
      }
      if (n >= this.policy.readAttempts) return { ok: false, reason: `${what} failed ${n} times (last: ${last})` };
      await sleep(this.timer, backoffDelay(n, this.policy, this.opts.random));
    }
  }

  async readOrThrow<T>(what: keyof VenueQueries, fn: () => Promise<T>): Promise<T> {
    const r = await this.read(undefined, what, fn);
    if (r.ok) return r.value;
    throw new VenueCallError('VENUE_QUERY_FAILED', `${this.id} ${r.reason}`, { venue: this.id, query: what });
  }

  /** Runs a flow in the background; never rejects (a bug in a flow is alerted, not lost). */
  run(flow: Promise<void>): Promise<void> {
    this.inFlight++;
    return flow
      .catch((e: unknown) => this.alert('EXECUTOR_FAILED', `executor ${this.id}: ${(e as Error)?.message ?? String(e)}`, { venue: this.id }))
      .finally(() => {
        if (--this.inFlight > 0) return;
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
      });
  }

  alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.opts.onAlert?.({ code, message, context: { venue: this.id, ...context }, ts: this.now() });
  }
}
