/**
 * The matching core every fake exchange server in test/support shares: Warden's own
 * SimulatedExchange behind a small, exchange-neutral API in plain decimal strings, so the fakes
 * (Binance, Kraken, Coinbase) only translate their wire protocol and the fills are real matches
 * against the market the test sets (quotes, trades).
 *
 * Orders are keyed per account by the client's id, as exchanges keep them; every change is
 * published as a FakeExecution (what an exchange's user stream pushes).
 */
import type { Clock } from '../../../src/engine/clock.ts';
import type { VenueReport } from '../../../src/engine/venue.ts';
import { currency, type Currency } from '../../../src/model/currency.ts';
import { Money } from '../../../src/model/money.ts';
import { Instrument } from '../../../src/model/instrument.ts';
import { createOrderSpec } from '../../../src/model/orders/factory.ts';
import type { OrderSpec } from '../../../src/model/orders/types.ts';
import { SimAccounts } from '../../../src/venues/sim/exchange/balances.ts';
import { SimulatedExchange } from '../../../src/venues/sim/exchange/simulated-exchange.ts';

/** A market the fake lists, as the exchange's metadata would describe it. */
export interface FakeMarketSpec {
  /** The exchange's own symbol (`BTCUSDT`, `XXBTZUSD`, `BTC-USD`). */
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly kind?: 'SPOT' | 'PERPETUAL';
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQty?: string;
  readonly maxQty?: string;
  readonly minNotional?: string;
  readonly makerFee?: string;
  readonly takerFee?: string;
}

export type FakeOrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'STOP_LIMIT' | 'MARKET_IF_TOUCHED' | 'LIMIT_IF_TOUCHED';
export type FakeOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';

export interface FakePlaceRequest {
  readonly account: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: FakeOrderType;
  readonly quantity: string;
  readonly price?: string;
  readonly triggerPrice?: string;
  readonly timeInForce?: 'GTC' | 'IOC' | 'FOK';
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  /** The client's id; the fake makes one up when absent, as exchanges do. */
  readonly clientOrderId?: string;
}

export interface FakeTrade {
  readonly tradeId: number;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: string;
  readonly qty: string;
  readonly commission: string;
  readonly commissionAsset: string;
  readonly maker: boolean;
  readonly ts: number;
}

export interface FakeOrder {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly type: FakeOrderType;
  readonly timeInForce: 'GTC' | 'IOC' | 'FOK';
  readonly quantity: string;
  readonly price: string | undefined;
  readonly triggerPrice: string | undefined;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  status: FakeOrderStatus;
  /** Sum of the trades' quantities, plain decimal. */
  executedQty: string;
  /** Sum of price × quantity over the trades, plain decimal. */
  cumQuote: string;
  readonly createdAt: number;
  updatedAt: number;
  readonly trades: FakeTrade[];
  /** Why the exchange rejected or ended it (the matching core's reason text). */
  reason: string | undefined;
}

/** What a user data stream pushes: the order as it now stands, and the trade when one happened. */
export interface FakeExecution {
  readonly exec: 'NEW' | 'TRADE' | 'CANCELED' | 'REJECTED' | 'EXPIRED' | 'TRIGGERED' | 'REPLACED';
  readonly order: FakeOrder;
  readonly trade?: FakeTrade;
}

/** A move of the market the test made (quote or print), for the fakes' public market-data streams. */
export type FakeMarketEvent =
  | { readonly kind: 'quote'; readonly symbol: string; readonly bid: string; readonly ask: string; readonly ts: number }
  | { readonly kind: 'trade'; readonly symbol: string; readonly price: string; readonly qty: string; readonly ts: number };

/** Refusals at entry, as exchanges word them; each fake maps the code to its own error. */
export class FakeReject extends Error {
  constructor(
    readonly code: 'UNKNOWN_SYMBOL' | 'INSUFFICIENT_BALANCE' | 'INVALID_ORDER' | 'POST_ONLY_WOULD_CROSS' | 'DUPLICATE_CLIENT_ORDER_ID' | 'UNKNOWN_ORDER' | 'REDUCE_ONLY_REJECTED',
    message: string,
  ) {
    super(message);
    this.name = 'FakeReject';
  }
}

