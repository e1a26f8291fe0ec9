/**
 * The matching model of the fake Alpaca: one account's US equity orders, positions and cash,
 * matched against the market the test sets (quotes and prints). Market orders and marketable
 * limits fill against the quote; resting limits, triggered stops and trailing stops fill against
 * prints, a print's size at most (so a large order fills in parts). Every change is published as
 * a trade_updates event (new, partial_fill, fill, canceled, expired, replaced, rejected ...).
 * What the exchange does on its own, as Alpaca passes it on: `reject` (rejected after new),
 * `doneForDay` / `nextDay` (done_for_day), `lateCancel` (a cancel accepted with 204 that reaches
 * the exchange late: a fill first makes it order_cancel_rejected) and `replaceRace` (a fill of the
 * old order during a replace, FAULTS 18; filled whole, the replacing order is rejected and the old
 * one gets order_replace_rejected, as Alpaca's PATCH documentation describes).
 * Figures are exact decimal strings throughout. Order classes bracket, oco and oto (lists.ts): the
 * legs are orders of their own (own id, own client id Alpaca makes up), `held` until the entry
 * fills; a leg that fills cancels its siblings; canceling the parent cancels its legs.
 */
import { randomUUID } from 'node:crypto';
import { add, cmp, min, mul, sub } from '../fake-binance/decimal.ts';
import { AlpacaError, ERR } from './errors.ts';
import { checkList, legsOf, type ListTerms, type OrderClass } from './lists.ts';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type Tif = 'day' | 'gtc' | 'ioc' | 'fok' | 'opg' | 'cls';

export interface FakeOrder {
  readonly id: string;
  clientOrderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  tif: Tif;
  qty: string;
  filledQty: string;
  /** Σ price × qty of the fills, for filled_avg_price. */
  filledNotional: string;
  limitPrice: string | undefined;
  stopPrice: string | undefined;
  trailPrice: string | undefined;
  trailPercent: string | undefined;
  hwm: string | undefined;
  triggered: boolean;
  status: string;
  readonly createdAt: number;
  updatedAt: number;
  filledAt: number | undefined;
  replaces: string | undefined;
  replacedBy: string | undefined;
  orderClass: OrderClass;
  /** A leg's parent order (the entry, or an oco's limit order). */
  parentId: string | undefined;
  /** A list's legs (ids), in Alpaca's order: take-profit, stop-loss. */
  legs: string[];
}

export interface FakeFill {
  readonly executionId: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Side;
  readonly price: string;
  readonly qty: string;
  readonly ts: number;
  readonly cumQty: string;
  readonly leavesQty: string;
  readonly orderStatus: string;
}

export interface FakeEvent {
  readonly event: string;
  readonly order: FakeOrder;
  readonly fill?: FakeFill;
  readonly positionQty?: string;
  readonly ts: number;
}

export interface PlaceRequest {
  readonly symbol: string;
  readonly side: Side;
  readonly type: OrderType;
  readonly tif: Tif;
  readonly qty: string;
  readonly limitPrice?: string;
  readonly stopPrice?: string;
  readonly trailPrice?: string;
  readonly trailPercent?: string;
  readonly clientOrderId?: string;
  readonly list?: ListTerms;
}

const OPEN = new Set(['new', 'accepted', 'pending_new', 'partially_filled', 'pending_cancel', 'pending_replace', 'held', 'done_for_day']);
export const isOpen = (o: FakeOrder): boolean => OPEN.has(o.status);

export class FakeBook {
  readonly orders = new Map<string, FakeOrder>();
  readonly fills: FakeFill[] = [];
  readonly positions = new Map<string, string>();
  private readonly quotes = new Map<string, { bid: string; ask: string }>();
  private readonly listeners: ((e: FakeEvent) => void)[] = [];
  private readonly last = new Map<string, string>();
  /** Set by a test: the next cancel reaches the exchange late (pending_cancel; a fill before it lands makes it order_cancel_rejected). */
  lateCancel = false;
  /** Orders whose cancel is on its way (lateCancel). */
  private readonly cancelling = new Set<string>();
  /** Set by a test: the next replace races a fill of the old order (FAULTS 18): `qty` at `price` fills between pending_replace and the replace. */
  replaceRace: { qty: string; price: string } | undefined;

