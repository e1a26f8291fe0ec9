/**
 * The public market the fake publishes: the matching core observed (every quote and trade the
 * test sets becomes a market event), and the tape kept from it for the REST market-data
 * endpoints (24h ticker, klines, depth with lastUpdateId, recent trades).
 */
import { FakeMatching, type FakeMatchingOptions } from '../fake-venue/matching.ts';
import { add, cmp, max, min, mul } from './decimal.ts';
import { ticker24hWire, type Candle } from '../../../src/server/gateway/wire/market-wire.ts';

export interface Print {
  readonly tradeId: number;
  readonly price: string;
  readonly qty: string;
  readonly ts: number;
  /** Binance's `m`: the buyer was the maker (the print hit the bid). */
  readonly buyerMaker: boolean;
}

export interface Book {
  bid: string | undefined;
  ask: string | undefined;
  /** Binance's order book update id: the snapshot's lastUpdateId, the diffs' U/u. */
  updateId: number;
}

export type MarketEvent =
  | { readonly kind: 'quote'; readonly symbol: string; readonly book: Book; readonly removed: { bid?: string; ask?: string }; readonly ts: number }
  | { readonly kind: 'trade'; readonly symbol: string; readonly print: Print };

/** FakeMatching that also tells the fake's market streams what the test did to the market. */
export class ObservedMatching extends FakeMatching {
  private readonly bookListeners: ((e: MarketEvent) => void)[] = [];
  private readonly books = new Map<string, Book>();
  private readonly prints = new Map<string, Print[]>();
  private nextPrintId = 1;

  constructor(
    o: FakeMatchingOptions,
    private readonly now: () => number,
  ) {
    super(o);
  }

  onBookMove(l: (e: MarketEvent) => void): void {
    this.bookListeners.push(l);
  }

  override quote(symbol: string, bid: string, ask: string): void {
    super.quote(symbol, bid, ask);
    const book = this.book(symbol);
    const removed: { bid?: string; ask?: string } = {};
    if (book.bid !== undefined && book.bid !== bid) removed.bid = book.bid;
    if (book.ask !== undefined && book.ask !== ask) removed.ask = book.ask;
    book.bid = bid;
    book.ask = ask;
    book.updateId++;
    this.emit({ kind: 'quote', symbol, book: { ...book }, removed, ts: this.now() });
  }

  override trade(symbol: string, price: string, qty: string): void {
    super.trade(symbol, price, qty);
    const bid = this.book(symbol).bid;
    const print: Print = { tradeId: this.nextPrintId++, price, qty, ts: this.now(), buyerMaker: bid !== undefined && cmp(price, bid) <= 0 };
    const list = this.prints.get(symbol) ?? [];
    list.push(print);
    this.prints.set(symbol, list);
    this.emit({ kind: 'trade', symbol, print });
  }

  book(symbol: string): Book {
    let b = this.books.get(symbol);
    if (!b) this.books.set(symbol, (b = { bid: undefined, ask: undefined, updateId: 1000 }));
    return b;
  }

  tape(symbol: string): readonly Print[] {
    return this.prints.get(symbol) ?? [];
  }

  private emit(e: MarketEvent): void {
    for (const l of this.bookListeners) l(e);
  }
}

export { INTERVAL_MS, klineRow, type Candle } from '../../../src/server/gateway/wire/market-wire.ts';

/** The candles of the prints, oldest first (only intervals that had trades, as Binance's klines). */
export function candles(prints: readonly Print[], intervalMs: number): Candle[] {
  const out: Candle[] = [];
  for (const p of prints) {
    const openTime = p.ts - (p.ts % intervalMs);
    let c = out[out.length - 1];
    if (!c || c.openTime !== openTime) {
      c = { openTime, closeTime: openTime + intervalMs - 1, open: p.price, high: p.price, low: p.price, close: p.price, volume: '0', quoteVolume: '0', count: 0, takerBuyVolume: '0', takerBuyQuote: '0', firstId: p.tradeId, lastId: p.tradeId };
      out.push(c);
    }
    c.high = max(c.high, p.price);
    c.low = min(c.low, p.price);
    c.close = p.price;
    c.volume = add(c.volume, p.qty);
    c.quoteVolume = add(c.quoteVolume, mul(p.price, p.qty));
    c.count++;
    c.lastId = p.tradeId;
    if (!p.buyerMaker) {
      c.takerBuyVolume = add(c.takerBuyVolume, p.qty);
      c.takerBuyQuote = add(c.takerBuyQuote, mul(p.price, p.qty));
    }
  }
  return out;
}

/** Binance's 24hr ticker statistics over the tape's last day. */
export function ticker24h(symbol: string, prints: readonly Print[], book: Book, now: number, bookQty: string): Record<string, unknown> {
  const day = prints.filter((p) => p.ts > now - 86_400_000);
  const c = candles(day, Number.MAX_SAFE_INTEGER)[0];
  const top = { bid: book.bid, ask: book.ask, bidQty: bookQty, askQty: bookQty };
  return ticker24hWire(symbol, c, day[day.length - 1]?.qty, top, { openTime: now - 86_400_000, closeTime: now });
}