export interface FakeMatchingOptions {
  readonly markets: readonly FakeMarketSpec[];
  /** The exchange's clock (fakes pass their own, possibly skewed). Default: wall time. */
  readonly clock?: Clock;
  /** Balance precision of assets the fake does not know (default 8). */
  readonly precision?: Readonly<Record<string, number>>;
}

const PRECISION: Readonly<Record<string, number>> = { USD: 2, EUR: 2, ZUSD: 4, ZEUR: 4, XRP: 6 };

/** The matching core of a fake exchange. */
export class FakeMatching {
  private readonly clock: Clock;
  private readonly accounts = new SimAccounts();
  private readonly exchange: SimulatedExchange;
  private readonly instruments = new Map<string, Instrument>();
  private readonly specs = new Map<string, FakeMarketSpec>();
  private readonly currencies = new Map<string, Currency>();
  private readonly orders = new Map<string, FakeOrder>(); // internal id → order
  private readonly byOrderId = new Map<number, FakeOrder>();
  private readonly listeners: ((e: FakeExecution) => void)[] = [];
  private readonly marketListeners: ((e: FakeMarketEvent) => void)[] = [];
  private readonly lastPrice = new Map<string, string>();
  private readonly quotes = new Map<string, { bid: string; ask: string }>();
  private nextOrderId = 1000;
  private nextTradeId = 5000;
  private nextClientId = 1;

  constructor(private readonly o: FakeMatchingOptions) {
    this.clock = o.clock ?? { now: () => Date.now() };
    this.exchange = new SimulatedExchange({ id: 'FAKE', clock: this.clock, accounts: this.accounts });
    this.exchange.connect((r) => this.onReport(r));
    for (const m of o.markets) this.listMarket(m);
  }

  // ---- metadata ----

  markets(): FakeMarketSpec[] {
    return [...this.specs.values()];
  }

  market(symbol: string): FakeMarketSpec | undefined {
    return this.specs.get(symbol);
  }

  /** A venue's tick or lot change (FAULTS 35): later orders are checked against the new grid. */
  setFilters(symbol: string, change: { tickSize?: string; lotSize?: string }): void {
    const m = this.specs.get(symbol);
    if (!m) throw new FakeReject('UNKNOWN_SYMBOL', `unknown symbol ${symbol}`);
    this.listMarket({ ...m, ...change });
  }

  // ---- accounts ----

  /** Opens a CASH account with these balances (asset → plain decimal); spot orders are checked against them. */
  openAccount(account: string, balances: Readonly<Record<string, string>>): void {
    this.accounts.openCashAccount(
      account,
      Object.entries(balances).map(([asset, amount]) => Money.of(amount, this.currency(asset))),
    );
  }

  /** Each asset the account holds: free and locked, plain decimals. */
  balances(account: string): Record<string, { free: string; locked: string }> {
    const out: Record<string, { free: string; locked: string }> = {};
    for (const c of this.currencies.values()) {
      const b = this.accounts.balance(account, c);
      if (b) out[c.code] = { free: b.free.toDecimalString(), locked: b.locked.toDecimalString() };
    }
    return out;
  }

  /** Net positions (derivatives) of an account: signed quantity per symbol. */
  async positions(account: string): Promise<{ symbol: string; qty: string }[]> {
    const all = await this.exchange.queries.positions();
    const out: { symbol: string; qty: string }[] = [];
    for (const p of all) {
      if (p.accountId !== account || p.side === 'FLAT') continue;
      const symbol = [...this.instruments.entries()].find(([, i]) => i.id === p.instrumentId)?.[0];
      if (symbol) out.push({ symbol, qty: (p.side === 'SHORT' ? '-' : '') + p.quantity.toString() });
    }
    return out;
  }

