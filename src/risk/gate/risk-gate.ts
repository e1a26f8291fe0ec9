import { reversalOf } from '../../model/orders/bust.ts';
import type { EngineEvent } from '../../engine/events.ts';
import { ALLOW, type PreTradeGate, type PreTradeRequest, type SubmitCheck, type Verdict } from '../../engine/gate.ts';
import { formatRaw } from '../../model/decimal.ts';
import { Instrument } from '../../model/instrument.ts';
import type { AccountId, PositionId, StrategyId } from '../../model/identifiers.ts';
import type { LimitsConfig } from '../config/types.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import type { Compliance } from '../compliance/compliance.ts';
import { checkBuyingPower } from './buying-power.ts';
import { DENIAL_CODES, deny } from './denials.ts';
import { checkExposure } from './exposure-checks.ts';
import { marketStatusDenial } from './market-status.ts';
import { OrderFacts } from './facts.ts';
import { CompiledLimits } from './limits.ts';
import { alternativesOf, ListOverlay } from './list-overlay.ts';
import { fingerprintKey, fingerprintOfOrder, RecentOrders } from './recent.ts';
import { readReference, type Reference } from './reference.ts';
import { Throttles, type MessageKind } from './throttles.ts';
import { WorkingSet } from './working.ts';

const PCT_SCALE = 100_000_000n; // 100 (percent) × 10^6 (micro-percent)

/**
 * The pre-trade risk gate. `check` is a decision on one submit or modify against the configured
 * limits and the engine's state, returning the first failing check as a verdict with a code from
 * DENIAL_CODES; `observe` keeps the running aggregates (working orders, positions, message rates,
 * recent orders, our resting prices) as a fold over the events the engine applies, live and in
 * replay. Every check is O(1) in the number of open orders (exposure is O(instruments held)).
 * `checkList` decides the orders of one list in turn, each counting the ones before it.
 *
 * Order of the checks, cheapest and most fundamental first: the venue's market status (a venue in
 * MAINTENANCE, a market CLOSED or HALTED: FAULTS 34) and, with `compliance`, its calendar's
 * session (MARKET_CLOSED), trading state (risk control's flatten
 * order, origin RISK_CONTROL, tagged FLATTEN_TAG, reduce-only and within the position, passes a
 * halt and every other check; the engine refuses the tag from anyone else), the pattern day
 * trader rule (compliance; risk control's flatten order is exempt: getting out comes first), then a
 * quantity-only reduction of a working order (throttle only), restricted list, configured limits
 * (fail closed), duplicates, throttles, open-order counts, order size, reference price, collar,
 * order notional, reduce-only, self-trade, worst-case position, exposure (account, firm),
 * concentration, leverage, buying power.
 */
export class RiskGate implements PreTradeGate {
  private readonly limits: CompiledLimits;
  private readonly working = new WorkingSet();
  private readonly throttles: Throttles;
  private readonly recent: RecentOrders;
  private readonly instruments = new Map<string, Instrument>();
  private readonly facts = new OrderFacts();
  private readonly ref: Reference = { ref2: 0n, ts: 0, source: 'LAST' };
  private lastNow = 0;
  /** The earlier orders of the list being checked (checkList), else undefined. */
  private list: ListOverlay | undefined;

  /** `compliance`: trading hours and the PDT rule (src/risk/compliance), checked in this gate's order and observed with it. */
  constructor(
    readonly config: LimitsConfig,
    readonly compliance?: Compliance,
  ) {
    this.limits = new CompiledLimits(config);
    this.throttles = new Throttles(config.throttles);
    this.recent = new RecentOrders(config.duplicate_window_ms);
  }

