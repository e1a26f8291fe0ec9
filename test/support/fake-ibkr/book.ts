/**
 * The fake TWS's orders, executions and positions, and how orders work: a market order fills at
 * the quote; a limit rests until a trade at or through its price (`trade`); stops, if-touched and
 * trailing orders wait for their trigger; IOC / FOK are settled against the quote at once. Every
 * figure is a double, as in TWS, so averages carry binary noise the adapter must not trust.
 * What happens is told through `out`, to the client id that owns the order.
 */
import { commissionReport, errorMsg, execDetails, openOrder, orderStatus } from './messages.ts';
import type { PlacedOrder } from './place-order.ts';
import type { ContractDef, Execution, FakeOrder } from './types.ts';
import type { Field } from './wire.ts';

export interface BookOutput {
  /** A message for the client that owns the order (its id), or for every client (undefined). */
  send(clientId: number | undefined, fields: Field[]): void;
  /** TWS's direct answer to a request (an error for it), not part of the order stream. */
  reply(clientId: number, fields: Field[]): void;
}

const NATIVE_TYPES = new Set(['MKT', 'LMT', 'STP', 'STP LMT', 'TRAIL', 'TRAIL LIMIT', 'MIT', 'LIT']);
const TIFS = new Set(['DAY', 'GTC', 'IOC', 'GTD', 'FOK']);

export class Book {
  readonly orders = new Map<number, FakeOrder>();
  /** Every execution told, corrections included (a corrected one stays listed, as reqExecutions lists it). */
  readonly executions: Execution[] = [];
  /** Executions a later revision corrected: no longer in positions or cash. */
  readonly superseded = new Set<string>();
  readonly positions = new Map<number, { pos: number; cost: number }>();
  readonly quotes = new Map<string, { bid: number; ask: number }>();
  private permSeq = 900_000;
  private execSeq = 0;

  constructor(
    readonly contracts: readonly ContractDef[],
    readonly account: string,
    private readonly out: BookOutput,
    private readonly now: () => number,
  ) {}

  contract(conId: number): ContractDef | undefined {
    return this.contracts.find((c) => c.conId === conId);
  }

  /** A new order or, for the id of a working one, its modification (IB's only way to modify). */
  place(p: PlacedOrder, clientId: number): void {
    const existing = this.orders.get(p.orderId);
    const reject = (code: number, msg: string) => this.out.reply(clientId, errorMsg(p.orderId, code, msg));
    if (existing) {
      if (existing.status === 'Filled') return reject(104, `Can't modify a filled order`);
      if (existing.status === 'Cancelled' || existing.status === 'Inactive') return reject(103, 'Duplicate order id');
      return this.modify(existing, p, reject);
    }
    const contract = this.contract(p.contract.conId);
    if (!contract) return reject(200, 'No security definition has been found for the request');
    if (!NATIVE_TYPES.has(p.orderType)) return reject(387, `Unsupported order type for this exchange and security type.`);
    if (!TIFS.has(p.tif)) return reject(201, `Order rejected - reason:Invalid time in force ${p.tif}`);
    if (p.tif === 'GTD' && !/^\d{8}[- ]\d{2}:\d{2}:\d{2}( UTC)?$/.test(p.goodTillDate)) return reject(201, 'Order rejected - reason:Invalid Good Till Date format');
    if (p.account !== '' && p.account !== this.account) return reject(201, `Order rejected - reason:The account code ${p.account} is invalid`);
    const qty = Number(p.totalQuantity);
    if (!(qty > 0)) return reject(201, 'Order rejected - reason:The order size must be positive');
    const o: FakeOrder = {
      orderId: p.orderId,
      clientId,
      permId: ++this.permSeq,
      account: this.account,
      contract,
      action: p.action === 'SELL' ? 'SELL' : 'BUY',
      totalQuantity: qty,
      orderType: p.orderType,
      lmtPrice: p.lmtPrice,
      auxPrice: p.auxPrice,
      tif: p.tif,
      orderRef: p.orderRef,
      outsideRth: p.outsideRth,
      displaySize: p.displaySize,
      goodTillDate: p.goodTillDate,
      trailStopPrice: p.trailStopPrice,
      trailingPercent: p.trailingPercent,
      status: 'Submitted',
      filled: 0,
      avgFillPrice: 0,
      lastFillPrice: 0,
      triggered: false,
    };
    if (isTriggered(o.orderType)) {
      o.status = 'PreSubmitted';
      if (o.orderType.startsWith('TRAIL')) o.trailStopPrice ??= this.initialTrailStop(o);
    }
    this.orders.set(o.orderId, o);
    this.tellOrder(o);
    this.work(o);
  }

