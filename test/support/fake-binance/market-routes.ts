/**
 * The public market-data endpoints spot (/api/v3) and USDⓈ-M (/fapi/v1) share: depth with
 * lastUpdateId, recent and aggregate trades, klines, 24hr ticker, book ticker and price.
 */
import { fixed, mul } from './decimal.ts';
import { bookTickerWire, depthWire } from '../../../src/server/gateway/wire/market-wire.ts';
import { BinanceError } from './errors.ts';
import type { BinanceRequest, Route } from './http.ts';
import { candles, INTERVAL_MS, klineRow, ticker24h } from './market-data.ts';
import { listedMarket, required, window } from './orders.ts';
import type { BinanceVenue } from './venue.ts';

type Params = Readonly<Record<string, string>>;

export function marketRoutes(venue: BinanceVenue, base: string): [string, Route][] {
  const pub = (handle: (p: Params) => unknown, weight = 1): Route => ({ security: 'NONE', weight, handle: (r: BinanceRequest) => handle(r.params) });
  return [
    [`GET ${base}/depth`, pub((p) => depth(venue, p), 5)],
    [`GET ${base}/trades`, pub((p) => recentTrades(venue, p), 25)],
    [`GET ${base}/aggTrades`, pub((p) => aggTrades(venue, p), 4)],
    [`GET ${base}/klines`, pub((p) => klines(venue, p), 2)],
    [`GET ${base}/ticker/24hr`, pub((p) => forSymbols(venue, p, (s) => ticker24h(s, venue.matching.tape(s), venue.matching.book(s), venue.now(), venue.o.bookQty)), 2)],
    [`GET ${base}/ticker/bookTicker`, pub((p) => forSymbols(venue, p, (s) => bookTicker(venue, s)), 2)],
    [`GET ${base}/ticker/price`, pub((p) => forSymbols(venue, p, (s) => ({ symbol: s, price: fixed(venue.matching.ticker(s).last) })), 2)],
  ];
}

/** `symbol` answers one object; no symbol answers the array over every market (as Binance). */
function forSymbols(venue: BinanceVenue, p: Params, one: (symbol: string) => unknown): unknown {
  if (p['symbol'] !== undefined) return one(listedMarket(venue, p['symbol']).symbol);
  if (p['symbols'] !== undefined) return (JSON.parse(p['symbols']) as string[]).map((s) => one(listedMarket(venue, s).symbol));
  return venue.matching.markets().map((m) => one(m.symbol));
}

function top(venue: BinanceVenue, symbol: string) {
  const b = venue.matching.book(symbol);
  return { bid: b.bid, ask: b.ask, bidQty: venue.o.bookQty, askQty: venue.o.bookQty };
}

function bookTicker(venue: BinanceVenue, symbol: string): Record<string, unknown> {
  return bookTickerWire(symbol, top(venue, symbol));
}

function depth(venue: BinanceVenue, p: Params): Record<string, unknown> {
  const symbol = listedMarket(venue, required(p, 'symbol')).symbol;
  return depthWire(venue.matching.book(symbol).updateId, top(venue, symbol));
}

function recentTrades(venue: BinanceVenue, p: Params): unknown[] {
  const symbol = listedMarket(venue, required(p, 'symbol')).symbol;
  return window(venue.matching.tape(symbol), p, (t) => t.tradeId, (t) => t.ts).map((t) => ({
    id: t.tradeId, price: fixed(t.price), qty: fixed(t.qty), quoteQty: fixed(mul(t.price, t.qty)), time: t.ts, isBuyerMaker: t.buyerMaker, isBestMatch: true,
  }));
}

function aggTrades(venue: BinanceVenue, p: Params): unknown[] {
  const symbol = listedMarket(venue, required(p, 'symbol')).symbol;
  return window(venue.matching.tape(symbol), p, (t) => t.tradeId, (t) => t.ts).map((t) => ({
    a: t.tradeId, p: fixed(t.price), q: fixed(t.qty), f: t.tradeId, l: t.tradeId, T: t.ts, m: t.buyerMaker, M: true,
  }));
}

function klines(venue: BinanceVenue, p: Params): unknown[] {
  const symbol = listedMarket(venue, required(p, 'symbol')).symbol;
  const ms = INTERVAL_MS[required(p, 'interval')];
  if (ms === undefined) throw new BinanceError(400, -1120, 'Invalid interval.');
  const rows = candles(venue.matching.tape(symbol), ms);
  return window(rows, p, (c) => c.openTime, (c) => c.openTime).map(klineRow);
}