  // ---- market ----

  /** Top of book moves: market orders take it, resting orders it reaches fill. */
  quote(symbol: string, bid: string, ask: string): void {
    const inst = this.instrument(symbol);
    this.quotes.set(symbol, { bid, ask });
    this.exchange.onQuote(inst, inst.price(bid), inst.price(ask));
    this.publishMarket({ kind: 'quote', symbol, bid, ask, ts: this.clock.now() });
  }

  /** A trade prints in the market: resting orders at or through it fill, stops at it trigger. */
  trade(symbol: string, price: string, qty: string): void {
    const inst = this.instrument(symbol);
    this.lastPrice.set(symbol, price);
    this.exchange.onTrade(inst, inst.price(price), qty);
    this.publishMarket({ kind: 'trade', symbol, price, qty, ts: this.clock.now() });
  }

  /** Every quote and print the test makes, after the matching has reacted to it. */
  onMarket(listener: (e: FakeMarketEvent) => void): () => void {
    this.marketListeners.push(listener);
    return () => void this.marketListeners.splice(this.marketListeners.indexOf(listener), 1);
  }

  private publishMarket(e: FakeMarketEvent): void {
    for (const l of [...this.marketListeners]) l(e);
  }

  ticker(symbol: string): { bid: string | undefined; ask: string | undefined; last: string | undefined } {
    const q = this.quotes.get(symbol);
    return { bid: q?.bid, ask: q?.ask, last: this.lastPrice.get(symbol) };
  }

  // ---- orders ----

  onExecution(listener: (e: FakeExecution) => void): () => void {
    this.listeners.push(listener);
    return () => void this.listeners.splice(this.listeners.indexOf(listener), 1);
  }

  /**
   * Places an order; returns it as it stands once the exchange answered (filled at once when
   * marketable). Throws FakeReject for what the exchange refuses at entry.
   */
  place(req: FakePlaceRequest): FakeOrder {
    const inst = this.instrument(req.symbol);
    const clientOrderId = req.clientOrderId ?? `fake-${this.nextClientId++}`;
    const key = this.key(req.account, clientOrderId);
    const existing = this.orders.get(key);
    if (existing && !isFinal(existing.status)) throw new FakeReject('DUPLICATE_CLIENT_ORDER_ID', `duplicate client order id ${clientOrderId}`);
    const m = this.specs.get(req.symbol)!;
    this.checkFilters(m, req);
    let spec: OrderSpec;
    try {
      spec = createOrderSpec(
        {
          clientOrderId: key,
          accountId: req.account,
          instrumentId: inst.id,
          side: req.side,
          type: req.type,
          quantity: req.quantity,
          ...(req.price !== undefined ? { price: req.price } : {}),
          ...(req.triggerPrice !== undefined ? { triggerPrice: req.triggerPrice } : {}),
          timeInForce: req.timeInForce ?? (req.type === 'MARKET' ? 'IOC' : 'GTC'),
          postOnly: req.postOnly ?? false,
          reduceOnly: req.reduceOnly ?? false,
        },
        inst,
        this.clock.now(),
      );
    } catch (e) {
      throw new FakeReject('INVALID_ORDER', (e as Error).message);
    }
    const now = this.clock.now();
    const order: FakeOrder = {
      orderId: this.nextOrderId++,
      clientOrderId,
      account: req.account,
      symbol: req.symbol,
      side: req.side,
      type: req.type,
      timeInForce: spec.timeInForce === 'IOC' || spec.timeInForce === 'FOK' ? spec.timeInForce : 'GTC',
      quantity: req.quantity,
      price: req.price,
      triggerPrice: req.triggerPrice,
      postOnly: req.postOnly ?? false,
      reduceOnly: req.reduceOnly ?? false,
      status: 'NEW',
      executedQty: '0',
      cumQuote: '0',
      createdAt: now,
      updatedAt: now,
      trades: [],
      reason: undefined,
    };
    this.orders.set(key, order);
    this.byOrderId.set(order.orderId, order);
    this.pendingReject = undefined;
    this.exchange.submit({ spec, instrument: inst });
    const rejected = this.pendingReject as string | undefined;
    if (rejected !== undefined) {
      this.orders.delete(key);
      this.byOrderId.delete(order.orderId);
      if (existing) this.orders.set(key, existing);
      throw new FakeReject(rejectCode(rejected), rejected);
    }
    return order;
  }

