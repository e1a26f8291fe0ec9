/**
 * What the Advanced Trade WebSocket channels carry, built from the fake's state: ticker entries,
 * market trades, the running five-minute candle, and level-2 changes since a client last saw the
 * book (`side` is `bid`/`offer`; a level that went away has `new_quantity` 0).
 */
import { bookOf, candlesOf, type Level } from './book.ts';
import type { CoinbaseMatching, MarketPrint } from './market.ts';
import { iso } from './wire.ts';

/** The candles channel's fixed granularity (Coinbase: five minutes). */
const CANDLE_SEC = 300;

export interface MarketView {
  readonly matching: CoinbaseMatching;
  readonly account: string;
  readonly touchSize: string;
  readonly now: () => number;
}

export function tickerWire(v: MarketView, productId: string): Record<string, unknown> {
  const t = v.matching.ticker(productId);
  const book = bookOf(v.matching, v.account, productId, v.touchSize);
  return {
    type: 'ticker',
    product_id: productId,
    price: t.last ?? '',
    volume_24_h: '0',
    low_24_h: '',
    high_24_h: '',
    low_52_w: '',
    high_52_w: '',
    price_percent_chg_24_h: '0',
    best_bid: book.bids[0]?.price ?? '',
    best_bid_quantity: book.bids[0]?.size ?? '',
    best_ask: book.asks[0]?.price ?? '',
    best_ask_quantity: book.asks[0]?.size ?? '',
  };
}

export function tradeWire(p: MarketPrint): Record<string, unknown> {
  return { trade_id: String(p.tradeId), product_id: p.productId, price: p.price, size: p.size, side: p.side, time: iso(p.ts) };
}

/** The running five-minute candle of a product (none before its first print). */
export function candleWire(v: MarketView, productId: string): Record<string, string>[] {
  const nowSec = Math.floor(v.now() / 1000);
  const start = nowSec - (nowSec % CANDLE_SEC);
  return candlesOf(v.matching, productId, CANDLE_SEC, start, nowSec).map((k) => ({ ...k, product_id: productId }));
}

/** A book as one client saw it: `side|price` → size. */
export type ShownBook = Map<string, string>;

/** The level changes from `before` to the book now, and the book now (to remember for next time). */
export function bookDiff(v: MarketView, productId: string, before: ShownBook): { updates: Record<string, string>[]; shown: ShownBook } {
  const book = bookOf(v.matching, v.account, productId, v.touchSize);
  const shown: ShownBook = new Map();
  const add = (side: 'bid' | 'offer', levels: Level[]): void => levels.forEach((l) => shown.set(`${side}|${l.price}`, l.size));
  add('bid', book.bids);
  add('offer', book.asks);
  const at = iso(v.now());
  const updates: Record<string, string>[] = [];
  for (const [k, size] of shown) if (before.get(k) !== size) updates.push(level(k, size, at));
  for (const k of before.keys()) if (!shown.has(k)) updates.push(level(k, '0', at));
  return { updates, shown };
}

function level(k: string, size: string, at: string): Record<string, string> {
  const [side, price] = k.split('|') as [string, string];
  return { side, event_time: at, price_level: price, new_quantity: size };
}
