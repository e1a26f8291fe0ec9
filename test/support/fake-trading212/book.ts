import { dec, min, mul, num } from './decimal.ts';

export type FakeOrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type FakeStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELLED' | 'REJECTED';

export interface FakeOrder {
  readonly id: number;
  readonly createdAt: number;
  readonly ticker: string;
  readonly type: FakeOrderType;
  readonly side: 'BUY' | 'SELL';
  /** Magnitude, scaled. */
  readonly quantity: bigint;
  readonly limitPrice: bigint | undefined;
  readonly stopPrice: bigint | undefined;
  readonly timeInForce: 'DAY' | 'GOOD_TILL_CANCEL' | undefined;
  readonly initiatedFrom: string;
  status: FakeStatus;
  triggered: boolean;
  filled: bigint;
  filledValue: bigint;
}

export interface FakeFill {
  readonly id: number;
  readonly at: number;
  readonly price: bigint;
  readonly quantity: bigint;
  readonly taxes: readonly { name: string; quantity: bigint }[];
}

/** One history row: an order with one of its fills, or its end without one (cancelled, rejected). */
export interface HistoryRow {
  readonly seq: number;
  readonly order: FakeOrder;
  readonly fill: FakeFill | undefined;
}

export interface BookOptions {
  readonly currency: string;
  readonly cash: string;
  /** Charged on every sell fill (a FINRA-like fee), in the account currency. */
  readonly sellTax?: string;
  readonly tickers: readonly string[];
}

export type PlaceOutcome = { ok: true; order: FakeOrder } | { ok: false; status: number; code: string; clarification: string };

/**
 * The fake's account and matching: orders rest until prints (`trade`) reach them; a print of
 * `quantity` fills resting orders in time order up to that quantity (partial fills); stops trigger
 * on the last traded price (as the docs say) and then match as market or limit orders. Cash and
 * positions move exactly with each fill and its taxes.
 */
export class FakeBook {
  readonly orders = new Map<number, FakeOrder>();
  readonly history: HistoryRow[] = [];
  readonly positions = new Map<string, bigint>();
  readonly last = new Map<string, bigint>();
  cash: bigint;
  private nextId = 1_000_001;
  private nextFill = 7_000_001;
  private seq = 0;

  constructor(
    private readonly o: BookOptions,
    private readonly now: () => number,
  ) {
    this.cash = dec(o.cash);
  }

  get currency(): string {
    return this.o.currency;
  }

  knows(ticker: string): boolean {
    return this.o.tickers.includes(ticker);
  }

  place(r: { ticker: string; type: FakeOrderType; quantity: string; limitPrice?: string; stopPrice?: string; timeValidity?: 'DAY' | 'GOOD_TILL_CANCEL'; initiatedFrom?: string }): PlaceOutcome {
    const q = dec(r.quantity);
    if (!this.knows(r.ticker)) return { ok: false, status: 400, code: 'InstrumentNotFound', clarification: `no instrument ${r.ticker}` };
    if (q === 0n) return { ok: false, status: 400, code: 'InvalidQuantity', clarification: 'quantity cannot be zero' };
    const side = q < 0n ? 'SELL' : 'BUY';
    const qty = q < 0n ? -q : q;
    if (side === 'SELL' && (this.positions.get(r.ticker) ?? 0n) < qty) return { ok: false, status: 400, code: 'SellingEquityNotOwned', clarification: `not enough ${r.ticker} to sell` };
    const px = r.limitPrice !== undefined ? dec(r.limitPrice) : r.stopPrice !== undefined ? dec(r.stopPrice) : this.last.get(r.ticker);
    if (side === 'BUY' && px !== undefined && mul(px, qty) > this.cash) return { ok: false, status: 400, code: 'InsufficientFreeForStocksBuy', clarification: 'not enough free cash' };
    const order: FakeOrder = {
      id: this.nextId++,
      createdAt: this.now(),
      ticker: r.ticker,
      type: r.type,
      side,
      quantity: qty,
      limitPrice: r.limitPrice !== undefined ? dec(r.limitPrice) : undefined,
      stopPrice: r.stopPrice !== undefined ? dec(r.stopPrice) : undefined,
      timeInForce: r.timeValidity,
      initiatedFrom: r.initiatedFrom ?? 'API',
      status: 'NEW',
      triggered: r.type === 'MARKET' || r.type === 'LIMIT',
      filled: 0n,
      filledValue: 0n,
    };
    this.orders.set(order.id, order);
    const last = this.last.get(r.ticker);
    if (order.type === 'MARKET' && last !== undefined) this.fill(order, last, qty);
    return { ok: true, order };
  }

  cancel(id: number): 'OK' | 'NOT_FOUND' {
    const o = this.orders.get(id);
    if (!o || !isPending(o)) return 'NOT_FOUND';
    o.status = 'CANCELLED';
    this.row(o, undefined);
    return 'OK';
  }

  /** A print: `quantity` shares trade at `price`; resting orders it reaches fill, oldest first, up to that quantity. */
  trade(ticker: string, price: string, quantity: string): void {
    const px = dec(price);
    let left = dec(quantity);
    this.last.set(ticker, px);
    for (const o of [...this.orders.values()].filter((x) => x.ticker === ticker && isPending(x))) {
      if (!o.triggered && o.stopPrice !== undefined && (o.side === 'BUY' ? px >= o.stopPrice : px <= o.stopPrice)) o.triggered = true;
      if (!o.triggered || left <= 0n) continue;
      if (o.limitPrice !== undefined && (o.side === 'BUY' ? px > o.limitPrice : px < o.limitPrice)) continue;
      const q = min(left, o.quantity - o.filled);
      left -= q;
      this.fill(o, px, q);
    }
  }

  pending(): FakeOrder[] {
    return [...this.orders.values()].filter(isPending);
  }

  private fill(o: FakeOrder, px: bigint, q: bigint): void {
    o.filled += q;
    o.filledValue += mul(px, q);
    o.status = o.filled === o.quantity ? 'FILLED' : 'PARTIALLY_FILLED';
    const taxes = o.side === 'SELL' && this.o.sellTax !== undefined ? [{ name: 'FINRA_FEE', quantity: dec(this.o.sellTax) }] : [];
    const fee = taxes.reduce((a, t) => a + t.quantity, 0n);
    const pos = this.positions.get(o.ticker) ?? 0n;
    this.positions.set(o.ticker, o.side === 'BUY' ? pos + q : pos - q);
    this.cash += (o.side === 'BUY' ? -mul(px, q) : mul(px, q)) - fee;
    this.row(o, { id: this.nextFill++, at: this.now(), price: px, quantity: q, taxes });
  }

  private row(order: FakeOrder, fill: FakeFill | undefined): void {
    this.history.unshift({ seq: ++this.seq, order, fill });
  }

  /** The figures as JSON numbers, for tests' expectations. */
  position(ticker: string): number {
    return num(this.positions.get(ticker) ?? 0n);
  }
}

export function isPending(o: FakeOrder): boolean {
  return o.status === 'NEW' || o.status === 'PARTIALLY_FILLED';
}
