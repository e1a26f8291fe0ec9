import { StateError, type ErrorContext } from '../../model/errors.ts';
import { accountId, strategyId, type ClientOrderId } from '../../model/identifiers.ts';
import type { RiskAction } from '../actions.ts';
import { FLATTEN_TAG } from '../../engine/reserved-tags.ts';
import type { RiskMonitor } from '../breakers/monitor.ts';
import { breakerStatus, type BreakerBoard } from '../breakers/status.ts';
import type { RiskEvent, RiskScope, TradingState } from '../../engine/risk-state/events.ts';
import type { BreakerStatus } from '../../engine/risk-state/risk-state.ts';
import type { Command } from '../../engine/commands.ts';
import type { Engine } from '../../engine/engine.ts';
import { operatorOrigin, RISK_CONTROL, type Operator } from '../../engine/origin.ts';
import { SerialQueue } from '../../engine/serial-queue.ts';
import { requireOperatorRequest, requireScope, requireText, requireTradingStateRequest } from '../../engine/input-guards.ts';
import { EngineState } from '../../engine/state.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import type { Position } from '../../portfolio/position.ts';
import { sellableOf } from '../../portfolio/sellable.ts';
import type { Quantity } from '../../model/values.ts';
import type { AlertCode } from '../../engine/alert-codes.ts';

export { FLATTEN_TAG };

/** The gate's message rates (RiskGate): whether a strategy is beyond hard_limit_multiple × a throttle. */
export interface MessageRates {
  hardLimitBreached(strategyId: string, now: number): boolean;
}

export interface RiskStatus {
  readonly killSwitch: { operator: string; reason: string; since: number } | undefined;
  readonly tradingStates: readonly { scope: RiskScope; state: TradingState }[];
  readonly breakers: readonly (BreakerStatus & { msToReset: number | undefined })[];
}

/**
 * The thin layer that carries out risk decisions: it runs the monitors (circuit breakers) on
 * journaled events, market data and time, journals what they decide, cancels and flattens; and it
 * is the operator's door to trading states, breaker resets and the kill switch. That door takes an
 * Operator credential issued by the node's OperatorAuthority (engine.authority) and checks its
 * role here; the engine checks the journaled events again (riskEventRefusal), so nothing reaches
 * the journal by another way. A strategy has no door here at all.
 */
export class RiskControl {
  private readonly steps = new SerialQueue((e: unknown) => this.alert('RISK_ACTION_FAILED', `risk action failed: ${(e as Error).message}`, {}));
  private flattenSeq = 0;
  private started = false;
  private readonly cancelWatchers: ((scope: RiskScope) => void)[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly monitors: readonly RiskMonitor[] = [],
    private readonly rates?: MessageRates,
  ) {}

  /** Rebuilds monitors' running figures from the journal, then starts watching. Call once, before trading. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // Replay against a state folded alongside, so a monitor sees each record with the state as of
    // that record (equity then, the position a fill closed), not the engine's final state.
    if (this.monitors.some((m) => typeof m.onRecord === 'function')) {
      const past = new EngineState({ overfillPolicy: this.engine.state.overfillPolicy, markPriceType: this.engine.portfolio.markPriceType });
      let at = 0;
      const view: RiskView = {
        portfolio: past.portfolio,
        risk: past.risk,
        markets: past.markets,
        openOrders: () => past.openOrders.values(),
        order: (id) => past.orders.get(id as ClientOrderId),
        now: () => at,
      };
      for await (const stored of this.engine.journal.read(1)) {
        const event = past.current(stored.event);
        const r = event === stored.event ? stored : { ...stored, event };
        past.apply(event);
        at = event.tsInit;
        for (const m of this.monitors) m.onRecord?.(r, view);
      }
    }
    // Per-event paths without a closure per event (they run for every record, price and bar).
    this.engine.bus.subscribe('record', (r) => {
      for (const m of this.monitors) if (m.onRecord) this.act(m.onRecord(r, this.engine));
    });
    this.engine.bus.subscribe('market', (u) => {
      for (const m of this.monitors) if (m.onMarket) this.act(m.onMarket(u, this.engine));
    });
    this.engine.bus.subscribe('bar', (b) => {
      for (const m of this.monitors) if (m.onBar) this.act(m.onBar(b, this.engine));
    });
    if (this.monitors.some((m) => typeof m.onAlert === 'function')) this.engine.bus.subscribe('alert', (a) => this.run((m) => m.onAlert?.(a, this.engine)));
    // FAULTS 10: a burst beyond the gate's hard limit halts the strategy, not just the order.
    this.engine.bus.subscribe('order', (e) => {
      if (e.kind === 'OrderDenied' && e.context.halt === true) this.haltForRate(e.clientOrderId, e.reason);
    });
    // A throttled modify carries no verdict context: the gate's rates say whether it went past the
    // hard limit. On the record, so the gate has counted this very request.
    const rates = this.rates;
    if (rates) {
      this.engine.bus.subscribe('record', ({ event: e }) => {
        if (e.kind !== 'OrderModifyRejected' || !e.reason.startsWith('RATE_LIMIT_EXCEEDED')) return;
        const strategy = this.engine.order(e.clientOrderId)?.spec.strategyId;
        if (strategy && rates.hardLimitBreached(strategy, e.tsInit)) this.haltForRate(e.clientOrderId, e.reason);
      });
    }
  }

  private haltForRate(id: ClientOrderId, reason: string): void {
    const strategy = this.engine.order(id)?.spec.strategyId;
    if (!strategy || this.engine.risk.stateOf(`STRATEGY:${strategy}`) === 'HALTED') return;
    this.steps.push(() => this.halt(`STRATEGY:${strategy}`, `message rate beyond the hard limit: ${reason}`));
  }

  /** Time passes: auto-resets, day boundaries. A backtest calls it per bar, a live engine on a timer. */
  tick(): Promise<void> {
    this.run((m) => m.onTime?.(this.engine.now(), this.engine));
    return this.idle();
  }