  check(request: PreTradeRequest, view: RiskView): Verdict {
    const inst = request.instrument;
    if (!this.instruments.has(inst.id)) this.instruments.set(inst.id, inst);
    const rules = this.limits.forInstrument(inst);
    const f = this.facts;
    f.load(request, rules, this.working);
    const now = view.now();
    if (now > this.lastNow) this.lastNow = now;

    // The venue first: nothing passes a closed market or a venue in maintenance, not even risk control's flatten order.
    const passive = f.passive;
    if (!passive) {
      const closed = marketStatusDenial(view.markets, inst, this.facts) ?? this.compliance?.hoursDenial(request, view);
      if (closed) return closed;
    }

    // Trading state.
    if (!passive) {
      const state = view.risk.effectiveState(f.accountId as AccountId, f.strategyId as StrategyId, inst.venue);
      if (state !== 'ACTIVE') {
        const reduces = this.reduces(view);
        if (state === 'HALTED') {
          if (f.kind === 'submit' && f.flatten && f.reduceOnly && reduces) return ALLOW;
          if (view.risk.killSwitch) {
            return deny('KILL_SWITCH_ENGAGED', `kill switch engaged by ${view.risk.killSwitch.operator}: ${this.where()} denied`, {
              limit: 'none while engaged',
              actual: f.kind,
              operator: view.risk.killSwitch.operator,
            });
          }
          return deny('TRADING_HALTED', `trading is HALTED for ${f.accountId}/${f.strategyId}: ${this.where()} denied`, { limit: 'HALTED', actual: f.kind });
        }
        if (!reduces) return deny('TRADING_REDUCING', `trading is REDUCING for ${f.accountId}/${f.strategyId}: ${this.where()} would not lower the position`, { limit: 'REDUCING', actual: 'increases' });
      }
    }

    // Throttles come before anything else for a quantity-only reduction; otherwise after the static checks.
    if (passive) return this.throttle('modify', now) ?? ALLOW;

    if (!f.flatten) {
      const pdt = this.compliance?.pdtDenial(request, view);
      if (pdt) return pdt;
    }

    if (rules.restricted) return deny('INSTRUMENT_RESTRICTED', `${inst.id} is restricted: ${this.where()} denied`, { limit: 'restricted', actual: inst.id, instrument: inst.id });
    if (rules.missing !== undefined) {
      return deny('NO_RISK_LIMITS_FOR_INSTRUMENT', `no risk limits configured for ${inst.id} (${rules.missing}) and no default: ${this.where()} denied`, {
        limit: 'configured', actual: 'missing', missing: rules.missing, instrument: inst.id,
      });
    }

    if (f.kind === 'submit') {
      if (view.order(f.clientOrderId) !== undefined) {
        return deny('DUPLICATE_ORDER', `client order id ${f.clientOrderId} is already in use`, { limit: 'unique', actual: f.clientOrderId, clientOrderId: f.clientOrderId });
      }
      // The fingerprint is built only when an order of this quantity is remembered (or a list is checked).
      let fp: string | undefined;
      const recentAt = this.recent.mayHave(f.qty) ? this.recent.seenAt((fp = this.fingerprintOfFacts()), now) : undefined;
      const at = recentAt ?? (this.list !== undefined && this.config.duplicate_window_ms > 0 && this.list.has((fp ??= this.fingerprintOfFacts())) ? now : undefined);
      if (at !== undefined) {
        return deny('DUPLICATE_ORDER', `an identical ${this.where()} (${this.qtyText(f.qty)} @ ${this.pxText(f.px)}) was sent ${now - at} ms ago, within the ${this.config.duplicate_window_ms} ms window`, {
          limit: this.config.duplicate_window_ms, actual: now - at,
        });
      }
    }
    const throttled = this.throttle(f.kind, now);
    if (throttled) return throttled;

    if (f.kind === 'submit') {
      if (rules.maxOpenOrders !== undefined && f.stake.openOrders + 1 > rules.maxOpenOrders) {
        return deny('MAX_OPEN_ORDERS_EXCEEDED', `${f.accountId} has ${f.stake.openOrders} open orders in ${inst.id}, the maximum is ${rules.maxOpenOrders}`, {
          limit: rules.maxOpenOrders, actual: f.stake.openOrders + 1, scope: 'instrument', instrument: inst.id,
        });
      }
      const acctMax = this.limits.forAccount(f.accountId, inst.settlement).maxOpenOrders;
      const open = this.working.account(f.accountId).openOrders;
      if (acctMax !== undefined && open + 1 > acctMax) {
        return deny('MAX_OPEN_ORDERS_EXCEEDED', `${f.accountId} has ${open} open orders, the maximum is ${acctMax}`, { limit: acctMax, actual: open + 1, scope: 'account' });
      }
    }

    if (f.qty > rules.maxOrderQty) {
      return deny('MAX_ORDER_QUANTITY_EXCEEDED', `${this.where()}: quantity ${this.qtyText(f.qty)} exceeds the maximum ${this.qtyText(rules.maxOrderQty)}`, {
        limit: this.qtyText(rules.maxOrderQty), actual: this.qtyText(f.qty), instrument: inst.id,
      });
    }

    // Reference price: every order needs a fresh one (the collar for priced orders, the notional for market orders).
    const ref = this.ref;
    if (!readReference(view.portfolio.quote(inst.id), inst, ref)) {
      return deny('REFERENCE_PRICE_MISSING', `no reference price (last or mid) for ${inst.id}: ${this.where()} denied`, { limit: 'a last trade or bid and ask', actual: 'none', instrument: inst.id });
    }
    const age = now - ref.ts;
    if (!(age <= this.config.reference_price_max_age_ms)) {
      return deny('REFERENCE_PRICE_STALE', `the reference price of ${inst.id} (${ref.source === 'LAST' ? 'last trade' : 'mid of bid and ask'}) is ${Number.isNaN(age) ? 'undated' : `${age} ms old`}, the maximum age is ${this.config.reference_price_max_age_ms} ms`, {
        limit: this.config.reference_price_max_age_ms, actual: Number.isNaN(age) ? 'undated' : age, instrument: inst.id, source: ref.source,
      });
    }

    if (f.newPx && f.px !== undefined) {
      const v = this.collar(f.px, 'limit');
      if (v) return v;
    }
    if (f.newTrig && f.trig !== undefined) {
      const v = this.collar(f.trig, 'trigger');
      if (v) return v;
    }

    const px2 = f.px !== undefined ? 2n * f.px : f.trig !== undefined ? 2n * f.trig : ref.ref2;
    const notional2 = f.qty * px2 * f.stake.factor;
    if (notional2 > 2n * rules.maxOrderNotional) {
      return deny('MAX_ORDER_NOTIONAL_EXCEEDED', `${this.where()}: notional ${this.money2(notional2)} exceeds the maximum ${this.money(rules.maxOrderNotional)}`, {
        limit: this.money(rules.maxOrderNotional), actual: this.money2(notional2), instrument: inst.id,
      });
    }

    if (f.reduceOnly && !this.reduces(view)) {
      return deny('REDUCE_ONLY_WOULD_INCREASE', `reduce-only ${this.where()} would increase or flip the position`, {
        limit: this.qtyText(this.positionQty(view)), actual: this.qtyText(this.worstOwn()), instrument: inst.id,
      });
    }

    if (this.config.self_trade_prevention && (f.type === 'MARKET' || (f.type === 'LIMIT' && f.newPx))) {
      const opposite = this.working.bestResting(inst.id, f.side === 'BUY' ? 'SELL' : 'BUY');
      if (opposite !== undefined && (f.px === undefined || (f.side === 'BUY' ? f.px >= opposite : f.px <= opposite))) {
        return deny('SELF_TRADE', `${this.where()} @ ${this.pxText(f.px)} would cross our own resting ${f.side === 'BUY' ? 'sell' : 'buy'} at ${this.pxText(opposite)}`, {
          limit: this.pxText(opposite), actual: this.pxText(f.px), instrument: inst.id,
        });
      }
    }

    if (f.add > 0n) {
      const s = f.stake;
      const worst = f.side === 'BUY' ? s.position + s.workBuy + f.add : -(s.position - s.workSell - f.add);
      if (worst > rules.maxPositionQty) {
        return deny('MAX_POSITION_QUANTITY_EXCEEDED', `${this.where()}: worst-case position ${this.qtyText(worst)} (filled ${this.qtyText(s.position)}, working and this order counted) exceeds the maximum ${this.qtyText(rules.maxPositionQty)}`, {
          limit: this.qtyText(rules.maxPositionQty), actual: this.qtyText(worst), instrument: inst.id,
        });
      }
      const worst2 = worst * ref.ref2 * s.factor;
      if (worst2 > 2n * rules.maxPositionNotional) {
        return deny('MAX_POSITION_NOTIONAL_EXCEEDED', `${this.where()}: worst-case position notional ${this.money2(worst2)} exceeds the maximum ${this.money(rules.maxPositionNotional)}`, {
          limit: this.money(rules.maxPositionNotional), actual: this.money2(worst2), instrument: inst.id,
        });
      }
      const v = checkExposure(f, ref.ref2, view, this.limits, this.working);
      if (v) return v;
    }
    if (f.add > 0n || f.newPx || f.newTrig) {
      const v = checkBuyingPower(f, ref.ref2, view, this.reduces(view), this.working.account(f.accountId).priceless, this.list);
      if (v) return v;
    }
    return ALLOW;
  }