  /** Cancels a working order; throws UNKNOWN_ORDER when there is none (or it is already done). */
  cancel(account: string, ref: { orderId?: number; clientOrderId?: string }): FakeOrder {
    const o = this.find(account, ref);
    if (!o || isFinal(o.status)) throw new FakeReject('UNKNOWN_ORDER', 'Unknown order sent.');
    this.exchange.cancel({ clientOrderId: this.key(account, o.clientOrderId) as never, venueOrderId: undefined, instrument: this.instrument(o.symbol) });
    return o;
  }

  /** An order of the account, working or done. */
  find(account: string, ref: { orderId?: number; clientOrderId?: string }): FakeOrder | undefined {
    const o = ref.orderId !== undefined ? this.byOrderId.get(ref.orderId) : ref.clientOrderId !== undefined ? this.orders.get(this.key(account, ref.clientOrderId)) : undefined;
    return o && o.account === account ? o : undefined;
  }

  openOrders(account: string, symbol?: string): FakeOrder[] {
    return [...this.byOrderId.values()].filter((o) => o.account === account && !isFinal(o.status) && (symbol === undefined || o.symbol === symbol));
  }

  allOrders(account: string, symbol?: string): FakeOrder[] {
    return [...this.byOrderId.values()].filter((o) => o.account === account && (symbol === undefined || o.symbol === symbol));
  }

  trades(account: string, symbol?: string, since = 0): FakeTrade[] {
    const out: FakeTrade[] = [];
    for (const o of this.byOrderId.values()) if (o.account === account && (symbol === undefined || o.symbol === symbol)) out.push(...o.trades.filter((t) => t.ts >= since));
    return out.sort((a, b) => a.tradeId - b.tradeId);
  }

  // ---- internals ----

  private pendingReject: string | undefined;
  private readonly cumQuote = new Map<number, Money>();

  private key(account: string, clientOrderId: string): string {
    return `${account}|${clientOrderId}`;
  }

  private instrument(symbol: string): Instrument {
    const i = this.instruments.get(symbol);
    if (!i) throw new FakeReject('UNKNOWN_SYMBOL', `Invalid symbol ${symbol}`);
    return i;
  }

  private currency(code: string): Currency {
    let c = this.currencies.get(code);
    if (!c) this.currencies.set(code, (c = currency(code, this.o.precision?.[code] ?? PRECISION[code] ?? 8, 'CRYPTO')));
    return c;
  }

  private listMarket(m: FakeMarketSpec): void {
    const base = this.currency(m.base);
    const quote = this.currency(m.quote);
    const kind = m.kind ?? 'SPOT';
    const inst = new Instrument({
      id: `${m.symbol.replace(/[^A-Za-z0-9]/g, '')}.FAKE`,
      kind,
      base,
      quote,
      ...(kind === 'PERPETUAL' ? { settlement: quote } : {}),
      tickSize: m.tickSize,
      lotSize: m.lotSize,
      makerFee: m.makerFee ?? '0.001',
      takerFee: m.takerFee ?? '0.001',
    });
    this.specs.set(m.symbol, m);
    this.instruments.set(m.symbol, inst);
    this.exchange.list(inst);
  }

