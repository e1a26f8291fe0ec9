import type { Engine } from '../engine/engine.ts';
import type { AlertCode } from '../engine/alert-codes.ts';
import { RISK_CONTROL } from '../engine/origin.ts';
import { FLATTEN_TAG, type RiskControl } from '../risk/control/risk-control.ts';
import type { DeadOrderReport } from '../engine/dead-orders.ts';
import type { EngineAlert } from '../engine/topics.ts';
import type { VenueQueries } from '../engine/venue.ts';
import type { ErrorContext, WardenError } from '../model/errors.ts';
import type { ClientOrderId, VenueId } from '../model/identifiers.ts';
import type { OrderEvent } from '../model/orders/events.ts';
import type { Order } from '../model/orders/order.ts';
import type { RiskScope } from '../engine/risk-state/events.ts';
import { DEFAULT_CHASE_POLICY, decideChase, signalOf, signalOfDeadOrder, startChase, type Chase, type ChaseDecision, type ChasePolicy, type ChaseSignal } from './cancel-chase.ts';
import type { Timer } from './timer.ts';

export interface CancelChaserOptions {
  /** Backoffs and deadlines wait on it (a ManualTimer in tests, RealTimer live); the chaser never reads the system time. */
  readonly timer: Timer;
  readonly policy?: Partial<ChasePolicy>;
  /**
   * A venue's queries, to learn what an order we do not know is (its instrument, its fills) before
   * adopting and canceling it under the kill switch. Absent, or undefined for that venue: alerted only.
   */
  readonly queries?: (venue: VenueId) => VenueQueries | undefined;
}

/** Reports that say an order is working at the venue. */
const WORKING_REPORTS: ReadonlySet<string> = new Set(['OrderAccepted', 'OrderTriggered', 'OrderUpdated', 'OrderFilled']);

/**
 * Sees to it that an order risk control canceled ends up dead (issue 11 item 10). Works on the
 * engine, with or without an Executor under it: it listens to order events and the engine's
 * VENUE_CALL_FAILED alerts, and cancels through `engine.cancelOrder`. The decisions are
 * cancel-chase.ts's; this only keeps one chase and one timer per order and performs the steps.
 *
 * Chased: the open orders in the scope of every risk cancel (kill switch, a breaker with
 * cancelOrders), told by RiskControl before the cancel goes out; after a restart with the kill
 * switch engaged, every open order but the flatten orders; and, while the kill switch is engaged,
 * an order the venue reports that we did not know (adopted as external, then canceled).
 */
export class CancelChaser {
  private readonly policy: ChasePolicy;
  /** `atVenue`: the order is closed in our books (dead-orders.ts), so its cancels go straight to the venue and its signals come from `deadOrder`. */
  private readonly chases = new Map<ClientOrderId, { chase: Chase; stopTimer: (() => void) | undefined; atVenue: boolean }>();
  private readonly adopting = new Set<string>();
  private listening = false;
  private started = false;

  constructor(
    private readonly engine: Engine,
    private readonly opts: CancelChaserOptions,
  ) {
    this.policy = { ...DEFAULT_CHASE_POLICY, ...opts.policy };
  }

  /**
   * Starts listening (once; see `listen`), then, with the kill switch engaged (a restart), chases
   * every open order but the flatten orders. Call after recovery and reconciliation.
   */
  start(control?: RiskControl): void {
    this.listen(control);
    if (this.started) return;
    this.started = true;
    if (this.engine.risk.killSwitch) {
      // The kill switch survived a restart: whatever still works at the venue dies, but not its own flatten orders.
      for (const o of [...this.engine.openOrders()]) if (!o.spec.tags.includes(FLATTEN_TAG)) this.chase(o.clientOrderId, 'kill switch engaged', false);
    }
  }