  /** No action queued: idle() would resolve at once. */
  get quiet(): boolean {
    return !this.steps.busy;
  }

  /** Resolves when every action decided so far has been carried out. */
  idle(): Promise<void> {
    return this.steps.current;
  }

  private run(decide: (m: RiskMonitor) => readonly RiskAction[] | undefined): void {
    for (const m of this.monitors) this.act(decide(m));
  }

  private act(actions: readonly RiskAction[] | undefined | void): void {
    if (actions && actions.length > 0) for (const a of actions) this.steps.push(() => this.perform(a));
  }


  private async perform(a: RiskAction): Promise<void> {
    const t = this.engine.now();
    switch (a.do) {
      case 'alert':
        this.alert(a.code, a.message, a.context);
        return;
      case 'reset': {
        if (this.engine.risk.breaker(a.breaker, a.scope)?.state !== 'OPEN') return;
        await this.engine.recordRisk([{ kind: 'BreakerReset', breaker: a.breaker, scope: a.scope, source: 'AUTO', operator: undefined, tsEvent: t, tsInit: t }], RISK_CONTROL);
        this.alert('BREAKER_RESET', `${a.breaker} on ${a.scope} reset automatically`, { breaker: a.breaker, scope: a.scope });
        return;
      }
      case 'trip': {
        if (this.engine.risk.breaker(a.breaker, a.scope)?.state === 'OPEN') return;
        await this.engine.recordRisk([
          { kind: 'BreakerTripped', breaker: a.breaker, scope: a.scope, value: a.value, threshold: a.threshold, action: a.action, autoResetAt: a.autoResetAt, message: a.message, tsEvent: t, tsInit: t },
        ], RISK_CONTROL);
        this.alert('BREAKER_TRIPPED', `${a.breaker} tripped on ${a.scope}: ${a.message}`, { breaker: a.breaker, scope: a.scope, value: a.value, threshold: a.threshold, action: a.action });
        if (a.cancelOrders) await this.cancelScope(a.scope);
        if (a.flatten) await this.flattenScope(a.scope);
        return;
      }
    }
  }

  // ---- the operator's door ----

  /** An operator (RISK role) sets a scope's trading state, tighter or looser; it then stays until an operator changes it. */
  async setTradingState(scope: RiskScope, state: TradingState, by: { operator: Operator; reason: string }): Promise<void> {
    requireTradingStateRequest(scope, state, by);
    const op = this.engine.authority.verify(by.operator, 'RISK', `setting ${scope} to ${state}`);
    const t = this.engine.now();
    await this.engine.recordRisk([{ kind: 'TradingStateChanged', scope, state, source: 'OPERATOR', reason: by.reason, tsEvent: t, tsInit: t }], operatorOrigin(op));
    this.alert('TRADING_STATE_CHANGED', `${scope} is ${state} (OPERATOR ${op.identity}: ${by.reason})`, { scope, state, source: 'OPERATOR', operator: op.identity });
  }

