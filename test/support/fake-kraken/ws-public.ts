/**
 * Kraken's public WebSocket v2 (`wss://ws.kraken.com/v2`): the `ticker`, `trade`, `ohlc` and
 * `book` channels for v2 symbols (`BTC/USD`), with one subscribe ack per symbol, a snapshot, and
 * updates as the test moves the market.
 */
import type { WebSocket } from 'ws';
import type { FakeMarketEvent } from '../fake-venue/matching.ts';
import type { KrakenContext } from './context.ts';
import { fixed } from './decimal.ts';
import type { KrakenPairSpec } from './pairs.ts';
import type { Bar, Print } from './tape.ts';
import { rfc3339, V2Session, type V2Request } from './ws-session.ts';

type Channel = 'ticker' | 'trade' | 'ohlc' | 'book';
const CHANNELS = new Set<Channel>(['ticker', 'trade', 'ohlc', 'book']);
const INTERVALS = new Set([1, 5, 15, 30, 60, 240, 1440, 10080, 21600]);
const DEPTHS = new Set([10, 25, 100, 500, 1000]);

interface Sub {
  readonly channel: Channel;
  readonly pair: KrakenPairSpec;
  readonly interval: number; // ohlc
  readonly bbo: boolean; // ticker event_trigger
}

const n = (s: string): number => Number(s);

export class PublicWs {
  private readonly subs = new Map<V2Session, Sub[]>();
  private readonly lastQuote = new Map<string, { bid: string; ask: string }>();

  constructor(private readonly ctx: KrakenContext) {
    ctx.tape.onChange((pair, e, print) => this.onMarket(pair, e, print));
    ctx.faults.onDrop((abrupt) => {
      for (const s of [...this.subs.keys()]) s.drop(abrupt);
    });
  }

  accept(socket: WebSocket): void {
    const session = new V2Session(socket, this.ctx.faults, () => this.ctx.now(), (s, req, t) => this.onRequest(s, req, t));
    this.subs.set(session, []);
    socket.on('close', () => this.subs.delete(session));
  }

  private onRequest(s: V2Session, req: V2Request, timeIn: number): void {
    if (req.method !== 'subscribe' && req.method !== 'unsubscribe') return s.fail(req, timeIn, 'Method not supported');
    const p = req.params ?? {};
    const channel = p['channel'] as Channel;
    if (!CHANNELS.has(channel)) return s.fail(req, timeIn, 'Channel not supported');
    const symbols = p['symbol'];
    if (!Array.isArray(symbols)) return s.fail(req, timeIn, 'Pair field must be an array');
    const interval = Number(p['interval'] ?? 1);
    if (channel === 'ohlc' && !INTERVALS.has(interval)) return s.fail(req, timeIn, 'Subscription ohlc interval not supported');
    const depth = Number(p['depth'] ?? 10);
    if (channel === 'book' && !DEPTHS.has(depth)) return s.fail(req, timeIn, 'Subscription depth not supported');
    for (const sym of symbols) {
      const pair = this.ctx.pairs.pairs.find((x) => x.wsV2 === sym);
      if (!pair) {
        s.fail(req, timeIn, `Currency pair not supported ${String(sym)}`, { symbol: sym });
        continue;
      }
      const list = this.subs.get(s) ?? [];
      const existing = list.findIndex((x) => x.channel === channel && x.pair === pair);
      const result = { channel, symbol: pair.wsV2, ...(channel === 'ohlc' ? { interval } : {}), ...(channel === 'book' ? { depth } : {}) };
      if (req.method === 'unsubscribe') {
        if (existing < 0) { s.fail(req, timeIn, 'Subscription Not Found', { symbol: sym }); continue; }
        list.splice(existing, 1);
        s.reply(req, timeIn, result);
        s.unsubscribed();
        continue;
      }
      if (existing >= 0) { s.fail(req, timeIn, 'Already subscribed', { symbol: sym }); continue; }
      const sub: Sub = { channel, pair, interval, bbo: p['event_trigger'] === 'bbo' };
      list.push(sub);
      s.reply(req, timeIn, { ...result, snapshot: true, ...(channel === 'ticker' ? { event_trigger: sub.bbo ? 'bbo' : 'trades' } : {}) });
      s.subscribed();
      this.snapshot(s, sub);
    }
  }