  constructor(
    public cash: string,
    readonly symbols: ReadonlySet<string>,
    private readonly now: () => number = () => Date.now(),
  ) {}

  onEvent(l: (e: FakeEvent) => void): void {
    this.listeners.push(l);
  }

  byClientId(id: string): FakeOrder | undefined {
    return [...this.orders.values()].find((o) => o.clientOrderId === id);
  }

  place(r: PlaceRequest): FakeOrder {
    if (!this.symbols.has(r.symbol)) throw new AlpacaError(422, ERR.unprocessable, `asset "${r.symbol}" not found`);
    if (r.clientOrderId !== undefined && this.byClientId(r.clientOrderId)) throw new AlpacaError(422, ERR.unprocessable, 'client_order_id must be unique');
    const list = r.list ?? { orderClass: 'simple' };
    // An oco is priced by its take_profit alone.
    const limitPrice = list.orderClass === 'oco' ? list.takeProfit?.limitPrice : r.limitPrice;
    checkList(list, { side: r.side, type: r.type, tif: r.tif, extendedHours: false }, limitPrice ?? this.quoteFor(r.symbol, r.side));
    this.checkFunds({ ...r, ...(limitPrice !== undefined ? { limitPrice } : {}) });
    const t = this.now();
    const o: FakeOrder = {
      id: randomUUID(), clientOrderId: r.clientOrderId ?? randomUUID(), symbol: r.symbol, side: r.side, type: r.type, tif: r.tif, qty: r.qty, filledQty: '0', filledNotional: '0',
      limitPrice, stopPrice: r.stopPrice, trailPrice: r.trailPrice, trailPercent: r.trailPercent, hwm: undefined, triggered: r.type === 'market' || r.type === 'limit',
      status: 'pending_new', createdAt: t, updatedAt: t, filledAt: undefined, replaces: undefined, replacedBy: undefined, orderClass: list.orderClass, parentId: undefined, legs: [],
    };
    this.orders.set(o.id, o);
    for (const l of legsOf(list, r.side)) {
      const leg: FakeOrder = {
        ...o, id: randomUUID(), clientOrderId: randomUUID(), side: l.side, type: l.type, limitPrice: l.limitPrice, stopPrice: l.stopPrice, triggered: l.type === 'limit',
        status: list.orderClass === 'oco' ? 'new' : 'held', parentId: o.id, legs: [],
      };
      this.orders.set(leg.id, leg);
      o.legs.push(leg.id);
    }
    if (r.type === 'trailing_stop') this.trailFrom(o, this.lastPrice(r.symbol));
    this.publish('pending_new', o);
    this.setStatus(o, 'new');
    for (const id of list.orderClass === 'oco' ? o.legs : []) this.publish('new', this.orders.get(id)!);
    this.matchQuote(o);
    this.endImmediate(o);
    return o;
  }

  /** Alpaca's replace: a new order under a new id with the terms changed, the old one `replaced`. */
  replace(id: string, change: { qty?: string; limitPrice?: string; stopPrice?: string; trail?: string; clientOrderId?: string }): FakeOrder {
    const old = this.orders.get(id);
    if (!old) throw new AlpacaError(404, ERR.notFound, 'order not found');
    if (!isOpen(old)) throw new AlpacaError(422, ERR.unprocessable, `order is already in "${old.status}" state`);
    if (change.clientOrderId !== undefined && this.byClientId(change.clientOrderId)) throw new AlpacaError(422, ERR.unprocessable, 'client_order_id must be unique');
    const race = this.replaceRace;
    this.replaceRace = undefined;
    if (race) return this.racedReplace(old, change, race);
    return this.replaceNow(old, change, true);
  }

