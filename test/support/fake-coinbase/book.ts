/**
 * The order book and candles the fake shows: the test's quote at the touch (a fixed displayed
 * size, since quotes carry none) plus the account's own resting limit orders, aggregated by price;
 * candles bucket the printed trades.
 */
import { Precise } from 'ccxt';
import type { CoinbaseMatching } from './market.ts';
import { trimZeros } from './wire.ts';

export interface Level {
  readonly price: string;
  readonly size: string;
}

export interface Book {
  readonly bids: Level[];
  readonly asks: Level[];
}

export function bookOf(m: CoinbaseMatching, account: string, productId: string, touchSize: string): Book {
  const bids = new Map<string, string>();
  const asks = new Map<string, string>();
  const t = m.ticker(productId);
  if (t.bid !== undefined) bids.set(normal(t.bid), touchSize);
  if (t.ask !== undefined) asks.set(normal(t.ask), touchSize);
  for (const o of m.openOrders(account, productId)) {
    if (o.type !== 'LIMIT' || o.price === undefined) continue;
    const side = o.side === 'BUY' ? bids : asks;
    const leaves = Precise.stringSub(o.quantity, o.executedQty) ?? '0';
    const key = normal(o.price);
    side.set(key, Precise.stringAdd(side.get(key) ?? '0', leaves) ?? leaves);
  }
  const sorted = (side: Map<string, string>, desc: boolean): Level[] =>
    [...side.entries()].map(([price, size]) => ({ price, size })).sort((a, b) => (Precise.stringLt(a.price, b.price) ? -1 : 1) * (desc ? -1 : 1));
  return { bids: sorted(bids, true), asks: sorted(asks, false) };
}

export interface Candle {
  readonly start: string;
  readonly low: string;
  readonly high: string;
  readonly open: string;
  readonly close: string;
  readonly volume: string;
}

/** Candles of `granularitySec` over [startSec, endSec] (the running candle included), newest first, from the printed trades. */
export function candlesOf(m: CoinbaseMatching, productId: string, granularitySec: number, startSec: number, endSec: number): Candle[] {
  const buckets = new Map<number, Candle>();
  for (const p of m.prints(productId, Number.MAX_SAFE_INTEGER).reverse()) {
    const sec = Math.floor(p.ts / 1000);
    if (sec < startSec || sec > endSec) continue;
    const start = sec - (sec % granularitySec);
    const c = buckets.get(start);
    buckets.set(
      start,
      c
        ? { ...c, low: Precise.stringLt(p.price, c.low) ? p.price : c.low, high: Precise.stringGt(p.price, c.high) ? p.price : c.high, close: p.price, volume: Precise.stringAdd(c.volume, p.size) ?? c.volume }
        : { start: String(start), low: p.price, high: p.price, open: p.price, close: p.price, volume: p.size },
    );
  }
  return [...buckets.entries()].sort((a, b) => b[0] - a[0]).map(([, c]) => c);
}

export const GRANULARITY_SEC: Readonly<Record<string, number>> = {
  ONE_MINUTE: 60,
  FIVE_MINUTE: 300,
  FIFTEEN_MINUTE: 900,
  THIRTY_MINUTE: 1800,
  ONE_HOUR: 3600,
  TWO_HOUR: 7200,
  SIX_HOUR: 21600,
  ONE_DAY: 86400,
};

/** `30000`, `30000.0` and `30000.00` are one level. */
function normal(price: string): string {
  return trimZeros(price);
}