  /**
   * The orders of one list, in order, each checked against figures that count the list's earlier
   * orders as if they had been sent one by one (list-overlay.ts): a list never passes what its
   * orders sent singly would not. The running figures are as they were on return.
   */
  checkList(requests: readonly SubmitCheck[], view: RiskView): Verdict[] {
    const list = new ListOverlay(this.working);
    const verdicts: Verdict[] = [];
    this.list = list;
    try {
      for (const r of requests) {
        const s = r.spec;
        const alternatives = alternativesOf(s);
        list.enter(s.clientOrderId, alternatives);
        const v = this.check(r, view);
        list.leave();
        list.message(s.strategyId, s.accountId);
        if (v.ok) this.addToList(list, alternatives, view);
        verdicts.push(v);
      }
    } finally {
      list.close();
      this.list = undefined;
    }
    return verdicts;
  }

  observe(event: EngineEvent, view: RiskView): void {
    this.compliance?.observe(event);
    switch (event.kind) {
      case 'InstrumentRegistered':
        if (!this.instruments.has(event.spec.id)) this.instruments.set(event.spec.id, new Instrument(event.spec));
        return;
      case 'InstrumentUpdated':
        // Same precision (the engine keeps it), so the running figures stay exact; the limits recompile for the new tick.
        this.instruments.set(event.spec.id, new Instrument(event.spec));
        return;
      case 'OrderInitialized':
        this.throttles.record('submit', event.spec.strategyId, event.spec.accountId, event.tsInit);
        this.seen(event.tsInit);
        return;
      case 'OrderDenied':
        return;
      case 'OrderSubmitted':
      case 'OrderPendingUpdate':
      case 'OrderModifyRejected':
      case 'OrderPendingCancel':
      case 'OrderFilled':
      case 'OrderAccepted':
      case 'OrderRejected':
      case 'OrderTriggered':
      case 'OrderUpdated':
      case 'OrderCancelRejected':
      case 'OrderCanceled':
      case 'OrderExpired':
      case 'OrderFillBusted': {
        this.seen(event.tsInit);
        const order = view.order(event.clientOrderId);
        if (order === undefined) return;
        const inst = this.instruments.get(order.instrumentId) ?? this.instrumentFromPosition(view, event);
        if (inst === undefined) return;
        const s = order.spec;
        switch (event.kind) {
          case 'OrderSubmitted':
            this.recent.add(fingerprintOfOrder(order, inst), order.spec.quantity.raw, event.tsInit);
            break;
          case 'OrderPendingUpdate':
            this.throttles.record('modify', s.strategyId, s.accountId, event.tsInit);
            break;
          case 'OrderModifyRejected':
            // A modify the gate denied never reached PENDING_UPDATE: it still counts as a request.
            if (isDenial(event.reason)) this.throttles.record('modify', s.strategyId, s.accountId, event.tsInit);
            break;
          case 'OrderPendingCancel':
            this.throttles.record('cancel', s.strategyId, s.accountId, event.tsInit);
            break;
          case 'OrderFilled':
            this.working.onFill(event, inst);
            break;
          case 'OrderFillBusted':
            this.working.onFill(reversalOf(event), inst);
            break;
          default:
            break;
        }
        this.working.onOrder(order, inst);
        return;
      }
      default:
        return;
    }
  }

