/**
 * The thin layer that runs execution algorithms over an Engine. Decisions come from the pure
 * deciders (schedule.ts for TWAP/VWAP, iceberg.ts); this class feeds them the clock and the
 * children's order events, and carries out their actions through engine commands, so every child
 * passes the pre-trade gate like any other order.
 *
 * - Time is the engine's clock: a decision runs on every 'bar' and 'market' update, on every event
 *   of a child, and on `tick()` (for a clock that moves without prices).
 * - Decisions and actions run one at a time, in order, on one chain; a child is recorded before
 *   its submit goes out, so two decisions can never both send it.
 * - A denied, rejected or lost child stops the algorithm (FAILED) with an alert on the engine bus;
 *   nothing is resent, so a refusing gate never makes it spin.
 * - Children: client order ids `<parentId>-<n>`, tags `algo`, `algo:<KIND>` and the request's,
 *   `parentOrderId` the parent id, account and strategy from the request.
 * - Every child and every cancel goes as the origin that started the algorithm (`start(req,
 *   origin)`, SYSTEM by default, like the engine's commands), so a strategy's slices are audited as
 *   the strategy's and pass the engine's checks for it: its own strategy id, no reserved tag
 *   (checked at start on the child template, so a refused algorithm never starts).
 *
 * Journaled (src/engine/algos/events.ts): the start (the resolved request and the origin), each
 * slice before its child is submitted, each cancel the algorithm asks for, how it resumed after a
 * restart and how it ended. Fills are the children's own events. `recover()` after a restart
 * rebuilds every running algorithm from them and applies the restart rule (resume.ts).
 */