  private modify(o: FakeOrder, p: PlacedOrder, reject: (code: number, msg: string) => void): void {
    const qty = Number(p.totalQuantity);
    if (p.orderType !== o.orderType || p.action !== o.action || p.contract.conId !== o.contract.conId) return reject(105, 'Order being modified does not match original order');
    if (!(qty >= o.filled) || !(qty > 0)) return reject(201, 'Order rejected - reason:The order quantity cannot be reduced below the filled quantity');
    o.totalQuantity = qty;
    o.lmtPrice = p.lmtPrice;
    o.auxPrice = p.auxPrice;
    o.tif = p.tif;
    o.outsideRth = p.outsideRth;
    o.goodTillDate = p.goodTillDate;
    o.trailingPercent = p.trailingPercent;
    if (p.trailStopPrice !== undefined) o.trailStopPrice = p.trailStopPrice;
    this.tellOrder(o);
    this.work(o);
  }

  cancel(orderId: number, clientId: number): void {
    const o = this.orders.get(orderId);
    if (!o || o.clientId !== clientId) return this.out.reply(clientId, errorMsg(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`));
    if (o.status === 'Filled' || o.status === 'Cancelled' || o.status === 'Inactive') {
      return this.out.reply(clientId, errorMsg(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`));
    }
    this.end(o, 'Cancelled');
    this.out.send(o.clientId, errorMsg(orderId, 202, 'Order Canceled - reason:'));
  }

  /** Someone in the TWS window (client 0) placed an order: it has a negative id, as TWS gives manual orders. */
  placeByHand(conId: number, action: 'BUY' | 'SELL', qty: number, lmtPrice: number, orderRef: string): FakeOrder {
    const contract = this.contract(conId)!;
    const o: FakeOrder = {
      orderId: -(++this.permSeq % 1000), clientId: 0, permId: this.permSeq, account: this.account, contract, action, totalQuantity: qty,
      orderType: 'LMT', lmtPrice, auxPrice: undefined, tif: 'DAY', orderRef, outsideRth: false, displaySize: undefined, goodTillDate: '', trailStopPrice: undefined,
      trailingPercent: undefined, status: 'Submitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, triggered: false,
    };
    this.orders.set(o.orderId, o);
    return o;
  }

  quote(symbol: string, bid: number, ask: number): void {
    this.quotes.set(symbol, { bid, ask });
    for (const o of [...this.orders.values()]) if (o.contract.symbol === symbol) this.work(o);
  }

  /** A trade on the market at `price`: working orders it reaches fill, up to `maxQty` each. */
  trade(symbol: string, price: number, maxQty = Number.POSITIVE_INFINITY): void {
    for (const o of [...this.orders.values()]) {
      if (o.contract.symbol !== symbol || !isWorking(o)) continue;
      if (o.orderType.startsWith('TRAIL') && !o.triggered) this.ratchet(o, price);
      if (isTriggered(o.orderType) && !o.triggered) {
        if (!this.hits(o, price)) continue;
        o.triggered = true;
        o.status = 'Submitted';
        this.tellOrder(o);
      }
      const limit = limitOf(o);
      if (limit !== undefined && (o.action === 'BUY' ? price > limit : price < limit)) continue;
      this.fill(o, Math.min(maxQty, o.totalQuantity - o.filled), price, limit !== undefined ? 1 : 2);
    }
  }

  /** Fills `qty` of an order at `price` (partial fills), as the exchange did. */
  fill(o: FakeOrder, qty: number, price: number, liquidity: 1 | 2 = 1): void {
    if (qty <= 0) return;
    const cum = o.filled + qty;
    o.avgFillPrice = (o.avgFillPrice * o.filled + price * qty) / cum;
    o.filled = cum;
    o.lastFillPrice = price;
    const t = this.now();
    const e: Execution = {
      execId: `0000e0d5.${(0x6571b2d4 + ++this.execSeq).toString(16)}.01.01`,
      orderId: o.orderId, clientId: o.clientId, permId: o.permId, contract: o.contract, time: ibTime(t), epochMs: t, account: o.account,
      side: o.action === 'BUY' ? 'BOT' : 'SLD', shares: qty, price, cumQty: cum, avgPrice: o.avgFillPrice, orderRef: o.orderRef,
      commission: Math.max(1, qty * 0.005), liquidity,
    };
    this.executions.push(e);
    const p = this.positions.get(o.contract.conId) ?? { pos: 0, cost: 0 };
    const signed = o.action === 'BUY' ? qty : -qty;
    this.positions.set(o.contract.conId, { pos: p.pos + signed, cost: p.cost + signed * price });
    if (o.filled >= o.totalQuantity) o.status = 'Filled';
    this.out.send(o.clientId, execDetails(-1, e));
    this.tellOrder(o);
    this.out.send(o.clientId, commissionReport(e));
  }

  /**
   * IB corrects an execution (FAULTS 19): a new execDetails (and commission report) whose execId
   * differs only after the last period (….01 → ….02), with the corrected shares or price; the
   * position and the order's filled quantity follow. The corrected execution stays listed.
   */
  correct(execId: string, terms: { shares?: number; price?: number }): Execution {
    const old = this.executions.find((e) => e.execId === execId);
    if (!old || this.superseded.has(execId)) throw new Error(`no current execution ${execId}`);
    const cut = execId.lastIndexOf('.');
    const revision = String(Number(execId.slice(cut + 1)) + 1).padStart(2, '0');
    const shares = terms.shares ?? old.shares;
    const price = terms.price ?? old.price;
    const o = this.orders.get(old.orderId);
    const delta = shares - old.shares;
    const e: Execution = { ...old, execId: `${execId.slice(0, cut)}.${revision}`, shares, price, cumQty: old.cumQty + delta, commission: Math.max(1, shares * 0.005) };
    this.executions.push(e);
    this.superseded.add(execId);
    const sign = old.side === 'BOT' ? 1 : -1;
    const p = this.positions.get(old.contract.conId) ?? { pos: 0, cost: 0 };
    this.positions.set(old.contract.conId, { pos: p.pos + sign * delta, cost: p.cost + sign * (shares * price - old.shares * old.price) });
    if (o) o.filled += delta;
    this.out.send(old.clientId, execDetails(-1, e));
    this.out.send(old.clientId, commissionReport(e));
    return e;
  }

  /** The executions that stand (each at its latest revision). */
  current(): Execution[] {
    return this.executions.filter((e) => !this.superseded.has(e.execId));
  }

  private work(o: FakeOrder): void {
    if (!isWorking(o)) return;
    const q = this.quotes.get(o.contract.symbol);
    const marketable = o.orderType === 'MKT' || (o.orderType === 'LMT' && q !== undefined && (o.action === 'BUY' ? q.ask <= o.lmtPrice! : q.bid >= o.lmtPrice!));
    if (marketable && q) {
      const remaining = o.totalQuantity - o.filled;
      if (o.tif === 'FOK' && remaining > 100) return this.end(o, 'Cancelled');
      this.fill(o, remaining, o.action === 'BUY' ? q.ask : q.bid, 2);
      return;
    }
    if (o.tif === 'IOC' || o.tif === 'FOK') this.end(o, 'Cancelled');
  }

  private end(o: FakeOrder, status: 'Cancelled' | 'Inactive'): void {
    o.status = status;
    this.tellOrder(o);
  }

  private tellOrder(o: FakeOrder): void {
    this.out.send(o.clientId, openOrder(o));
    this.out.send(o.clientId, orderStatus(o));
  }

  private hits(o: FakeOrder, price: number): boolean {
    const trigger = o.orderType.startsWith('TRAIL') ? o.trailStopPrice! : o.auxPrice!;
    const stopLike = o.orderType === 'STP' || o.orderType === 'STP LMT' || o.orderType.startsWith('TRAIL');
    // A buy stop fires at or above its trigger; a buy if-touched at or below it.
    return (o.action === 'BUY') === stopLike ? price >= trigger : price <= trigger;
  }

  private initialTrailStop(o: FakeOrder): number | undefined {
    const q = this.quotes.get(o.contract.symbol);
    if (!q) return undefined;
    const ref = o.action === 'SELL' ? q.bid : q.ask;
    return o.action === 'SELL' ? ref - this.trailAmount(o, ref) : ref + this.trailAmount(o, ref);
  }

  private trailAmount(o: FakeOrder, ref: number): number {
    return o.trailingPercent !== undefined ? (ref * o.trailingPercent) / 100 : (o.auxPrice ?? 0);
  }

  private ratchet(o: FakeOrder, price: number): void {
    const next = o.action === 'SELL' ? price - this.trailAmount(o, price) : price + this.trailAmount(o, price);
    if (o.trailStopPrice === undefined || (o.action === 'SELL' ? next > o.trailStopPrice : next < o.trailStopPrice)) o.trailStopPrice = next;
  }
}

const isTriggered = (type: string): boolean => type !== 'MKT' && type !== 'LMT';
const isWorking = (o: FakeOrder): boolean => o.status === 'Submitted' || o.status === 'PreSubmitted';

function limitOf(o: FakeOrder): number | undefined {
  return o.orderType === 'LMT' || o.orderType === 'STP LMT' || o.orderType === 'LIT' || o.orderType === 'TRAIL LIMIT' ? o.lmtPrice : undefined;
}

/** An execution time as TWS writes it: "yyyyMMdd HH:mm:ss" and the time zone (the fake's TWS runs in UTC). */
export function ibTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}
