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
 * Algorithm state lives in memory only: it is not journaled, so a restart forgets running
 * algorithms (their children are journaled orders like any other and are recovered as such).
 * Journaling the algorithm state is future work.
 */
import type { CommandResult, Engine } from '../engine/engine.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import { requireSubmitter } from '../engine/order-authority.ts';
import { SYSTEM, type Origin } from '../engine/origin.ts';
import { SerialQueue } from '../engine/serial-queue.ts';
import { LookupError, shown, ValidationError, type ErrorContext, type WardenError } from '../model/errors.ts';
import { accountId } from '../model/identifiers.ts';
import type { Instrument } from '../model/instrument.ts';
import { createOrderSpec, type OrderRequest } from '../model/orders/factory.ts';
import type { Quantity } from '../model/values.ts';
import { ChildLedger } from './children.ts';
import { decideIceberg, planIceberg, type IcebergPlan } from './iceberg.ts';
import { decideScheduled, type ScheduledPlan } from './schedule.ts';
import { planTwap } from './twap.ts';
import { ALGO_TAG, type AlgoAction, type AlgoProgress, type AlgoRequest, type AlgoStatus, type ChildOrder } from './types.ts';
import { planVwap } from './vwap.ts';

export interface ExecutionAlgorithmsOptions {
  /** Venues with native icebergs: an ICEBERG there is one LIMIT order with a display quantity. Others are sliced here. */
  readonly nativeIcebergVenues?: readonly string[];
}

type AlgoPlan = ScheduledPlan | IcebergPlan;

interface Algo {
  readonly request: AlgoRequest;
  readonly plan: AlgoPlan;
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

  constructor(
    private readonly engine: Engine,
    private readonly opts: ExecutionAlgorithmsOptions = {},
  ) {
    const bus = engine.bus;
    this.unsubscribe = [
      // Prices only move the clock for running algorithms: with none, nothing is queued.
      bus.subscribe('market', () => this.hasRunning() && this.decideSoon()),
      bus.subscribe('bar', () => this.hasRunning() && this.decideSoon()),
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
  }

  /**
   * Validates the request, starts the algorithm and carries out its first decision (a TWAP whose
   * start is now sends its first slice before this resolves). Bad input rejects with a typed
   * WardenError and starts nothing. Resolves to the parent id. `origin`: who starts it.
   */
  async start(req: AlgoRequest, origin: Origin = SYSTEM): Promise<string> {
    const parentId = req.parentId;
    if (typeof parentId !== 'string' || parentId === '') throw new ValidationError('INVALID_FIELD', `parentId must be a non-empty string, got ${shown(parentId)}`, { field: 'parentId' });
    if (this.algos.has(parentId) || this.engine.order(`${parentId}-1`)) {
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
    this.algos.set(parentId, a);
    this.decideSoon();
    await this.idle();
    return parentId;
  }

  /** Stops the algorithm (CANCELED) and cancels its working children. False when it was not running. */
  async cancel(parentId: string): Promise<boolean> {
    const a = this.algo(parentId);
    if (a.status !== 'RUNNING') return false;
    a.status = 'CANCELED';
    a.reason = 'CANCELED';
    this.steps.push(() => this.cancelWorking(a));
    await this.idle();
    return true;
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
    for (const a of this.algos.values()) if (a.status === 'RUNNING') return true;
    return false;
  }

  /** Decides now for every running algorithm (the clock moved without a price), and waits for the actions. */
  async tick(): Promise<void> {
    this.decideSoon();
    await this.idle();
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
        a.status = action.status;
        a.reason = action.reason;
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
      await this.engine.cancelOrder(id, a.origin);
    } catch (e) {
      this.alert('ALGO_CANCEL_FAILED', `${a.request.parentId}: cancel of child ${id} failed: ${(e as Error).message}`, { parentId: a.request.parentId, clientOrderId: id });
    }
  }

  private async cancelWorking(a: Algo): Promise<void> {
    for (const c of a.ledger.working()) await this.cancelChild(a, c.clientOrderId);
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

function planOf(req: AlgoRequest, instrument: Instrument, now: number, nativeIceberg: boolean): AlgoPlan {
  switch (req.kind) {
    case 'TWAP':
      return planTwap(req, instrument, now);
    case 'VWAP':
      return planVwap(req, instrument, now);
    case 'ICEBERG':
      return planIceberg(req, instrument, nativeIceberg);
    default: {
      const kind: unknown = (req as { kind?: unknown }).kind;
      throw new ValidationError('INVALID_FIELD', `kind must be TWAP, VWAP or ICEBERG, got ${shown(kind)}`, { field: 'kind', input: shown(kind) });
    }
  }
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