import type { CommandResult, Engine } from '../engine/engine.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import { requireSubmitter } from '../engine/order-authority.ts';
import type { AlgoEndStatus, AlgoEvent } from '../engine/algos/events.ts';
import type { AlgoRecord } from '../engine/algos/algo-state.ts';
import { originFromText, originText, SYSTEM, type Origin } from '../engine/origin.ts';
import { SerialQueue } from '../engine/serial-queue.ts';
import { LookupError, shown, ValidationError, type ErrorContext, type WardenError } from '../model/errors.ts';
import { clientOrderId } from '../model/identifiers.ts';
import { accountId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../model/orders/factory.ts';
import type { Quantity } from '../model/values.ts';
import { ChildLedger } from './children.ts';
import { decideIceberg } from './iceberg.ts';
import { journaledRequest, requestFromText } from './journaled.ts';
import { planOf, type AlgoPlan } from './plan.ts';
import { replayLedgers } from './recovery.ts';
import { resumption } from './resume.ts';
import { decideScheduled } from './schedule.ts';
import { ALGO_TAG, type AlgoAction, type AlgoProgress, type AlgoRequest, type AlgoStatus, type ChildOrder } from './types.ts';

export interface ExecutionAlgorithmsOptions {
  /** Venues with native icebergs: an ICEBERG there is one LIMIT order with a display quantity. Others are sliced here. */
  readonly nativeIcebergVenues?: readonly string[];
}

/** What `recover()` did with each algorithm that was running when the node stopped. */
export interface AlgoRecovery {
  /** Taken back and going on (respread when slices were missed while down). */
  readonly resumed: readonly string[];
  /** Stopped by the restart rule or because they could not be rebuilt, each with its reason. */
  readonly stopped: readonly { readonly parentId: string; readonly status: AlgoEndStatus; readonly reason: string }[];
}

interface Algo {
  readonly request: AlgoRequest;
  /** Its slices change once after a restart that missed some (resume.ts). */
  plan: AlgoPlan;
  readonly instrument: Instrument;
  readonly ledger: ChildLedger;
  /** Who started it: every child and cancel is sent as them. */
  readonly origin: Origin;
  status: AlgoStatus;
  reason: string | undefined;
}

export class ExecutionAlgorithms {
  private readonly algos = new Map<string, Algo>();
  private readonly parentOf = new Map<string, Algo>();
  private readonly steps = new SerialQueue((e: unknown) => this.alert('ALGO_ACTION_FAILED', `execution algorithm step failed: ${(e as Error)?.message ?? String(e)}`, {}));
  private decisionQueued = false;
  private readonly unsubscribe: (() => void)[];
  /** Prices are subscribed to from the first algorithm on: before it, a backtest's two publishes a bar would find none running. */
  private watchingPrices = false;

  constructor(
    private readonly engine: Engine,
    private readonly opts: ExecutionAlgorithmsOptions = {},
  ) {
    const bus = engine.bus;
    this.unsubscribe = [
      // Folded at once, in event order; acted on later, never inside the engine's own event handling.
      bus.subscribe('order', (e) => {
        const a = this.parentOf.get(e.clientOrderId);
        if (!a) return;
        a.ledger.onEvent(e);
        this.decideSoon();
      }),
    ];
  }

  /** Stops listening to the engine; running algorithms stay as they are. */
  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    // Disposed for good: an algorithm rebuilt or started after this does not subscribe again.
    this.watchingPrices = true;
  }

  /** Prices only move the clock for running algorithms: with none, nothing is queued. */
  private watchPrices(): void {
    if (this.watchingPrices) return;
    this.watchingPrices = true;
    const bus = this.engine.bus;
    this.unsubscribe.push(
      bus.subscribe('market', () => this.hasRunning() && this.decideSoon()),
      bus.subscribe('bar', () => this.hasRunning() && this.decideSoon()),
    );
  }

  /**
   * Validates the request, starts the algorithm and carries out its first decision (a TWAP whose
   * start is now sends its first slice before this resolves). Bad input rejects with a typed
   * WardenError and starts nothing. Resolves to the parent id. `origin`: who starts it.
   */
  async start(req: AlgoRequest, origin: Origin = SYSTEM): Promise<string> {
    const parentId = req.parentId;
    if (typeof parentId !== 'string' || parentId === '') throw new ValidationError('INVALID_FIELD', `parentId must be a non-empty string, got ${shown(parentId)}`, { field: 'parentId' });
    if (this.algos.has(parentId) || this.engine.state.algos.isRunning(parentId) || this.engine.order(`${parentId}-1`)) {
      throw new LookupError('DUPLICATE_CLIENT_ORDER_ID', `parent id ${parentId} is already in use`, { field: 'parentId', input: parentId });
    }
    const instrument = this.engine.instrument(req.instrumentId);
    this.engine.portfolio.account(accountId(req.accountId));
    const now = this.engine.now();
    const plan = planOf(req, instrument, now, this.opts.nativeIcebergVenues?.includes(instrument.venue) ?? false);
    const by = origin === SYSTEM ? origin : this.engine.authority.check(origin, 'starting an execution algorithm');
    const a: Algo = { request: req, plan, instrument, ledger: new ChildLedger(instrument.sizePrecision, instrument.pricePrecision), origin: by, status: 'RUNNING', reason: undefined };
    // The child template is checked once, now, so a bad side, strategy id or sender fails the start, not slice 3.
    const template = createOrderSpec(childRequest(a, `${parentId}-1`, plan.quantity, plan.kind === 'ICEBERG' ? { type: 'LIMIT', price: plan.price } : plan.order), instrument, now);
    requireSubmitter(template, by, this.engine.authority);
    // Durable before anything is sent: a child in the journal always has its algorithm there.
    const nativeIceberg = plan.kind === 'ICEBERG' && plan.native;
    await this.record({ kind: 'AlgoStarted', parentId, algo: plan.kind, request: journaledRequest(req, plan), origin: originText(by), nativeIceberg, ...this.ts() });
    this.algos.set(parentId, a);
    this.watchPrices();
    this.decideSoon();
    await this.idle();
    return parentId;
  }

  /** Stops the algorithm (CANCELED) and cancels its working children. False when it was not running. */
  async cancel(parentId: string): Promise<boolean> {
    const a = this.algo(parentId);
    if (a.status !== 'RUNNING') return false;
    await this.end(a, 'CANCELED', 'CANCELED');
    this.steps.push(() => this.cancelWorking(a));
    await this.idle();
    return true;
  }

  /**
   * After a restart (Engine.recover or fromJournal), before reconciling with the venues: takes back
   * every algorithm the journal has running. Each one's children are rebuilt from the journal (the
   * slices it sent, the cancels it asked for, every fill), then the restart rule (resume.ts) says
   * whether it resumes (slices missed while down spread over those to come, journaled as
   * AlgoResumed) or is canceled with an ALGO_HORIZON_PASSED alert (its horizon ended while down).
   * Its children go out as the origin that started it; an operator's credential died with the old
   * process, so an operator's algorithm goes on as SYSTEM. One that cannot be rebuilt is FAILED
   * with ALGO_NOT_RECOVERED, never silently dropped. Nothing is sent here but the cancels of the
   * rule: the next price, child event or `tick()` makes the first decision, so fills that
   * reconciliation brings reach the algorithm first.
   */
  async recover(): Promise<AlgoRecovery> {
    const records = this.engine.state.algos.running();
    const out: { resumed: string[]; stopped: { parentId: string; status: AlgoEndStatus; reason: string }[] } = { resumed: [], stopped: [] };
    if (records.length === 0) return out;
    const rebuilt = new Map<string, { request: AlgoRequest; instrument: Instrument }>();
    const failed = new Map<string, string>();
    for (const r of records) {
      try {
        const request = requestFromText(r.request, r.parentId);
        rebuilt.set(r.parentId, { request, instrument: this.engine.instrument(request.instrumentId) });
      } catch (e) {
        failed.set(r.parentId, (e as Error).message);
      }
    }
    const precisions = new Map([...rebuilt].map(([id, x]) => [id, { sizePrecision: x.instrument.sizePrecision, pricePrecision: x.instrument.pricePrecision }]));
    const ledgers = await replayLedgers(this.engine.journal, precisions);
    const now = this.engine.now();
    for (const r of records) {
      const x = rebuilt.get(r.parentId);
      const ledger = ledgers.get(r.parentId);
      let a: Algo;
      try {
        if (!x || !ledger) throw new Error(failed.get(r.parentId) ?? 'its start is not in the journal');
        a = { request: x.request, plan: recoveredPlan(r, x.request, x.instrument), instrument: x.instrument, ledger, origin: originFromText(r.origin) ?? SYSTEM, status: 'RUNNING', reason: undefined };
      } catch (e) {
        await this.endRecord(r.parentId, 'FAILED', 'NOT_RECOVERED');
        this.alert('ALGO_NOT_RECOVERED', `${r.parentId}: could not be rebuilt after the restart (${(e as Error).message}); stopped, its children left as they are`, { parentId: r.parentId });
        out.stopped.push({ parentId: r.parentId, status: 'FAILED', reason: 'NOT_RECOVERED' });
        continue;
      }
      this.algos.set(r.parentId, a);
      this.watchPrices();
      for (const c of ledger.children) this.parentOf.set(c.clientOrderId, a);
      const v = resumption(a.plan, ledger, now, a.instrument);
      if (v.do === 'cancel') {
        await this.end(a, 'CANCELED', v.reason);
        this.alert(v.alert.code, v.alert.message, { parentId: r.parentId, reason: v.reason });
        this.steps.push(() => this.cancelWorking(a));
        out.stopped.push({ parentId: r.parentId, status: 'CANCELED', reason: v.reason });
        continue;
      }
      if (v.slices && a.plan.kind !== 'ICEBERG') a.plan = { ...a.plan, slices: v.slices };
      await this.record({ kind: 'AlgoResumed', parentId: r.parentId, slices: v.slices?.map((q) => q.toString()), ...this.ts() });
      out.resumed.push(r.parentId);
    }
    return out;
  }

  progress(parentId: string): AlgoProgress {
    const a = this.algo(parentId);
    const l = a.ledger;
    return {
      parentId,
      kind: a.request.kind,
      status: a.status,
      reason: a.reason,
      quantity: a.plan.quantity,
      filled: l.filled,
      working: l.workingQuantity,
      averagePrice: l.averagePrice,
      slicesSent: l.children.length,
      slicesFilled: l.filledCount,
      children: l.children.map((c) => c.clientOrderId),
    };
  }

  /** Algorithms still running. */
  running(): string[] {
    return [...this.algos.entries()].filter(([, a]) => a.status === 'RUNNING').map(([id]) => id);
  }

  private hasRunning(): boolean {
    // Asked for every price: with no algorithm (most of a backtest), no iterator is made.
    if (this.algos.size === 0) return false;
    for (const a of this.algos.values()) if (a.status === 'RUNNING') return true;
    return false;
  }

  /** Decides now for every running algorithm (the clock moved without a price), and waits for the actions. */
  async tick(): Promise<void> {
    this.decideSoon();
    await this.idle();
  }

  /** Nothing queued: idle() would return at once. */
  get quiet(): boolean {
    return !this.steps.busy;
  }

  /** Resolves when every decision asked for so far has been made and carried out. */
  idle(): Promise<void> {
    return this.steps.idle();
  }

  // ---- deciding and acting ----

  /** One decision round queued at a time: many events before it runs need only one look. */
  private decideSoon(): void {
    if (this.decisionQueued) return;
    this.decisionQueued = true;
    this.steps.push(async () => {
      this.decisionQueued = false;
      for (const a of this.algos.values()) if (a.status === 'RUNNING') await this.decideAndAct(a);
    });
  }

  private async decideAndAct(a: Algo): Promise<void> {
    const now = this.engine.now();
    const actions = a.plan.kind === 'ICEBERG' ? decideIceberg(a.plan, a.ledger) : decideScheduled(a.plan, a.ledger, now);
    for (const act of actions) {
      if (a.status !== 'RUNNING') return;
      await this.act(a, act);
    }
  }

  private async act(a: Algo, action: AlgoAction): Promise<void> {
    switch (action.do) {
      case 'submit':
        return this.submit(a, action.slice, action.quantity, action.order);
      case 'cancel':
        return this.cancelChild(a, action.clientOrderId);
      case 'stop':
        // Already ended (canceled while a child was on its way): the first end stands.
        if (a.status !== 'RUNNING') return;
        await this.end(a, action.status, action.reason);
        if (action.alert) this.alert(action.alert.code, action.alert.message, { parentId: a.request.parentId, reason: action.reason });
        if (action.status === 'FAILED') await this.cancelWorking(a);
        return;
    }
  }

  private async submit(a: Algo, slice: number, quantity: Quantity, order: ChildOrder): Promise<void> {
    const id = `${a.request.parentId}-${a.ledger.children.length + 1}`;
    a.ledger.add(id, slice, quantity);
    this.parentOf.set(id, a);
    let r: CommandResult;
    try {
      await this.record({ kind: 'AlgoSliceSent', parentId: a.request.parentId, clientOrderId: clientOrderId(id), slice, quantity, ...this.ts() });
      r = await this.engine.submitOrder(childRequest(a, id, quantity, order), a.origin);
    } catch (e) {
      const err = e as WardenError;
      a.ledger.abandon(id, err.code ?? 'SUBMIT_FAILED', err.message);
      await this.act(a, { do: 'stop', status: 'FAILED', reason: err.code ?? 'SUBMIT_FAILED', alert: { code: 'ALGO_CHILD_REFUSED', message: `${a.request.parentId}: child ${id} refused: ${err.message}` } });
      return;
    }
    // The OrderDenied event has reached the ledger already; stop at once rather than at the next look.
    const d = r.denied[0];
    if (d) await this.act(a, { do: 'stop', status: 'FAILED', reason: d.code, alert: { code: 'ALGO_CHILD_DENIED', message: `${a.request.parentId}: child ${id} denied: ${d.code} ${d.reason}` } });
  }

  private async cancelChild(a: Algo, id: string): Promise<void> {
    const child = a.ledger.children.find((c) => c.clientOrderId === id);
    if (!child || child.end || child.cancelRequested) return;
    child.cancelRequested = true;
    // Filled or closed meanwhile: nothing to cancel (a fill still arriving is counted when it does).
    if (!this.engine.order(id)?.isOpen) return;
    try {
      // Only a running algorithm is taken back after a restart; an ended one's cancels need no record.
      if (this.engine.state.algos.isRunning(a.request.parentId)) {
        await this.record({ kind: 'AlgoChildCancelRequested', parentId: a.request.parentId, clientOrderId: clientOrderId(id), ...this.ts() });
      }
      await this.engine.cancelOrder(id, a.origin);
    } catch (e) {
      this.alert('ALGO_CANCEL_FAILED', `${a.request.parentId}: cancel of child ${id} failed: ${(e as Error).message}`, { parentId: a.request.parentId, clientOrderId: id });
    }
  }

  private async cancelWorking(a: Algo): Promise<void> {
    for (const c of a.ledger.working()) await this.cancelChild(a, c.clientOrderId);
  }

  /** Ends a running algorithm, in memory at once and in the journal. */
  private async end(a: Algo, status: AlgoEndStatus, reason: string): Promise<void> {
    a.status = status;
    a.reason = reason;
    const parentId = a.request.parentId;
    try {
      await this.record({ kind: 'AlgoEnded', parentId, status, reason, ...this.ts() });
    } catch (e) {
      this.alert('ALGO_NOT_JOURNALED', `${parentId}: its end (${status} ${reason}) was not journaled: ${(e as Error).message}`, { parentId });
    }
  }

  /** An end journaled for an algorithm with no Algo here (one that could not be rebuilt). */
  private async endRecord(parentId: string, status: AlgoEndStatus, reason: string): Promise<void> {
    await this.record({ kind: 'AlgoEnded', parentId, status, reason, ...this.ts() });
  }

  private record(e: AlgoEvent): Promise<void> {
    return this.engine.recordAlgos([e]);
  }

  private ts(): { tsEvent: number; tsInit: number } {
    const t = this.engine.now();
    return { tsEvent: t, tsInit: t };
  }

  private algo(parentId: string): Algo {
    const a = this.algos.get(parentId);
    if (!a) throw new LookupError('UNKNOWN_ORDER', `no execution algorithm ${shown(parentId)}`, { field: 'parentId', input: shown(parentId) });
    return a;
  }

  private alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.engine.bus.publish('alert', { code, message, context, ts: this.engine.now() });
  }
}

