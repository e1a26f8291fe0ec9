import type { Exchange, Order as CcxtOrder, Trade as CcxtTrade } from 'ccxt';
import { loadedCcxt } from './library.ts';
import type { VenueOrderStatus, VenuePosition, VenueQueries, VenueReport } from '../../engine/venue.ts';
import type { ClientOrderId } from '../../model/identifiers.ts';
import type { Instrument } from '../../model/instrument.ts';
import type { ClientIds } from './client-ids.ts';
import type { CallKind } from './errors.ts';
import { exactDifference, exactText } from './exact.ts';
import type { OrderTracker, TrackedOrder } from './order-tracker.ts';
import { fillReport, isTriggerOrder, statusOf, venueStatusOf, type CurrencyOf } from './orders.ts';
import type { CcxtProfile } from './profiles.ts';

export interface CcxtQueriesOptions {
  readonly exchange: Exchange;
  readonly profile: CcxtProfile;
  readonly accountId: string;
  readonly ids: ClientIds;
  readonly tracker: OrderTracker;
  /** The ccxt symbols of the instruments listed on the venue. */
  readonly symbols: () => string[];
  readonly instrumentOf: (symbol: string) => Instrument | undefined;
  readonly currencyOf: CurrencyOf;
  /** Runs a ccxt call with its errors mapped (and a clock skew resynced). */
  readonly call: <T>(kind: CallKind, run: () => Promise<T>) => Promise<T>;
}

/** A currency's total at the exchange, for balance reconciliation of spot accounts. */
export interface VenueBalance {
  readonly accountId: string;
  readonly currency: string;
  readonly total: string;
  /** The places the exchange shows it in, when fewer than it keeps: amounts closer than one unit there are the same. */
  readonly places?: number;
}

/**
 * The REST side of a ccxt venue: what reconciliation and unknown-state resolution ask (an order
 * by our client id, open orders, fills since a time, positions), and the look-ups the streams
 * need (an order's trades; which of our orders an exchange order id is). Only the instruments
 * listed on the venue are asked about.
 */
export class CcxtQueries implements VenueQueries {
  /** Spot exchanges hold balances, not positions: only derivatives are compared as positions. */
  readonly positionKinds: readonly ('SPOT' | 'PERPETUAL')[];

  constructor(private readonly o: CcxtQueriesOptions) {
    this.positionKinds = o.profile.derivatives ? ['PERPETUAL'] : [];
  }

  async orderStatus(id: ClientOrderId): Promise<VenueOrderStatus | undefined> {
    const t = this.o.tracker.byWardenId(id);
    const venueClientId = t?.venueClientId ?? this.o.ids.toVenue(id);
    for (const symbol of t ? [t.symbol] : this.o.symbols()) {
      const found = await this.byClientIdAnywhere(venueClientId, symbol, t?.venueOrderId, t?.spec === undefined || isTriggerOrder(t.spec));
      if (!found) continue;
      const inst = this.o.instrumentOf(symbol)!;
      return venueStatusOf(found, id, inst, t?.spec, this.o.accountId);
    }
    return undefined;
  }

  async openOrders(): Promise<readonly VenueOrderStatus[]> {
    const out: VenueOrderStatus[] = [];
    for (const symbol of this.o.symbols()) {
      const inst = this.o.instrumentOf(symbol)!;
      for (const x of await this.openAt(symbol)) {
        const wardenId = this.o.ids.toWarden(x.clientOrderId) ?? `EXT-${String(x.id)}`;
        const s = venueStatusOf(x, wardenId, inst, this.o.tracker.byWardenId(wardenId)?.spec, this.o.accountId);
        if (s) out.push(s);
      }
    }
    return out;
  }

  async fillsSince(ts: number): Promise<readonly Extract<VenueReport, { kind: 'OrderFilled' }>[]> {
    const out: Extract<VenueReport, { kind: 'OrderFilled' }>[] = [];
    for (const symbol of this.o.symbols()) {
      const inst = this.o.instrumentOf(symbol)!;
      for (const x of await this.o.call('READ', () => this.o.exchange.fetchMyTrades(symbol, ts))) {
        if (x.order === undefined) continue;
        const t = this.o.tracker.byVenueOrderId(String(x.order)) ?? (await this.resolveOrder(String(x.order), symbol));
        if (t) out.push(fillReport(x, t.wardenId, inst, this.o.currencyOf));
      }
    }
    return out;
  }