  /** Whether the strategy's message rates are beyond hard_limit_multiple × a throttle (the control layer halts it). */
  hardLimitBreached(strategyId: string, now: number = this.lastNow): boolean {
    return this.throttles.hardLimitBreached(strategyId, now);
  }

  /** A strategy's messages of one kind in the current second, minute and hour. */
  rate(kind: MessageKind, strategyId: string, now: number = this.lastNow): { second: number; minute: number; hour: number } {
    return this.throttles.rate(kind, strategyId, now);
  }

  /** The running aggregates, for inspection and replay comparisons: per account and instrument. */
  aggregates(): { account: string; instrument: string; position: string; workingBuy: string; workingSell: string; openOrders: number }[] {
    const out = [];
    for (const [, a] of this.working.accounts) {
      for (const s of a.stakes) {
        const p = s.instrument.sizePrecision;
        out.push({ account: s.accountId, instrument: s.instrument.id, position: formatRaw(s.position, p), workingBuy: formatRaw(s.workBuy, p), workingSell: formatRaw(s.workSell, p), openOrders: s.openOrders });
      }
    }
    return out.sort((x, y) => (x.account + x.instrument < y.account + y.instrument ? -1 : 1));
  }

  get openOrderCount(): number {
    return this.working.openOrderCount;
  }