  private snapshot(s: V2Session, sub: Sub): void {
    const { pair } = sub;
    switch (sub.channel) {
      case 'ticker':
        return s.send({ channel: 'ticker', type: 'snapshot', data: [this.ticker(pair)] });
      // A market that never traded has nothing to snapshot (a live Kraken pair always has).
      case 'trade': {
        const trades = this.ctx.tape.trades(pair.id).slice(-50);
        if (trades.length > 0) s.send({ channel: 'trade', type: 'snapshot', data: trades.map((t) => this.trade(pair, t)) });
        return;
      }
      case 'ohlc': {
        const bars = this.ctx.tape.bars(pair, sub.interval);
        if (bars.length > 0) s.send({ channel: 'ohlc', type: 'snapshot', timestamp: rfc3339(this.ctx.now()), data: bars.map((b) => this.candle(pair, b, sub.interval)) });
        return;
      }
      case 'book': {
        const q = this.ctx.tape.quote(pair.id);
        const level = (px: string): { price: number; qty: number } => ({ price: n(px), qty: n(this.ctx.bookQty) });
        return s.send({ channel: 'book', type: 'snapshot', data: [{ symbol: pair.wsV2, bids: q ? [level(q.bid)] : [], asks: q ? [level(q.ask)] : [], checksum: 0, timestamp: rfc3339(q?.ts ?? this.ctx.now()) }] });
      }
    }
  }

  private onMarket(pair: KrakenPairSpec, e: FakeMarketEvent, print: Print | undefined): void {
    for (const [s, list] of this.subs) {
      for (const sub of list) {
        if (sub.pair !== pair) continue;
        const msg = this.update(sub, e, print);
        if (msg) s.send(msg);
      }
    }
    if (e.kind === 'quote') this.lastQuote.set(pair.id, { bid: fixed(e.bid, pair.pairDecimals), ask: fixed(e.ask, pair.pairDecimals) });
  }

  private update(sub: Sub, e: FakeMarketEvent, print: Print | undefined): unknown {
    const { pair } = sub;
    if (e.kind === 'trade' && print) {
      if (sub.channel === 'trade') return { channel: 'trade', type: 'update', data: [this.trade(pair, print)] };
      if (sub.channel === 'ticker') return { channel: 'ticker', type: 'update', data: [this.ticker(pair)] };
      if (sub.channel === 'ohlc') {
        const bar = this.ctx.tape.bars(pair, sub.interval).at(-1);
        return bar ? { channel: 'ohlc', type: 'update', timestamp: rfc3339(this.ctx.now()), data: [this.candle(pair, bar, sub.interval)] } : undefined;
      }
      return undefined;
    }
    if (e.kind !== 'quote') return undefined;
    if (sub.channel === 'ticker' && sub.bbo) return { channel: 'ticker', type: 'update', data: [this.ticker(pair)] };
    if (sub.channel === 'book') return { channel: 'book', type: 'update', data: [this.bookDelta(pair, e)] };
    return undefined;
  }

  /** The levels that changed: the new top at the shown size, the old one (if it moved) at 0. */
  private bookDelta(pair: KrakenPairSpec, e: { bid: string; ask: string; ts: number }): Record<string, unknown> {
    const prev = this.lastQuote.get(pair.id);
    const bid = fixed(e.bid, pair.pairDecimals);
    const ask = fixed(e.ask, pair.pairDecimals);
    const side = (now: string, before: string | undefined): { price: number; qty: number }[] => [
      ...(before !== undefined && before !== now ? [{ price: n(before), qty: 0 }] : []),
      { price: n(now), qty: n(this.ctx.bookQty) },
    ];
    return { symbol: pair.wsV2, bids: side(bid, prev?.bid), asks: side(ask, prev?.ask), checksum: 0, timestamp: rfc3339(e.ts) };
  }

  private ticker(pair: KrakenPairSpec): Record<string, unknown> {
    const q = this.ctx.tape.quote(pair.id);
    const st = this.ctx.tape.stats(pair, this.ctx.now());
    const last = st.last?.price;
    const change = last !== undefined && st.open !== undefined ? n(last) - n(st.open) : 0;
    return {
      symbol: pair.wsV2,
      bid: q ? n(q.bid) : 0,
      bid_qty: q ? n(this.ctx.bookQty) : 0,
      ask: q ? n(q.ask) : 0,
      ask_qty: q ? n(this.ctx.bookQty) : 0,
      last: last !== undefined ? n(last) : 0,
      volume: n(st.volume),
      vwap: st.vwap !== undefined ? n(st.vwap) : 0,
      low: st.low !== undefined ? n(st.low) : 0,
      high: st.high !== undefined ? n(st.high) : 0,
      change: Number(change.toFixed(pair.pairDecimals)),
      change_pct: st.open !== undefined && n(st.open) !== 0 ? Number(((change / n(st.open)) * 100).toFixed(2)) : 0,
    };
  }

  private trade(pair: KrakenPairSpec, t: Print): Record<string, unknown> {
    return { symbol: pair.wsV2, side: t.side, price: n(t.price), qty: n(t.qty), ord_type: 'limit', trade_id: t.id, timestamp: rfc3339(t.ts) };
  }

  private candle(pair: KrakenPairSpec, b: Bar, interval: number): Record<string, unknown> {
    return {
      symbol: pair.wsV2, open: n(b.open), high: n(b.high), low: n(b.low), close: n(b.close), trades: b.count, volume: n(b.volume), vwap: n(b.vwap),
      interval_begin: new Date(b.begin).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z'), interval, timestamp: rfc3339(b.begin + interval * 60_000),
    };
  }
}
