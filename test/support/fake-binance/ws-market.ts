/**
 * Binance market streams: raw (`/ws/<stream>`) and combined (`/stream?streams=a/b`) connections,
 * the SUBSCRIBE / UNSUBSCRIBE / LIST_SUBSCRIPTIONS requests ccxt.pro sends on `/ws/<n>`, and the
 * pushes — trade, aggTrade, kline_<interval>, 24hrTicker, bookTicker, depthUpdate diffs (U/u
 * continuing the REST snapshot's lastUpdateId) — made from the market the test moves.
 */
import { fixed } from './decimal.ts';
import { candles, INTERVAL_MS, ticker24h, type MarketEvent, type Print } from './market-data.ts';
import type { BinanceSocket } from './sockets.ts';
import type { BinanceVenue } from './venue.ts';

interface MarketConnection {
  readonly socket: BinanceSocket;
  readonly combined: boolean;
  readonly streams: Set<string>;
}

export class MarketStreams {
  private readonly connections = new Set<MarketConnection>();

  constructor(private readonly venue: BinanceVenue) {
    venue.matching.onBookMove((e) => this.publish(e));
  }

  /** A new market-stream connection; the streams named in its URL are subscribed at once. */
  attach(socket: BinanceSocket, url: URL): void {
    const combined = url.pathname.startsWith('/stream') || url.pathname.endsWith('/stream');
    const initial = combined ? (url.searchParams.get('streams') ?? '').split('/') : [url.pathname.split('/').pop() ?? ''];
    const conn: MarketConnection = { socket, combined, streams: new Set(initial.filter((s) => s.includes('@'))) };
    this.connections.add(conn);
    socket.ws.on('close', () => this.connections.delete(conn));
    socket.ws.on('message', (data: Buffer) => this.request(conn, data.toString('utf8')));
  }

  private request(conn: MarketConnection, text: string): void {
    let msg: { method?: string; params?: unknown; id?: unknown };
    try {
      msg = JSON.parse(text) as typeof msg;
    } catch {
      return conn.socket.send({ code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' });
    }
    const id = msg.id ?? null;
    const params = Array.isArray(msg.params) ? (msg.params as string[]) : [];
    switch (msg.method) {
      case 'SUBSCRIBE':
        for (const s of params) conn.streams.add(s);
        return conn.socket.send({ result: null, id });
      case 'UNSUBSCRIBE':
        for (const s of params) conn.streams.delete(s);
        return conn.socket.send({ result: null, id });
      case 'LIST_SUBSCRIPTIONS':
        return conn.socket.send({ result: [...conn.streams], id });
      case 'SET_PROPERTY':
        return conn.socket.send({ result: null, id });
      case 'GET_PROPERTY':
        return conn.socket.send({ result: false, id });
      default:
        return conn.socket.send({ code: 2, msg: `Invalid request: unknown variant \`${String(msg.method)}\``, id });
    }
  }

  private publish(e: MarketEvent): void {
    const lower = e.symbol.toLowerCase();
    for (const conn of this.connections) {
      for (const stream of conn.streams) {
        const [sym, channel = '', rate] = stream.split('@');
        if (sym !== lower) continue;
        const data = this.payload(e, channel, rate);
        if (data !== undefined) conn.socket.send(conn.combined ? { stream, data } : data);
      }
    }
  }

  private payload(e: MarketEvent, channel: string, rate: string | undefined): unknown {
    const futures = this.venue.kind === 'usdm';
    const now = this.venue.now();
    if (channel === 'ticker') return this.ticker(e.symbol, now);
    if (channel === 'miniTicker') return this.miniTicker(e.symbol, now);
    if (e.kind === 'trade') {
      const p = e.print;
      if (channel === 'trade') return { e: 'trade', E: now, s: e.symbol, t: p.tradeId, p: fixed(p.price), q: fixed(p.qty), T: p.ts, m: p.buyerMaker, ...(futures ? { X: 'MARKET' } : { M: true }) };
      if (channel === 'aggTrade') return { e: 'aggTrade', E: now, s: e.symbol, a: p.tradeId, p: fixed(p.price), q: fixed(p.qty), f: p.tradeId, l: p.tradeId, T: p.ts, m: p.buyerMaker, ...(futures ? {} : { M: true }) };
      if (channel.startsWith('kline_')) return this.kline(e.symbol, channel.slice('kline_'.length), p, now);
      return undefined;
    }
    const b = e.book;
    const qty = fixed(this.venue.o.bookQty);
    if (channel === 'bookTicker') {
      const bt = { u: b.updateId, s: e.symbol, b: fixed(b.bid), B: qty, a: fixed(b.ask), A: qty };
      return futures ? { e: 'bookTicker', E: now, T: e.ts, ...bt } : bt;
    }
    if (channel === 'depth' && (rate === undefined || rate.endsWith('ms'))) {
      const bids = [...(e.removed.bid ? [[fixed(e.removed.bid), fixed('0')]] : []), [fixed(b.bid), qty]];
      const asks = [...(e.removed.ask ? [[fixed(e.removed.ask), fixed('0')]] : []), [fixed(b.ask), qty]];
      return { e: 'depthUpdate', E: now, ...(futures ? { T: e.ts } : {}), s: e.symbol, U: b.updateId, u: b.updateId, ...(futures ? { pu: b.updateId - 1 } : {}), b: bids, a: asks };
    }
    return undefined;
  }

  private ticker(symbol: string, now: number): Record<string, unknown> {
    const t = ticker24h(symbol, this.venue.matching.tape(symbol), this.venue.matching.book(symbol), now, this.venue.o.bookQty);
    return {
      e: '24hrTicker', E: now, s: symbol, p: t['priceChange'], P: t['priceChangePercent'], w: t['weightedAvgPrice'], x: t['prevClosePrice'],
      c: t['lastPrice'], Q: t['lastQty'], b: t['bidPrice'], B: t['bidQty'], a: t['askPrice'], A: t['askQty'], o: t['openPrice'],
      h: t['highPrice'], l: t['lowPrice'], v: t['volume'], q: t['quoteVolume'], O: t['openTime'], C: t['closeTime'], F: t['firstId'], L: t['lastId'], n: t['count'],
    };
  }

  /** What ccxt.pro's watchTicker subscribes to by default (options.watchTickers.name). */
  private miniTicker(symbol: string, now: number): Record<string, unknown> {
    const t = this.ticker(symbol, now);
    return { e: '24hrMiniTicker', E: now, s: symbol, c: t['c'], o: t['o'], h: t['h'], l: t['l'], v: t['v'], q: t['q'] };
  }

  /** The candle the print falls in, still open (`x: false`), as kline_<interval> pushes it. */
  private kline(symbol: string, interval: string, p: Print, now: number): unknown {
    const ms = INTERVAL_MS[interval];
    if (ms === undefined) return undefined;
    const c = candles(this.venue.matching.tape(symbol).filter((t) => t.ts - (t.ts % ms) === p.ts - (p.ts % ms)), ms)[0]!;
    return {
      e: 'kline', E: now, s: symbol,
      k: { t: c.openTime, T: c.closeTime, s: symbol, i: interval, f: c.firstId, L: c.lastId, o: fixed(c.open), c: fixed(c.close), h: fixed(c.high), l: fixed(c.low), v: fixed(c.volume), n: c.count, x: false, q: fixed(c.quoteVolume), V: fixed(c.takerBuyVolume), Q: fixed(c.takerBuyQuote), B: '0' },
    };
  }
}