  /**
   * A replace that races a fill of the old order (FAULTS 18): Alpaca answers with the replacing
   * order (accepted) after pending_replace; then, before that order reaches the exchange, the old
   * one fills. Filled whole, the replacing order is rejected ("rejected" for it, then
   * "order_replace_rejected" for the old one); else the replace goes through with the fill
   * carried over.
   */
  private racedReplace(old: FakeOrder, change: Parameters<FakeBook['replace']>[1], race: { qty: string; price: string }): FakeOrder {
    this.publish('pending_replace', { ...old, status: 'pending_replace' });
    old.status = 'pending_replace';
    const t = this.now();
    const next: FakeOrder = {
      ...old, id: randomUUID(), clientOrderId: change.clientOrderId ?? randomUUID(), qty: change.qty ?? old.qty, limitPrice: change.limitPrice ?? old.limitPrice, stopPrice: change.stopPrice ?? old.stopPrice,
      filledQty: '0', filledNotional: '0', status: 'accepted', createdAt: t, updatedAt: t, filledAt: undefined, replaces: old.id, replacedBy: undefined, legs: [],
    };
    const answer = { ...next };
    setTimeout(() => {
      this.fill(old, race.price, min(race.qty, sub(old.qty, old.filledQty)));
      if (old.status !== 'filled') return void this.replaceNow(old, change, false, next.id);
      this.orders.set(next.id, next);
      this.setStatus(next, 'rejected');
      this.publish('order_replace_rejected', old);
    }, 30);
    return answer;
  }

  private replaceNow(old: FakeOrder, change: Parameters<FakeBook['replace']>[1], announce: boolean, id: string = randomUUID()): FakeOrder {
    const t = this.now();
    const next: FakeOrder = {
      ...old, id, clientOrderId: change.clientOrderId ?? randomUUID(), qty: change.qty ?? old.qty, limitPrice: change.limitPrice ?? old.limitPrice, stopPrice: change.stopPrice ?? old.stopPrice,
      trailPrice: old.trailPrice !== undefined ? (change.trail ?? old.trailPrice) : undefined, trailPercent: old.trailPercent !== undefined ? (change.trail ?? old.trailPercent) : undefined,
      status: 'new', createdAt: t, updatedAt: t, replaces: old.id, replacedBy: undefined, legs: [...old.legs],
    };
    // A replaced leg stays its parent's leg; a replaced parent keeps its legs.
    const parent = old.parentId === undefined ? undefined : this.orders.get(old.parentId);
    if (parent) parent.legs = parent.legs.map((l) => (l === old.id ? next.id : l));
    for (const l of next.legs) this.orders.get(l)!.parentId = next.id;
    if (announce) this.publish('pending_replace', { ...old, status: 'pending_replace' });
    old.status = 'replaced';
    old.replacedBy = next.id;
    old.updatedAt = t;
    this.orders.set(next.id, next);
    this.publish('replaced', next);
    this.matchQuote(next);
    return next;
  }

  cancel(id: string): FakeOrder {
    const o = this.orders.get(id);
    if (!o) throw new AlpacaError(404, ERR.notFound, 'order not found');
    if (!isOpen(o)) throw new AlpacaError(422, ERR.unprocessable, `order is already in "${o.status}" state`);
    this.publish('pending_cancel', { ...o, status: 'pending_cancel' });
    if (this.lateCancel) {
      // Accepted (204); it lands when the test says (`landCancel`), unless a fill gets there first.
      this.lateCancel = false;
      o.status = 'pending_cancel';
      this.cancelling.add(o.id);
      return o;
    }
    this.setStatus(o, 'canceled');
    // Canceling a list's parent cancels its legs.
    for (const l of o.legs) {
      const leg = this.orders.get(l)!;
      if (isOpen(leg)) this.setStatus(leg, 'canceled');
    }
    return o;
  }

  /** A late cancel (lateCancel) reaches the exchange: the order ends canceled, or, already filled, the cancel is refused. */
  landCancel(id: string): void {
    const o = this.orders.get(id)!;
    if (!this.cancelling.delete(id)) return;
    if (isOpen(o)) this.setStatus(o, 'canceled');
  }

