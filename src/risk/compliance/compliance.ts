import { ALLOW, type PreTradeGate, type PreTradeRequest, type Verdict } from '../../engine/gate.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { RiskView } from '../../engine/risk-view.ts';
import { Currencies } from '../../model/currency.ts';
import type { AccountId } from '../../model/identifiers.ts';
import { Instrument } from '../../model/instrument.ts';
import { Quantity } from '../../model/values.ts';
import type { Denial } from '../gate/denials.ts';
import { localDate, windowStart, type CalendarRef } from './calendar.ts';
import { FINRA_PDT, type ComplianceConfig, type PdtRule } from './config.ts';
import { DayTrades, wouldDayTrade } from './day-trades.ts';
import { hoursDenial } from './hours.ts';
import { pdtDenial } from './pdt.ts';

/**
 * Compliance for US equities (issue 15 §6): trading hours from each venue's exchange calendar
 * (MARKET_CLOSED) and the pattern-day-trader rule (PDT_RESTRICTED). The RiskGate asks it in its
 * order of checks (hours with the venue's market status, first; PDT after the trading state);
 * on its own (a node without a risk config) it is a PreTradeGate itself.
 *
 * Its one running figure is the day-trade count, a fold over the fills in `observe`, so it is
 * rebuilt exactly from the journal (the engine observes every event in replay).
 */
export class Compliance implements PreTradeGate {
  readonly dayTrades = new DayTrades();
  private readonly instruments = new Map<string, Instrument>();

  constructor(readonly config: ComplianceConfig) {}

  check(request: PreTradeRequest, view: RiskView): Verdict {
    if (!addsRisk(request)) return ALLOW;
    return this.hoursDenial(request, view) ?? this.pdtDenial(request, view) ?? ALLOW;
  }

  /** MARKET_CLOSED when the order's venue has a calendar and the instant is outside the order's session. Not for a modify that only lowers the quantity. */
  hoursDenial(request: PreTradeRequest, view: RiskView): Denial | undefined {
    const inst = request.instrument;
    const hours = this.config.venues[inst.venue];
    if (hours?.calendar === undefined) return undefined;
    const spec = request.kind === 'submit' ? request.spec : request.order.spec;
    return hoursDenial(hours, { venue: inst.venue, instrumentId: inst.id, extendedHours: spec.extendedHours === true, what: () => describe(request) }, view.now());
  }

  /**
   * PDT_RESTRICTED for a new order that would make a day trade beyond the account's rule. Only
   * submits: a modify or a fill never makes a new decision (the order was decided when sent, and
   * its working quantity is counted against the orders after it).
   */
  pdtDenial(request: PreTradeRequest, view: RiskView): Denial | undefined {
    if (request.kind !== 'submit') return undefined;
    const inst = request.instrument;
    const calendar = this.config.venues[inst.venue]?.calendar;
    const spec = request.spec;
    if (calendar === undefined || !view.portfolio.hasAccount(spec.accountId)) return undefined;
    const account = view.portfolio.account(spec.accountId);
    const rule = this.config.pdt[spec.accountId] ?? FINRA_PDT;
    if (account.type !== 'MARGIN' || !rule.enabled) return undefined;
    const today = localDate(calendar, view.now());
    const dayTrade = wouldDayTrade(this.dayTrades.leg(spec.accountId, inst.id), spec.side, today);
    if (!dayTrade) return undefined;
    const from = windowStart(calendar, today, rule.windowDays);
    return pdtDenial(rule, {
      accountId: spec.accountId,
      accountType: account.type,
      equityRaw: view.portfolio.equity(spec.accountId, Currencies.USD).raw,
      dayTrade,
      dayTrades: this.dayTrades.countSince(spec.accountId, from),
      pending: this.pending(view, spec.accountId, today),
      windowStart: from,
      what: describe(request),
    });
  }

  /**
   * The account's day trades within its PDT window (business days of the account's venue's
   * calendar, ending on the local date of `now`), the rule it is held to, and whether the rule
   * applies (a MARGIN account under an enabled rule; equity is the gate's business). Undefined when
   * the venue has no calendar: nothing counts day trades there.
   */
  dayTradeCount(accountId: string, venue: string, now: number): { count: number; windowStart: string; rule: PdtRule } | undefined {
    const calendar = this.config.venues[venue]?.calendar;
    if (calendar === undefined) return undefined;
    const rule = this.config.pdt[accountId] ?? FINRA_PDT;
    const from = windowStart(calendar, localDate(calendar, now), rule.windowDays);
    return { count: this.dayTrades.countSince(accountId, from), windowStart: from, rule };
  }

  observe(event: EngineEvent): void {
    switch (event.kind) {
      case 'InstrumentRegistered':
      case 'InstrumentUpdated':
        this.instruments.set(event.spec.id, new Instrument(event.spec));
        return;
      case 'OrderFilled':
      case 'OrderFillBusted': {
        const inst = this.instruments.get(event.instrumentId);
        const calendar = inst === undefined ? undefined : this.config.venues[inst.venue]?.calendar;
        if (inst === undefined || calendar === undefined) return;
        const qty = Quantity.of(event.lastQty, inst.sizePrecision).raw;
        if (event.kind === 'OrderFillBusted') this.dayTrades.onBust(event.accountId, event.instrumentId, event.side, qty);
        else this.dayTrades.onFill(event.accountId, event.instrumentId, event.clientOrderId, event.side, qty, localDate(calendar, tradeTime(event)));
        return;
      }
      default:
        return;
    }
  }

  /** The account's working orders on calendar venues that would make a day trade if they filled now and are not counted yet. */
  private pending(view: RiskView, accountId: AccountId, today: string): number {
    let n = 0;
    for (const o of view.openOrders()) {
      const s = o.spec;
      if (s.accountId !== accountId || this.calendarOf(s.instrumentId) === undefined) continue;
      if (wouldDayTrade(this.dayTrades.leg(accountId, s.instrumentId), s.side, today) && !this.dayTrades.counted(accountId, s.clientOrderId, today)) n++;
    }
    return n;
  }

  private calendarOf(instrumentId: string): CalendarRef | undefined {
    const inst = this.instruments.get(instrumentId);
    return inst === undefined ? undefined : this.config.venues[inst.venue]?.calendar;
  }
}

/** When a fill happened: the venue's time of the trade, else the engine's. */
function tradeTime(e: { readonly tsEvent: number; readonly tsInit: number }): number {
  return Number.isFinite(e.tsEvent) && e.tsEvent > 0 ? e.tsEvent : e.tsInit;
}

/** A modify adds risk unless it only lowers the quantity (no new price or trigger), as the RiskGate's `passive`. */
function addsRisk(r: PreTradeRequest): boolean {
  if (r.kind === 'submit') return true;
  return r.price !== undefined || r.triggerPrice !== undefined || (r.quantity !== undefined && r.quantity.cmp(r.order.quantity) > 0);
}

function describe(r: PreTradeRequest): string {
  if (r.kind === 'submit') return `submit ${r.spec.side} ${r.spec.quantity.toString()} ${r.instrument.id}`;
  return `modify of ${r.order.spec.clientOrderId} (${r.order.spec.side} ${r.instrument.id})`;
}