  /**
   * Starts listening (once) to order events and alerts, and with `control`, chases what its
   * cancels target; nothing is sent yet. For a stack built before its venues are added (a
   * restart): `start` follows once they are reconciled.
   */
  listen(control?: RiskControl): void {
    if (this.listening) return;
    this.listening = true;
    this.engine.bus.subscribe('order', (e) => this.onOrderEvent(e));
    this.engine.bus.subscribe('alert', (a) => this.onAlert(a));
    this.engine.bus.subscribe('deadOrder', (r) => this.onDeadOrder(r));
    control?.onRiskCancel((scope) => this.chaseScope(scope, scope === 'FIRM' ? 'risk cancel of everything' : `risk cancel of ${scope}`, true));
  }

  /** Chases every open order in `scope`. `cancelSent`: the caller is sending their cancels itself (only the answers are awaited). */
  chaseScope(scope: RiskScope, why: string, cancelSent: boolean): void {
    for (const o of [...this.engine.openOrders()]) if (this.inScope(o, scope)) this.chase(o.clientOrderId, why, cancelSent);
  }

  /**
   * Chases one order until the venue confirms it dead; nothing when it is chased already.
   * `atVenue`: an order closed in our books that the venue has working: canceled with
   * engine.cancelAtVenue. Started by itself from the engine's `deadOrder` reports.
   */
  chase(id: ClientOrderId, why: string, cancelSent: boolean, atVenue = false): void {
    if (this.chases.has(id)) return;
    this.apply(id, startChase(id, why, cancelSent, this.policy), atVenue);
  }

  /** The orders being chased, oldest first. */
  get chasing(): readonly ClientOrderId[] {
    return [...this.chases.keys()];
  }

  // ---- signals ----

  private onOrderEvent(e: OrderEvent): void {
    const entry = this.chases.get(e.clientOrderId);
    // A late fill of a dead order is an order event on a closed order: its chase listens to `deadOrder` instead.
    if (!entry || entry.atVenue) return;
    const s = signalOf(e, this.engine.order(e.clientOrderId)?.isOpen ?? false);
    if (s) this.signal(e.clientOrderId, s);
  }

  private onAlert(a: EngineAlert): void {
    const id = a.context.clientOrderId;
    if (typeof id !== 'string') return;
    if (a.code === 'VENUE_CALL_FAILED' && a.context.call === 'cancel' && this.chases.has(id as ClientOrderId)) {
      this.signal(id as ClientOrderId, { kind: 'CANCEL_FAILED', reason: a.message });
    } else if (a.code === 'UNKNOWN_ORDER' && this.engine.risk.killSwitch && WORKING_REPORTS.has(String(a.context.kind)) && typeof a.context.venue === 'string') {
      this.adoptAndChase(a.context.venue as VenueId, id as ClientOrderId);
    }
  }

  /** The venue has an order we hold closed working (killed at the venue), confirms it dead, or refused its cancel. */
  private onDeadOrder(r: DeadOrderReport): void {
    const id = r.clientOrderId;
    const entry = this.chases.get(id);
    if (entry && !entry.atVenue) {
      // A risk chase whose order closed here: the venue is what matters now.
      entry.stopTimer?.();
      this.chases.delete(id);
    }
    if (!entry?.atVenue) {
      if (r.verdict.do === 'KILL') this.chase(id, `${this.engine.order(id)?.status ?? 'closed'} in our books`, false, true);
      return;
    }
    if (r.verdict.do !== 'CANCEL_REFUSED') return this.signal(id, signalOfDeadOrder(r.verdict, false));
    const q = this.opts.queries?.(r.venue);
    if (!q) {
      this.alert('DEAD_ORDER_CANCEL_REFUSED', `venue ${r.venue} refused the cancel of ${id} (${r.verdict.reason}) and cannot be asked: taken as gone, check the venue`, { venue: r.venue, clientOrderId: id });
      return this.signal(id, signalOfDeadOrder(r.verdict, false));
    }
    const verdict = r.verdict;
    q.orderStatus(id)
      .then((s) => this.signal(id, signalOfDeadOrder(verdict, s?.status === 'OPEN')))
      .catch((e: unknown) => this.signal(id, { kind: 'CANCEL_FAILED', reason: `refused, and its status unknown: ${(e as Error)?.message ?? String(e)}` }));
  }