  // ---- helpers ----

  /** The order just checked (its facts still loaded) joins the list's working orders. */
  private addToList(list: ListOverlay, alternatives: readonly string[], view: RiskView): void {
    const f = this.facts;
    // A flatten order passes a halt before the reference is read: read it for this order.
    const ref2 = readReference(view.portfolio.quote(f.inst.id), f.inst, this.ref) ? this.ref.ref2 : 0n;
    list.add(f, alternatives, this.fingerprintOfFacts(), ref2, view.portfolio.account(f.accountId as AccountId).type);
  }

  private seen(ts: number): void {
    if (ts > this.lastNow) this.lastNow = ts;
  }

  private instrumentFromPosition(view: RiskView, event: EngineEvent): Instrument | undefined {
    if (event.kind !== 'OrderFilled') return undefined;
    return view.portfolio.position(event.positionId)?.instrument;
  }

  private throttle(kind: 'submit' | 'modify', now: number): Verdict | undefined {
    const f = this.facts;
    const l = kind === 'submit' ? this.list : undefined;
    const byStrategy = l === undefined ? 0 : l.submitsOfStrategy(f.strategyId);
    const byAccount = l === undefined ? 0 : l.submitsOfAccount(f.accountId);
    if (!this.throttles.exceeded(kind, f.strategyId, f.accountId, now, byStrategy, byAccount)) return undefined;
    const b = this.throttles.breach;
    const scope = this.throttles.breachScope === 'strategy' ? `strategy ${f.strategyId}` : `account ${f.accountId}`;
    return deny('RATE_LIMIT_EXCEEDED', `${kind} throttle of ${scope}: ${b.actual} per ${b.window} exceeds ${b.limit}${b.hard ? ` (beyond ${this.config.throttles.hard_limit_multiple}× the limit: halt)` : ''}: ${this.where()} denied`, {
      limit: b.limit, actual: b.actual, window: b.window, kind, scope: this.throttles.breachScope, halt: b.hard,
    });
  }