  private checkFilters(m: FakeMarketSpec, req: FakePlaceRequest): void {
    const q = Number(req.quantity);
    if (m.minQty !== undefined && q < Number(m.minQty)) throw new FakeReject('INVALID_ORDER', 'Filter failure: LOT_SIZE');
    if (m.maxQty !== undefined && q > Number(m.maxQty)) throw new FakeReject('INVALID_ORDER', 'Filter failure: LOT_SIZE');
    const px = req.price ?? this.ticker(req.symbol).last ?? this.ticker(req.symbol).ask;
    if (m.minNotional !== undefined && px !== undefined && q * Number(px) < Number(m.minNotional)) throw new FakeReject('INVALID_ORDER', 'Filter failure: NOTIONAL');
  }

  private onReport(r: VenueReport): void {
    const o = this.orders.get(r.clientOrderId);
    if (!o) return;
    const now = r.ts;
    switch (r.kind) {
      case 'OrderAccepted':
        o.updatedAt = now;
        this.publish({ exec: 'NEW', order: o });
        return;
      case 'OrderRejected':
        o.status = 'REJECTED';
        o.reason = r.reason;
        this.pendingReject = r.reason;
        return;
      case 'OrderTriggered':
        o.updatedAt = now;
        this.publish({ exec: 'TRIGGERED', order: o });
        return;
      case 'OrderFilled': {
        const inst = this.instrument(o.symbol);
        const qty = inst.quantity(r.lastQty);
        const px = inst.price(r.lastPx);
        const commission = r.commission ?? Money.zero(inst.settlement);
        const trade: FakeTrade = {
          tradeId: this.nextTradeId++,
          orderId: o.orderId,
          clientOrderId: o.clientOrderId,
          account: o.account,
          symbol: o.symbol,
          side: o.side,
          price: px.toString(),
          qty: qty.toString(),
          commission: commission.toDecimalString(),
          commissionAsset: commission.currency.code,
          maker: r.liquidity === 'MAKER',
          ts: now,
        };
        o.trades.push(trade);
        o.executedQty = inst.quantity(o.executedQty).add(qty).toString();
        const cum = (this.cumQuote.get(o.orderId) ?? Money.zero(inst.settlement)).add(inst.notional(qty, px));
        this.cumQuote.set(o.orderId, cum);
        o.cumQuote = cum.toDecimalString();
        o.status = o.executedQty === inst.quantity(o.quantity).toString() ? 'FILLED' : 'PARTIALLY_FILLED';
        o.updatedAt = now;
        this.lastPrice.set(o.symbol, trade.price);
        this.publish({ exec: 'TRADE', order: o, trade });
        return;
      }
      case 'OrderCanceled':
        o.status = 'CANCELED';
        o.updatedAt = now;
        this.publish({ exec: 'CANCELED', order: o });
        return;
      case 'OrderExpired':
        o.status = 'EXPIRED';
        o.updatedAt = now;
        this.publish({ exec: 'EXPIRED', order: o });
        return;
      case 'OrderUpdated':
        o.updatedAt = now;
        this.publish({ exec: 'REPLACED', order: o });
        return;
      case 'OrderCancelRejected':
      case 'OrderModifyRejected':
      case 'OrderStatusUnknown':
      case 'FillBusted':
        return;
    }
  }

  private publish(e: FakeExecution): void {
    // A snapshot: listeners may hold on to it while the order moves on.
    const snap: FakeExecution = { ...e, order: { ...e.order, trades: [...e.order.trades] } };
    for (const l of [...this.listeners]) l(snap);
  }
}

export function isFinal(s: FakeOrderStatus): boolean {
  return s === 'FILLED' || s === 'CANCELED' || s === 'REJECTED' || s === 'EXPIRED';
}

function rejectCode(reason: string): FakeReject['code'] {
  if (/INSUFFICIENT/i.test(reason)) return 'INSUFFICIENT_BALANCE';
  if (/POST_ONLY/.test(reason)) return 'POST_ONLY_WOULD_CROSS';
  if (/DUPLICATE/.test(reason)) return 'DUPLICATE_CLIENT_ORDER_ID';
  if (/REDUCE/i.test(reason)) return 'REDUCE_ONLY_REJECTED';
  return 'INVALID_ORDER';
}