  /** The exchange rejects a working order (after its `new`), as Alpaca passes on. */
  reject(id: string): void {
    const o = this.orders.get(id)!;
    this.setStatus(o, 'rejected');
  }

  /** The order is done for the day (done_for_day): still open, no fills until `nextDay`. */
  doneForDay(id: string): void {
    this.setStatus(this.orders.get(id)!, 'done_for_day');
  }

  /** The next session: orders done for the day work again. */
  nextDay(): void {
    for (const o of this.orders.values()) if (o.status === 'done_for_day') this.setStatus(o, cmp(o.filledQty, '0') > 0 ? 'partially_filled' : 'new');
  }

  quote(symbol: string, bid: string, ask: string): void {
    this.quotes.set(symbol, { bid, ask });
    for (const o of this.openOf(symbol)) this.matchQuote(o);
  }

  /** A print: moves trailing stops, triggers stops, fills resting orders up to its size. */
  print(symbol: string, price: string, size: string): void {
    this.last.set(symbol, price);
    let left = size;
    for (const o of this.openOf(symbol)) {
      if (o.status === 'held' || o.status === 'done_for_day') continue;
      if (o.type === 'trailing_stop') this.trailFrom(o, price);
      if (!o.triggered && this.stopHit(o, price)) o.triggered = true;
      if (!o.triggered || cmp(left, '0') <= 0) continue;
      const at = o.type === 'limit' || o.type === 'stop_limit' ? o.limitPrice! : price;
      if (o.limitPrice !== undefined && !(o.side === 'buy' ? cmp(price, o.limitPrice) <= 0 : cmp(price, o.limitPrice) >= 0)) continue;
      const qty = min(left, sub(o.qty, o.filledQty));
      left = sub(left, qty);
      this.fill(o, at, qty);
    }
  }

  /** The day ends: DAY orders still open expire. */
  endOfDay(): void {
    for (const o of [...this.orders.values()]) if (isOpen(o) && o.tif === 'day') this.setStatus(o, 'expired');
  }

  /** The quote a market order of `side` would take (a list's base price). */
  private quoteFor(symbol: string, side: Side): string | undefined {
    const q = this.quotes.get(symbol);
    return q && (side === 'buy' ? q.ask : q.bid);
  }

  private lastPrice(symbol: string): string | undefined {
    return this.last.get(symbol) ?? this.quotes.get(symbol)?.bid;
  }

  private openOf(symbol: string): FakeOrder[] {
    return [...this.orders.values()].filter((o) => o.symbol === symbol && isOpen(o)).sort((a, b) => a.createdAt - b.createdAt);
  }

  private checkFunds(r: PlaceRequest): void {
    if (r.side === 'sell') {
      const held = this.positions.get(r.symbol) ?? '0';
      // A list's legs share its quantity: counted once, with their parent.
      const working = [...this.orders.values()].filter((o) => isOpen(o) && o.symbol === r.symbol && o.side === 'sell' && o.parentId === undefined).reduce((s, o) => add(s, sub(o.qty, o.filledQty)), '0');
      const available = sub(held, working);
      if (cmp(r.qty, available) > 0) throw new AlpacaError(403, ERR.forbidden, `insufficient qty available for order (requested: ${r.qty}, available: ${available})`);
      return;
    }
    const px = r.limitPrice ?? r.stopPrice ?? this.quotes.get(r.symbol)?.ask ?? this.last.get(r.symbol) ?? '0';
    if (cmp(mul(px, r.qty), this.cash) > 0) throw new AlpacaError(403, ERR.forbidden, 'insufficient buying power');
  }

  private stopHit(o: FakeOrder, price: string): boolean {
    if (o.stopPrice === undefined) return false;
    return o.side === 'buy' ? cmp(price, o.stopPrice) >= 0 : cmp(price, o.stopPrice) <= 0;
  }