/** The plan it was started with (planned again at its start time), with the slices a restart gave it. */
function recoveredPlan(r: AlgoRecord, request: AlgoRequest, instrument: Instrument): AlgoPlan {
  const plan = planOf(request, instrument, r.startedAt, r.nativeIceberg);
  if (r.slices === undefined || plan.kind === 'ICEBERG') return plan;
  if (r.slices.length !== plan.slices.length) throw new Error(`its resumed schedule has ${r.slices.length} slices, its plan ${plan.slices.length}`);
  return { ...plan, slices: r.slices.map((q) => instrument.quantity(q, 'slices')) };
}

function childRequest(a: Algo, id: string, quantity: Quantity, order: ChildOrder): OrderRequest {
  const r = a.request;
  return {
    clientOrderId: id,
    accountId: r.accountId,
    ...(r.strategyId !== undefined ? { strategyId: r.strategyId } : {}),
    instrumentId: a.instrument.id,
    side: r.side,
    quantity,
    ...(order.type === 'LIMIT'
      ? { type: 'LIMIT', price: order.price, ...(order.displayQuantity !== undefined ? { displayQuantity: order.displayQuantity } : {}) }
      : { type: 'MARKET' }),
    parentOrderId: r.parentId,
    tags: [ALGO_TAG, `${ALGO_TAG}:${r.kind}`, ...(r.tags ?? [])],
  };
}