  private collar(px: bigint, which: 'limit' | 'trigger'): Verdict | undefined {
    const r = this.facts.rules;
    const ref2 = this.ref.ref2;
    const d = 2n * px - ref2;
    const d2 = d < 0n ? -d : d;
    const pctOut = d2 * PCT_SCALE > (ref2 < 0n ? -ref2 : ref2) * r.collarMicroPct;
    const ticksOut = r.collarTicks2 >= 0n && d2 > r.collarTicks2;
    if (!pctOut && !ticksOut) return undefined;
    const dev = ref2 === 0n ? Infinity : (Number(d2) / Number(ref2 < 0n ? -ref2 : ref2)) * 100;
    const limit = ticksOut ? `${r.collarTicks ?? 0} ticks` : `${r.collarPct}%`;
    return deny('PRICE_OUTSIDE_COLLAR', `${this.where()}: ${which} price ${this.pxText(px)} is ${dev.toFixed(2)}% from the reference ${this.ref2Text(ref2)} (${this.ref.source}), the collar is ${limit}`, {
      limit, actual: `${dev.toFixed(4)}%`, price: this.pxText(px), reference: this.ref2Text(ref2), which, instrument: this.facts.inst.id,
    });
  }

  /** The order's own position (signed raw lots): the one it names, else its NETTING position. */
  private positionQty(view: RiskView): bigint {
    const f = this.facts;
    const id = f.positionId ?? (view.portfolio.account(f.accountId as AccountId).positionMode === 'NETTING' ? f.book.nettingPositionId : undefined);
    if (id === undefined) return 0n;
    return view.portfolio.position(id as PositionId)?.signedQtyRaw ?? 0n;
  }

  /** The order's position if it and every working order of its strategy on its side filled. */
  private worstOwn(): bigint {
    const f = this.facts;
    return f.side === 'BUY' ? f.book.workBuy + f.add : -(f.book.workSell + f.add);
  }

  /** Whether the order lowers its position without flipping it, counting its strategy's working orders on its side. */
  private reduces(view: RiskView): boolean {
    const f = this.facts;
    const pos = this.positionQty(view);
    if (f.side === 'BUY') return pos < 0n && pos + f.book.workBuy + f.add <= 0n;
    return pos > 0n && pos - f.book.workSell - f.add >= 0n;
  }

  private where(): string {
    return this.facts.where();
  }

  private fingerprintOfFacts(): string {
    const f = this.facts;
    return fingerprintKey(f.accountId, f.strategyId, f.inst.id, f.side, f.type, f.qty, f.px, f.trig);
  }

  private qtyText(raw: bigint): string {
    return formatRaw(raw, this.facts.inst.sizePrecision);
  }
  private pxText(raw: bigint | undefined): string {
    return raw === undefined ? 'market' : formatRaw(raw, this.facts.inst.pricePrecision);
  }
  private ref2Text(ref2: bigint): string {
    return formatRaw(ref2 * 5n, this.facts.inst.pricePrecision + 1);
  }
  private money(raw: bigint): string {
    return `${formatRaw(raw, this.facts.inst.settlement.precision)} ${this.facts.inst.settlement.code}`;
  }
  private money2(raw2: bigint): string {
    return this.money((raw2 + 1n) / 2n);
  }
}

function isDenial(reason: string): boolean {
  const i = reason.indexOf(':');
  return i > 0 && Object.hasOwn(DENIAL_CODES, reason.slice(0, i));
}