  /** Risk control's own halt (a breaker's doing): only an operator lifts it. */
  private async halt(scope: RiskScope, reason: string): Promise<void> {
    const t = this.engine.now();
    await this.engine.recordRisk([{ kind: 'TradingStateChanged', scope, state: 'HALTED', source: 'BREAKER', reason, tsEvent: t, tsInit: t }], RISK_CONTROL);
    this.alert('TRADING_STATE_CHANGED', `${scope} is HALTED (BREAKER: ${reason})`, { scope, state: 'HALTED', source: 'BREAKER' });
  }

  /**
   * Cancels every working order on every venue, halts everything, and (if asked) flattens every
   * position. It survives a restart (it is journaled). A failed cancel is retried once and reported.
   */
  async engageKillSwitch(by: { operator: Operator; reason: string; flatten?: boolean }): Promise<void> {
    requireOperatorRequest(by);
    // Engaging only tightens: a trader (TRADE) may pull it as well as risk (RISK); only RISK lifts it.
    const op = by.operator.roles?.includes('RISK') ? this.engine.authority.verify(by.operator, 'RISK', 'engaging the kill switch') : this.engine.authority.verify(by.operator, 'TRADE', 'engaging the kill switch');
    const t = this.engine.now();
    if (!this.engine.risk.killSwitch) {
      await this.engine.recordRisk([{ kind: 'KillSwitchEngaged', operator: op.identity, reason: by.reason, flatten: by.flatten ?? false, tsEvent: t, tsInit: t }], operatorOrigin(op));
    }
    this.alert('KILL_SWITCH_ENGAGED', `kill switch engaged by ${op.identity}: ${by.reason}`, { operator: op.identity });
    await this.cancelScope('FIRM');
    if (by.flatten) await this.flattenScope('FIRM');
  }

  /** Only an operator with the RISK role lifts the kill switch. */
  async resetKillSwitch(by: { operator: Operator; reason: string }): Promise<void> {
    requireOperatorRequest(by);
    const op = this.engine.authority.verify(by.operator, 'RISK', 'lifting the kill switch');
    if (!this.engine.risk.killSwitch) return;
    const t = this.engine.now();
    await this.engine.recordRisk([{ kind: 'KillSwitchReset', operator: op.identity, reason: by.reason, tsEvent: t, tsInit: t }], operatorOrigin(op));
    this.alert('KILL_SWITCH_RESET', `kill switch reset by ${op.identity}: ${by.reason}`, { operator: op.identity });
  }

  /** Only an operator with the RISK role resets a breaker by hand. */
  async resetBreaker(breaker: string, scope: RiskScope, operator: Operator): Promise<void> {
    requireText(breaker, 'breaker');
    requireScope(scope);
    const op = this.engine.authority.verify(operator, 'RISK', `resetting ${breaker} on ${scope}`);
    const open = this.engine.risk.breaker(breaker, scope);
    if (open?.state !== 'OPEN') return;
    const t = this.engine.now();
    for (const m of this.monitors) {
      const refusal = m.name === breaker ? m.resetRefusal?.(open, t) : undefined;
      if (refusal !== undefined) throw new StateError('TRADING_STATE_REFUSED', `${breaker} on ${scope} cannot be reset yet: ${refusal}`, { breaker, scope, reason: refusal });
    }
    const e: RiskEvent = { kind: 'BreakerReset', breaker, scope, source: 'OPERATOR', operator: op.identity, tsEvent: t, tsInit: t };
    await this.engine.recordRisk([e], operatorOrigin(op));
    this.alert('BREAKER_RESET', `${breaker} on ${scope} reset by ${op.identity}`, { breaker, scope, operator: op.identity });
  }

  status(): RiskStatus {
    const now = this.engine.now();
    const risk = this.engine.risk;
    return {
      killSwitch: risk.killSwitch,
      tradingStates: risk.scopedStates().map(([scope, state]) => ({ scope, state })),
      breakers: risk.allBreakers().map((b) => ({ ...b, msToReset: b.state === 'OPEN' && b.autoResetAt !== undefined ? Math.max(0, b.autoResetAt - now) : undefined })),
    };
  }

  /** Every breaker in every scope it has measured or tripped, with its latest figure and limit (the operator's view). */
  board(): BreakerBoard {
    return breakerStatus(this.engine, this.monitors);
  }

