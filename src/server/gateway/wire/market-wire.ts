/**
 * Spot market-data shapes as Binance's REST answers print them (klines rows, the 24hr ticker,
 * the book ticker, depth). One codec for the fake Binance (its tape of prints) and the gateway
 * (the node's bars and quotes).
 */
import { add, cmp, fixed } from './decimal.ts';

/** Binance's kline intervals of fixed length (`1M`, a calendar month, has none). */
export const INTERVAL_MS: Readonly<Record<string, number>> = {
  '1s': 1_000, '1m': 60_000, '3m': 180_000, '5m': 300_000, '15m': 900_000, '30m': 1_800_000,
  '1h': 3_600_000, '2h': 7_200_000, '4h': 14_400_000, '6h': 21_600_000, '8h': 28_800_000,
  '12h': 43_200_000, '1d': 86_400_000, '3d': 259_200_000, '1w': 604_800_000,
};

export interface Candle {
  openTime: number;
  closeTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  quoteVolume: string;
  count: number;
  takerBuyVolume: string;
  takerBuyQuote: string;
  firstId: number;
  lastId: number;
}

/** A kline as Binance's REST array. */
export function klineRow(c: Candle): (number | string)[] {
  return [c.openTime, fixed(c.open), fixed(c.high), fixed(c.low), fixed(c.close), fixed(c.volume), c.closeTime, fixed(c.quoteVolume), c.count, fixed(c.takerBuyVolume), fixed(c.takerBuyQuote), '0'];
}

/** The top of the book: prices (undefined: that side is empty) and the size shown at each. */
export interface WireTop {
  readonly bid: string | undefined;
  readonly ask: string | undefined;
  readonly bidQty: string;
  readonly askQty: string;
}

/**
 * Binance's 24hr ticker (FULL) from the day's candle (one candle over the window; undefined: no
 * trade in it), the last trade's size, the top of the book and the window's bounds.
 */
export function ticker24hWire(symbol: string, day: Candle | undefined, lastQty: string | undefined, top: WireTop, window: { openTime: number; closeTime: number }): Record<string, unknown> {
  const last = day?.close ?? '0';
  const open = day?.open ?? '0';
  const change = add(last, `-${open}`);
  // Ratios are analytics, not money: printed from floats as Binance prints them (3 and 8 decimals).
  const pct = cmp(open, '0') === 0 ? '0.000' : ((Number(change) / Number(open)) * 100).toFixed(3);
  const vwap = day && cmp(day.volume, '0') > 0 ? (Number(day.quoteVolume) / Number(day.volume)).toFixed(8) : '0.00000000';
  return {
    symbol,
    priceChange: fixed(change),
    priceChangePercent: pct,
    weightedAvgPrice: vwap,
    prevClosePrice: fixed(open),
    lastPrice: fixed(last),
    lastQty: fixed(lastQty),
    bidPrice: fixed(top.bid),
    bidQty: fixed(top.bid === undefined ? '0' : top.bidQty),
    askPrice: fixed(top.ask),
    askQty: fixed(top.ask === undefined ? '0' : top.askQty),
    openPrice: fixed(open),
    highPrice: fixed(day?.high),
    lowPrice: fixed(day?.low),
    volume: fixed(day?.volume),
    quoteVolume: fixed(day?.quoteVolume),
    openTime: window.openTime,
    closeTime: window.closeTime,
    firstId: day?.firstId ?? -1,
    lastId: day?.lastId ?? -1,
    count: day?.count ?? 0,
  };
}

/** GET /api/v3/ticker/bookTicker. */
export function bookTickerWire(symbol: string, top: WireTop): Record<string, unknown> {
  return { symbol, bidPrice: fixed(top.bid), bidQty: top.bid ? fixed(top.bidQty) : fixed('0'), askPrice: fixed(top.ask), askQty: top.ask ? fixed(top.askQty) : fixed('0') };
}

/** GET /api/v3/depth with the top of the book as its one level a side. */
export function depthWire(lastUpdateId: number, top: WireTop): Record<string, unknown> {
  return { lastUpdateId, bids: top.bid ? [[fixed(top.bid), fixed(top.bidQty)]] : [], asks: top.ask ? [[fixed(top.ask), fixed(top.askQty)]] : [] };
}