  /** A trailing stop's high-water mark (low for a buy) and the stop it implies. */
  private trailFrom(o: FakeOrder, price: string | undefined): void {
    if (price === undefined || o.triggered) return;
    const better = o.hwm === undefined || (o.side === 'sell' ? cmp(price, o.hwm) > 0 : cmp(price, o.hwm) < 0);
    if (!better) return;
    o.hwm = price;
    const offset = o.trailPrice ?? mul(price, mul(o.trailPercent!, '0.01'));
    o.stopPrice = o.side === 'sell' ? sub(price, offset) : add(price, offset);
  }

  private matchQuote(o: FakeOrder): void {
    const q = this.quotes.get(o.symbol);
    if (!q || !o.triggered || !isOpen(o) || o.status === 'held' || o.status === 'done_for_day') return;
    const px = o.side === 'buy' ? q.ask : q.bid;
    if (o.limitPrice !== undefined && !(o.side === 'buy' ? cmp(px, o.limitPrice) <= 0 : cmp(px, o.limitPrice) >= 0)) return;
    this.fill(o, px, sub(o.qty, o.filledQty));
  }

  /** IOC and FOK: what did not fill at once is canceled (FOK filled whole or not at all, as the quote allowed). */
  private endImmediate(o: FakeOrder): void {
    if ((o.tif === 'ioc' || o.tif === 'fok') && isOpen(o)) this.setStatus(o, 'canceled');
  }

  private fill(o: FakeOrder, price: string, qty: string): void {
    if (cmp(qty, '0') <= 0) return;
    const t = this.now();
    o.filledQty = add(o.filledQty, qty);
    o.filledNotional = add(o.filledNotional, mul(price, qty));
    const pending = o.status === 'pending_cancel' || o.status === 'pending_replace';
    o.status = cmp(o.filledQty, o.qty) >= 0 ? 'filled' : pending ? o.status : 'partially_filled';
    o.updatedAt = t;
    if (o.status === 'filled') o.filledAt = t;
    const signed = o.side === 'buy' ? qty : `-${qty}`;
    const position = add(this.positions.get(o.symbol) ?? '0', signed);
    this.positions.set(o.symbol, position);
    this.cash = o.side === 'buy' ? sub(this.cash, mul(price, qty)) : add(this.cash, mul(price, qty));
    const f: FakeFill = { executionId: randomUUID(), orderId: o.id, symbol: o.symbol, side: o.side, price, qty, ts: t, cumQty: o.filledQty, leavesQty: sub(o.qty, o.filledQty), orderStatus: o.status };
    this.fills.push(f);
    this.publish(o.status === 'filled' ? 'fill' : 'partial_fill', o, f, position);
    if (o.status === 'filled') this.listFilled(o);
    // Filled before a late cancel reached the exchange: too late to cancel.
    if (o.status === 'filled' && this.cancelling.delete(o.id)) this.publish('order_cancel_rejected', o);
  }

  /** A filled entry makes its held legs work; a filled exit (a leg, or an oco's limit) cancels the rest of its list. */
  private listFilled(o: FakeOrder): void {
    if (o.legs.length > 0 && o.orderClass !== 'oco') {
      for (const l of o.legs) {
        const leg = this.orders.get(l)!;
        if (leg.status !== 'held') continue;
        this.setStatus(leg, 'new');
        this.matchQuote(leg);
      }
      return;
    }
    const parent = o.parentId === undefined ? (o.orderClass === 'oco' ? o : undefined) : this.orders.get(o.parentId);
    if (!parent) return;
    const members = parent.orderClass === 'oco' ? [parent.id, ...parent.legs] : parent.legs;
    for (const id of members) {
      const m = this.orders.get(id)!;
      if (m !== o && isOpen(m)) this.setStatus(m, 'canceled');
    }
  }

  private setStatus(o: FakeOrder, status: string): void {
    o.status = status;
    o.updatedAt = this.now();
    this.publish(status, o);
  }

  private publish(event: string, order: FakeOrder, fill?: FakeFill, positionQty?: string): void {
    const e: FakeEvent = { event, order: { ...order }, ts: this.now(), ...(fill ? { fill } : {}), ...(positionQty !== undefined ? { positionQty } : {}) };
    for (const l of this.listeners) l(e);
  }
}