  async positions(): Promise<readonly VenuePosition[]> {
    if (!this.o.profile.derivatives) return [];
    const out: VenuePosition[] = [];
    const symbols = this.o.symbols();
    for (const p of await this.o.call('READ', () => this.o.exchange.fetchPositions(symbols))) {
      const inst = p.symbol ? this.o.instrumentOf(p.symbol) : undefined;
      if (!inst) continue;
      const contracts = exactText(p.contracts ?? 0, 'position.contracts');
      const qty = inst.quantity(contracts.replace(/^-/, ''));
      const side = qty.raw === 0n ? 'FLAT' : p.side === 'short' || contracts.startsWith('-') ? 'SHORT' : 'LONG';
      out.push({ accountId: this.o.accountId, instrumentId: inst.id, side, quantity: qty });
    }
    return out;
  }

  /** Every currency's total at the exchange (for derivatives, the wallet: without unrealized PnL). */
  async balances(): Promise<readonly VenueBalance[]> {
    const b = await this.o.call('READ', () => this.o.exchange.fetchBalance());
    const totals = (b.total ?? {}) as unknown as Record<string, number | undefined>;
    const unrealized = this.o.profile.totalIncludesUnrealized ? await this.unrealizedBySettlement() : new Map<string, string>();
    return Object.entries(totals)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([currency, v]) => {
        const total = exactText(v, `balance ${currency}`);
        const upnl = unrealized.get(currency);
        const places = this.shownPlaces(currency);
        return { accountId: this.o.accountId, currency, total: upnl === undefined ? total : exactDifference(total, upnl), ...(places !== undefined ? { places } : {}) };
      });
  }

  /** The decimal places the exchange shows a currency's balance in (Kraken: 4 for USD), when ccxt knows them. */
  private shownPlaces(code: string): number | undefined {
    const step = this.o.exchange.currencies?.[code]?.precision;
    if (step === undefined || step === null) return undefined;
    const text = exactText(step, `currency ${code} precision`);
    if (this.o.exchange.precisionMode !== 4) return Number(text);
    const i = text.indexOf('.');
    return i < 0 ? 0 : text.length - i - 1;
  }

  /** The open positions' unrealized PnL summed per settlement currency, every position the account holds. */
  private async unrealizedBySettlement(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const p of await this.o.call('READ', () => this.o.exchange.fetchPositions())) {
      if (p.unrealizedPnl === undefined || p.unrealizedPnl === null || !p.symbol) continue;
      const settle = this.o.exchange.market(p.symbol).settle;
      if (!settle) continue;
      out.set(settle, exactDifference(out.get(settle) ?? '0', exactDifference('0', exactText(p.unrealizedPnl, 'position.unrealizedPnl'))));
    }
    return out;
  }

  /** The trades of one of our orders, over REST. */
  async tradesOf(t: TrackedOrder): Promise<CcxtTrade[]> {
    if (t.venueOrderId === undefined) return [];
    const id = t.venueOrderId;
    const trades = await this.o.call('READ', () => this.o.exchange.fetchMyTrades(t.symbol, undefined, undefined, this.o.profile.orderTradesFilter?.(id) ?? {}));
    return trades.filter((x) => String(x.order) === id);
  }

  /** Which of our orders an exchange order id is (an order placed before a restart, or a trade seen before its order). */
  async resolveOrder(venueOrderId: string, symbol: string): Promise<TrackedOrder | undefined> {
    const known = this.o.tracker.byVenueOrderId(venueOrderId);
    if (known) return known;
    let x: CcxtOrder;
    try {
      x = await this.o.call('READ', () => this.o.exchange.fetchOrder(venueOrderId, symbol));
    } catch {
      return undefined;
    }
    const wardenId = this.o.ids.toWarden(x.clientOrderId);
    if (wardenId === undefined) return undefined;
    const t = this.o.tracker.byWardenId(wardenId);
    if (t) {
      this.o.tracker.setVenueOrderId(t, venueOrderId);
      return t;
    }
    // Closed long ago and forgotten by the tracker (it is bounded): known again, already acknowledged,
    // so a late fill still reaches the engine (which knows the order, or alerts on one it does not).
    const inst = this.o.instrumentOf(symbol);
    if (!inst || statusOf(x) === 'OPEN') return undefined;
    const back = this.o.tracker.track({ wardenId, venueClientId: x.clientOrderId ?? wardenId, instrument: inst, symbol, spec: undefined, venueOrderId });
    back.accepted = true;
    back.ended = statusOf(x) !== 'FILLED';
    this.o.tracker.closed(back);
    return back;
  }

  /** Open orders of a symbol, the untriggered conditional ones included where the exchange lists them apart. */
  private async openAt(symbol: string): Promise<CcxtOrder[]> {
    const open = await this.o.call('READ', () => this.o.exchange.fetchOpenOrders(symbol));
    const trigger = this.o.profile.triggerParams;
    if (!trigger) return open;
    return [...open, ...(await this.o.call('READ', () => this.o.exchange.fetchOpenOrders(symbol, undefined, undefined, { ...trigger })))];
  }

  /**
   * An order by our client id; where the exchange keeps untriggered conditional orders apart, a
   * trigger order not found among orders is looked for among them (once triggered it is an order,
   * with its fills).
   */
  private async byClientIdAnywhere(venueClientId: string, symbol: string, venueOrderId: string | undefined, mayBeTrigger: boolean): Promise<CcxtOrder | undefined> {
    const found = await this.byClientId(venueClientId, symbol, venueOrderId);
    const trigger = this.o.profile.triggerParams;
    if (found || !trigger || !mayBeTrigger) return found;
    return this.byClientId(venueClientId, symbol, venueOrderId, trigger);
  }

  /** An order found by our client id: fetched by it where ccxt can, else looked for among open and recent orders. */
  private async byClientId(venueClientId: string, symbol: string, venueOrderId: string | undefined, extra: Readonly<Record<string, unknown>> = {}): Promise<CcxtOrder | undefined> {
    try {
      if (venueOrderId !== undefined) return await this.o.call('READ', () => this.o.exchange.fetchOrder(venueOrderId, symbol, { ...extra }));
      const rule = this.o.profile.clientId;
      if (rule.unified && (rule.lookup ?? 'fetchOrder') === 'fetchOrder') return await this.o.call('READ', () => this.o.exchange.fetchOrder(undefined as unknown as string, symbol, { clientOrderId: venueClientId, ...extra }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    return this.searchByClientId(venueClientId, symbol, extra);
  }

  /**
   * Our order among the exchange's open, closed and (where ccxt lists them apart: Coinbase's closed
   * orders are the filled ones) canceled orders; narrowed by the exchange where it filters its
   * lists by client id (Kraken's `cl_ord_id`), else among the recent ones ccxt fetches.
   */
  private async searchByClientId(venueClientId: string, symbol: string, extra: Readonly<Record<string, unknown>>): Promise<CcxtOrder | undefined> {
    const ex = this.o.exchange;
    const params = { ...extra, ...(this.o.profile.clientId.lookup === 'filteredSearch' ? { clientOrderId: venueClientId } : {}) };
    const lists: (() => Promise<CcxtOrder[]>)[] = [() => ex.fetchOpenOrders(symbol, undefined, undefined, params), () => ex.fetchClosedOrders(symbol, undefined, undefined, params)];
    if (ex.has['fetchCanceledOrders'] === true) lists.push(() => ex.fetchCanceledOrders(symbol, undefined, undefined, params));
    for (const list of lists) {
      const hit = (await this.o.call('READ', list)).find((x) => x.clientOrderId === venueClientId);
      if (hit) return hit;
    }
    return undefined;
  }
}

/** An order the exchange does not have: ccxt's OrderNotFound, mapped by `call` into a read failure that names it. */
export function isNotFound(e: unknown): boolean {
  const ccxt = loadedCcxt();
  return (ccxt !== undefined && e instanceof ccxt.OrderNotFound) || (e instanceof Error && /ORDER_NOT_FOUND/.test(e.message));
}