  private signal(id: ClientOrderId, s: ChaseSignal): void {
    const entry = this.chases.get(id);
    if (entry) this.apply(id, decideChase(entry.chase, s, this.policy));
  }

  // ---- performing ----

  private apply(id: ClientOrderId, d: ChaseDecision, atVenue = false): void {
    const entry = this.chases.get(id);
    if (d.next) {
      if (entry) entry.chase = d.next;
      else this.chases.set(id, { chase: d.next, stopTimer: undefined, atVenue });
    }
    for (const step of d.steps) {
      switch (step.do) {
        case 'WAKE': {
          const e = this.chases.get(id);
          if (!e) break;
          e.stopTimer?.();
          e.stopTimer = this.opts.timer.schedule(step.inMs, () => this.signal(id, { kind: step.as }));
          break;
        }
        case 'SEND':
          this.send(id);
          break;
        case 'ALERT':
          // The engine alerts every report of a dead order working itself.
          if (!(step.code === 'DEAD_ORDER_WORKING' && this.chases.get(id)?.atVenue)) this.alert(step.code, step.message, { clientOrderId: id });
          break;
        case 'FORGET':
          this.chases.get(id)?.stopTimer?.();
          this.chases.delete(id);
          break;
      }
    }
  }

  /** Not from inside the engine's fold or a venue's callback (the venue may be placing the order right now): on the next microtask. */
  private send(id: ClientOrderId): void {
    const atVenue = this.chases.get(id)?.atVenue ?? false;
    void Promise.resolve()
      .then(async () => {
        if (atVenue) await this.engine.cancelAtVenue(id);
        else await this.engine.cancelOrder(id, RISK_CONTROL);
      })
      .catch((e: unknown) => {
        const code = (e as WardenError)?.code;
        // ILLEGAL_TRANSITION: an order chased at the venue is no longer closed unfilled here (nothing left to kill).
        if (code === 'ORDER_NOT_OPEN' || code === 'UNKNOWN_ORDER' || code === 'ILLEGAL_TRANSITION') this.signal(id, { kind: 'CLOSED' });
        else this.signal(id, { kind: 'CANCEL_FAILED', reason: `not sent: ${(e as Error)?.message ?? String(e)}` });
      });
  }

  /** An order we did not know is working while the kill switch is engaged: adopted (with its fills), then chased. */
  private adoptAndChase(venue: VenueId, id: ClientOrderId): void {
    if (this.adopting.has(id) || this.engine.order(id)) return;
    const q = this.opts.queries?.(venue);
    if (!q) {
      this.alert('UNKNOWN_ORDER_NOT_CANCELED', `venue ${venue} reports order ${id}, unknown to us, under the kill switch; it cannot be queried, so it is not canceled`, { venue, clientOrderId: id });
      return;
    }
    this.adopting.add(id);
    const adopt = async (): Promise<void> => {
      const status = await q.orderStatus(id);
      if (!status || this.engine.order(id)) return;
      await this.engine.adoptExternalOrder(status.spec, status.venueOrderId);
      for (const f of await q.fillsSince(this.engine.now() - 86_400_000)) if (f.clientOrderId === id) this.engine.applyVenueReport(venue, f);
      if (this.engine.order(id)?.isOpen) this.chase(id, 'unknown order working under the kill switch', false);
    };
    adopt()
      .catch((e: unknown) => this.alert('UNKNOWN_ORDER_NOT_CANCELED', `order ${id} at ${venue}, unknown to us under the kill switch, could not be adopted: ${(e as Error)?.message ?? String(e)}`, { venue, clientOrderId: id }))
      .finally(() => this.adopting.delete(id));
  }

  private inScope(o: Order, scope: RiskScope): boolean {
    if (scope === 'FIRM') return true;
    if (scope.startsWith('ACCOUNT:')) return o.spec.accountId === scope.slice(8);
    if (scope.startsWith('STRATEGY:')) return o.spec.strategyId === scope.slice(9);
    return this.engine.instrument(o.instrumentId).venue === scope.slice(6);
  }

  private alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.engine.bus.publish('alert', { code, message, context, ts: this.engine.now() });
  }
}
