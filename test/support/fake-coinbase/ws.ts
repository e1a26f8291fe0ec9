/**
 * Advanced Trade WebSocket (`wss://advanced-trade-ws.coinbase.com`): `subscribe`/`unsubscribe`
 * to `ticker`, `ticker_batch`, `market_trades`, `level2` (pushed as `l2_data`), `candles`, `heartbeats` and
 * the JWT-guarded `user` channel; every message in the envelope
 * `{channel, client_id, timestamp, sequence_num, events}` with a per-connection sequence.
 * Faults: drop, stall (no pushes, no pongs), duplicate and reordered `user` messages.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeExecution } from '../fake-venue/matching.ts';
import { bookOf, candlesOf, type Level } from './book.ts';
import type { CoinbaseFaults } from './faults.ts';
import { verifyJwt, type CdpKey } from './jwt.ts';
import type { CoinbaseMatching, MarketPrint } from './market.ts';
import type { OrderRegistry } from './registry.ts';
import { iso, wsOrderWire } from './wire.ts';

export interface WsDeps {
  readonly matching: CoinbaseMatching;
  readonly registry: OrderRegistry;
  readonly faults: CoinbaseFaults;
  readonly key: CdpKey;
  readonly account: string;
  readonly touchSize: string;
  readonly heartbeatMs: number;
}

type Channel = 'ticker' | 'ticker_batch' | 'market_trades' | 'level2' | 'candles' | 'heartbeats' | 'user';
const CHANNELS: readonly Channel[] = ['ticker', 'ticker_batch', 'market_trades', 'level2', 'candles', 'heartbeats', 'user'];
/** The candles channel's fixed granularity (Coinbase: five minutes). */
const CANDLE_SEC = 300;

/** One client connection: what it subscribed to and what it was last shown of each book. */
class Conn {
  seq = 0;
  readonly subs = new Map<Channel, Set<string>>();
  readonly shownBooks = new Map<string, Map<string, string>>();
  held: string | undefined;
  heldTimer: NodeJS.Timeout | undefined;
  constructor(readonly ws: WebSocket) {}

  wants(channel: Channel, productId?: string): boolean {
    const s = this.subs.get(channel);
    // The user channel with no product ids covers every product.
    return s !== undefined && (productId === undefined || s.size === 0 || s.has(productId));
  }
}

export interface WsFront {
  close(): void;
}