  /**
   * Told of each risk cancel (kill switch, a breaker with cancelOrders) just before it goes out,
   * so that a cancel that fails or an order that arrives late is chased until the venue confirms
   * it dead (src/execution/cancel-chaser.ts).
   */
  onRiskCancel(watcher: (scope: RiskScope) => void): void {
    this.cancelWatchers.push(watcher);
  }

  // ---- acting ----

  private commandFor(scope: RiskScope): Extract<Command, { kind: 'CancelAllOrders' }> {
    if (scope.startsWith('ACCOUNT:')) return { kind: 'CancelAllOrders', accountId: scope.slice(8) };
    if (scope.startsWith('STRATEGY:')) return { kind: 'CancelAllOrders', strategyId: scope.slice(9) };
    return { kind: 'CancelAllOrders' };
  }

  private async cancelScope(scope: RiskScope): Promise<void> {
    for (const w of this.cancelWatchers) w(scope);
    if (scope.startsWith('VENUE:')) {
      // CancelAllOrders has no venue filter: one cancel per open order at that venue, never a firm-wide cancel.
      const venue = scope.slice(6);
      for (const o of [...this.engine.openOrders()]) {
        if (this.engine.instrument(o.instrumentId).venue !== venue) continue;
        await this.engine.cancelOrder(o.clientOrderId, RISK_CONTROL).catch((e: unknown) => this.alert('CANCEL_ALL_FAILED', `cancel of ${o.clientOrderId} on ${scope} failed: ${(e as Error).message}`, { scope }));
      }
      return;
    }
    const cmd = this.commandFor(scope);
    try {
      await this.engine.execute(cmd, RISK_CONTROL);
    } catch (first) {
      this.alert('CANCEL_ALL_RETRY', `cancel-all on ${scope} failed, retrying: ${(first as Error).message}`, { scope });
      try {
        await this.engine.execute(cmd, RISK_CONTROL);
      } catch (second) {
        this.alert('CANCEL_ALL_FAILED', `cancel-all on ${scope} failed twice: ${(second as Error).message}`, { scope });
      }
    }
  }

  /** Reduce-only market orders closing every open position in scope, tagged so a halt lets them pass. */
  private async flattenScope(scope: RiskScope): Promise<void> {
    for (const p of this.engine.portfolio.openPositions()) {
      if (scope.startsWith('ACCOUNT:') && p.accountId !== accountId(scope.slice(8))) continue;
      if (scope.startsWith('STRATEGY:') && p.strategyId !== strategyId(scope.slice(9))) continue;
      if (scope.startsWith('VENUE:') && this.engine.instrument(p.instrumentId).venue !== scope.slice(6)) continue;
      const quantity = this.flattenQuantity(p);
      if (quantity === undefined) continue;
      const id = `FLAT-${this.engine.now()}-${++this.flattenSeq}` as ClientOrderId;
      try {
        await this.engine.submitOrder({
          clientOrderId: id,
          accountId: p.accountId,
          strategyId: p.strategyId,
          instrumentId: p.instrumentId,
          side: p.side === 'LONG' ? 'SELL' : 'BUY',
          type: 'MARKET',
          quantity,
          reduceOnly: true,
          positionId: p.id,
          tags: [FLATTEN_TAG],
        }, RISK_CONTROL);
      } catch (e) {
        this.alert('FLATTEN_FAILED', `flattening ${p.id} failed: ${(e as Error).message}`, { positionId: p.id });
      }
    }
  }

  /**
   * What a flatten of `p` sends: its quantity, but a long in a CASH account sells no more than the
   * account holds free, less the sell's fee when it is taken in coins (sellable.ts); alerted when
   * that is less than the position, undefined when nothing can be sold.
   */
  private flattenQuantity(p: Position): Quantity | undefined {
    if (p.side !== 'LONG') return p.quantity;
    const qty = sellableOf(p, this.engine.portfolio.account(p.accountId));
    if (qty.eq(p.quantity)) return qty;
    const base = p.instrument.base;
    const free = base ? this.engine.portfolio.account(p.accountId).balance(base).free.toString() : '';
    this.alert('FLATTEN_REDUCED', `position ${p.id} is long ${p.quantity.toString()} but ${p.accountId} holds ${free} free: ${qty.isZero() ? 'nothing to sell' : `selling ${qty.toString()}`}`, {
      positionId: p.id,
      position: p.quantity.toString(),
      free,
      selling: qty.toString(),
    });
    return qty.isZero() ? undefined : qty;
  }

  private alert(code: AlertCode, message: string, context: ErrorContext): void {
    this.engine.bus.publish('alert', { code, message, context, ts: this.engine.now() });
  }
}