export function startWs(server: Server, d: WsDeps): WsFront {
  const wss = new WebSocketServer({ server, autoPong: false });
  const conns = new Set<Conn>();

  const send = (c: Conn, channel: string, events: unknown[]): void => {
    if (d.faults.stalled || c.ws.readyState !== c.ws.OPEN) return;
    c.ws.send(JSON.stringify({ channel, client_id: '', timestamp: iso(d.faults.now()), sequence_num: c.seq++, events }));
  };

  wss.on('connection', (ws) => {
    const c = new Conn(ws);
    conns.add(c);
    ws.on('ping', (data) => {
      if (!d.faults.stalled) ws.pong(data);
    });
    ws.on('message', (raw: Buffer) => onMessage(c, raw.toString('utf8')));
    ws.on('close', () => {
      conns.delete(c);
      clearTimeout(c.heldTimer);
    });
  });

  function onMessage(c: Conn, raw: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return void c.ws.send(JSON.stringify({ type: 'error', message: 'failure to parse message' }));
    }
    const channel = msg['channel'] as Channel;
    const productIds = Array.isArray(msg['product_ids']) ? (msg['product_ids'] as unknown[]).map(String) : [];
    if (!CHANNELS.includes(channel)) return void c.ws.send(JSON.stringify({ type: 'error', message: `unknown channel ${String(channel)}` }));
    if (channel === 'user') {
      const token = typeof msg['jwt'] === 'string' ? msg['jwt'] : '';
      if (!verifyJwt(token, d.key, Math.floor(d.faults.now() / 1000)).ok) return void c.ws.send(JSON.stringify({ type: 'error', message: 'authentication failure' }));
    }
    if (msg['type'] === 'unsubscribe') {
      const s = c.subs.get(channel);
      for (const p of productIds) s?.delete(p);
      if (s && (productIds.length === 0 || s.size === 0)) c.subs.delete(channel);
    } else if (msg['type'] === 'subscribe') {
      const s = c.subs.get(channel) ?? new Set<string>();
      for (const p of productIds) s.add(p);
      c.subs.set(channel, s);
      snapshot(c, channel, productIds);
    } else {
      return void c.ws.send(JSON.stringify({ type: 'error', message: 'unknown message type' }));
    }
    const subscriptions = Object.fromEntries([...c.subs.entries()].map(([ch, s]) => [ch, [...s]]));
    send(c, 'subscriptions', [{ subscriptions }]);
  }

  function snapshot(c: Conn, channel: Channel, productIds: string[]): void {
    switch (channel) {
      case 'ticker':
      case 'ticker_batch':
        for (const p of productIds) send(c, channel, [{ type: 'snapshot', tickers: [tickerWire(p)] }]);
        return;
      case 'market_trades':
        for (const p of productIds) {
          const prints = d.matching.prints(p, 50);
          if (prints.length > 0) send(c, channel, [{ type: 'snapshot', trades: prints.map(tradeWire) }]);
        }
        return;
      case 'level2':
        for (const p of productIds) {
          c.shownBooks.delete(p);
          const updates = bookDiff(c, p);
          send(c, 'l2_data', [{ type: 'snapshot', product_id: p, updates }]);
        }
        return;
      case 'user': {
        const open = d.registry.all().filter(({ order }) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED');
        send(c, 'user', [{ type: 'snapshot', orders: open.map(({ order, meta }) => wsOrderWire(order, meta)), positions: { perpetual_futures_positions: [], expiring_futures_positions: [] } }]);
        return;
      }
      case 'candles':
        for (const p of productIds) send(c, channel, [{ type: 'snapshot', candles: candleWire(p) }]);
        return;
      case 'heartbeats':
        return;
    }
  }

  /** The running five-minute candle of a product (none before its first print). */
  function candleWire(productId: string): Record<string, string>[] {
    const nowSec = Math.floor(d.faults.now() / 1000);
    const start = nowSec - (nowSec % CANDLE_SEC);
    return candlesOf(d.matching, productId, CANDLE_SEC, start, nowSec).map((k) => ({ ...k, product_id: productId }));
  }

  function tickerWire(productId: string): Record<string, unknown> {
    const t = d.matching.ticker(productId);
    const book = bookOf(d.matching, d.account, productId, d.touchSize);
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

  function tradeWire(p: MarketPrint): Record<string, unknown> {
    return { trade_id: String(p.tradeId), product_id: p.productId, price: p.price, size: p.size, side: p.side, time: iso(p.ts) };
  }

  /** The levels that changed since this connection last saw the book (a removed level has size 0). */
  function bookDiff(c: Conn, productId: string): Record<string, string>[] {
    const book = bookOf(d.matching, d.account, productId, d.touchSize);
    const now = new Map<string, string>();
    const add = (side: 'bid' | 'offer', levels: Level[]): void => levels.forEach((l) => now.set(`${side}|${l.price}`, l.size));
    add('bid', book.bids);
    add('offer', book.asks);
    const before = c.shownBooks.get(productId) ?? new Map<string, string>();
    c.shownBooks.set(productId, now);
    const updates: Record<string, string>[] = [];
    const at = iso(d.faults.now());
    for (const [k, size] of now) if (before.get(k) !== size) updates.push(level(k, size, at));
    for (const k of before.keys()) if (!now.has(k)) updates.push(level(k, '0', at));
    return updates;
  }

  function level(k: string, size: string, at: string): Record<string, string> {
    const [side, price] = k.split('|') as [string, string];
    return { side, event_time: at, price_level: price, new_quantity: size };
  }

  function pushBooks(productId: string): void {
    for (const c of conns) {
      if (c.wants('level2', productId)) {
        const updates = bookDiff(c, productId);
        if (updates.length > 0) send(c, 'l2_data', [{ type: 'update', product_id: productId, updates }]);
      }
      for (const ch of ['ticker', 'ticker_batch'] as const) if (c.wants(ch, productId)) send(c, ch, [{ type: 'update', tickers: [tickerWire(productId)] }]);
    }
  }

  /** A user-channel message, through the duplicate/reorder faults. */
  function pushUser(c: Conn, e: FakeExecution): void {
    const meta = d.registry.metaOf(e.order.orderId);
    if (!meta || d.faults.stalled || c.ws.readyState !== c.ws.OPEN) return;
    const msg = (): string => JSON.stringify({ channel: 'user', client_id: '', timestamp: iso(d.faults.now()), sequence_num: c.seq++, events: [{ type: 'update', orders: [wsOrderWire(e.order, meta)] }] });
    const out = d.faults.duplicate ? [msg(), msg()] : [msg()];
    if (d.faults.reorder && c.held === undefined) {
      // Hold this one back until the next goes out (or a short while passes, so none is lost).
      c.held = out.shift();
      c.heldTimer = setTimeout(() => flushHeld(c), 300);
    }
    for (const m of out) c.ws.send(m);
    if (d.faults.reorder && out.length > 0) flushHeld(c);
  }

  function flushHeld(c: Conn): void {
    clearTimeout(c.heldTimer);
    const h = c.held;
    c.held = undefined;
    if (h !== undefined && c.ws.readyState === c.ws.OPEN) c.ws.send(h);
  }

  const offMarket = d.matching.onMarket((e) => {
    if (e.kind === 'trade') {
      for (const c of conns) {
        if (c.wants('market_trades', e.productId)) send(c, 'market_trades', [{ type: 'update', trades: [tradeWire(e.print)] }]);
        if (c.wants('candles', e.productId)) send(c, 'candles', [{ type: 'update', candles: candleWire(e.productId) }]);
      }
    }
    pushBooks(e.productId);
  });
  // Deferred: the matching core reports during `place`, before the route has filed the order's configuration.
  const offExec = d.matching.onExecution((e) =>
    setImmediate(() => {
      for (const c of conns) if (c.wants('user', e.order.symbol)) pushUser(c, e);
      pushBooks(e.order.symbol);
    }),
  );
  const heartbeat = setInterval(() => {
    for (const c of conns) if (c.wants('heartbeats')) send(c, 'heartbeats', [{ current_time: new Date(d.faults.now()).toISOString(), heartbeat_counter: String(c.seq) }]);
  }, d.heartbeatMs);
  d.faults.onDrop((abrupt) => {
    for (const c of conns) {
      if (abrupt) c.ws.terminate();
      else c.ws.close(1001, 'going away');
    }
  });

  return {
    close: () => {
      offMarket();
      offExec();
      clearInterval(heartbeat);
      for (const c of conns) c.ws.terminate();
      wss.close();
    },
  };
}
