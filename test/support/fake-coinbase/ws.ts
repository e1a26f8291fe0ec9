/**
 * Advanced Trade WebSocket (`wss://advanced-trade-ws.coinbase.com`): `subscribe`/`unsubscribe`
 * to `ticker`, `ticker_batch`, `market_trades`, `level2` (pushed as `l2_data`), `candles`,
 * `heartbeats` and the JWT-guarded `user` channel; every message in the envelope
 * `{channel, client_id, timestamp, sequence_num, events}` with a per-connection sequence.
 * Faults: drop, stall (no pushes, no pongs), duplicate and reordered `user` messages.
 */
import type { Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { FakeExecution } from '../fake-venue/matching.ts';
import type { CoinbaseFaults } from './faults.ts';
import { verifyJwt, type CdpKey } from './jwt.ts';
import type { CoinbaseMatching, MarketPrint } from './market.ts';
import type { OrderRegistry } from './registry.ts';
import { iso, wsOrderWire } from './wire.ts';
import { bookDiff, candleWire, tickerWire, tradeWire, type MarketView, type ShownBook } from './ws-wire.ts';

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

/** One client connection: what it subscribed to and what it was last shown of each book. */
class Conn {
  seq = 0;
  readonly subs = new Map<Channel, Set<string>>();
  readonly shownBooks = new Map<string, ShownBook>();
  /** A user message held back by the reorder fault. */
  held: string | undefined;
  heldTimer: NodeJS.Timeout | undefined;
  constructor(readonly ws: WebSocket) {}

  wants(channel: Channel, productId?: string): boolean {
    const s = this.subs.get(channel);
    // A channel subscribed with no product ids (the user channel, as ccxt does) covers every product.
    return s !== undefined && (productId === undefined || s.size === 0 || s.has(productId));
  }

  isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }
}

export class CoinbaseWs {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<Conn>();
  private readonly view: MarketView;
  private readonly offs: (() => void)[] = [];
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    server: Server,
    private readonly d: WsDeps,
  ) {
    this.view = { matching: d.matching, account: d.account, touchSize: d.touchSize, now: () => d.faults.now() };
    // Pongs by hand: a stalled socket must not answer pings either.
    this.wss = new WebSocketServer({ server, autoPong: false });
    this.wss.on('connection', (ws) => this.accept(ws));
    this.offs.push(d.matching.onTapeMove((e) => this.onMarket(e.productId, e.kind === 'trade' ? e.print : undefined)));
    // Deferred: the matching core reports during `place`, before the route has filed the order's configuration.
    this.offs.push(d.matching.onExecution((e) => setImmediate(() => this.onExecution(e))));
    this.heartbeat = setInterval(() => this.beat(), d.heartbeatMs);
    d.faults.onDrop((abrupt) => {
      for (const c of this.conns) {
        if (abrupt) c.ws.terminate();
        else c.ws.close(1001, 'going away');
      }
    });
  }

  close(): void {
    for (const off of this.offs) off();
    clearInterval(this.heartbeat);
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    const c = new Conn(ws);
    this.conns.add(c);
    ws.on('ping', (data) => {
      if (!this.d.faults.stalled) ws.pong(data);
    });
    ws.on('message', (raw: Buffer) => this.onMessage(c, raw.toString('utf8')));
    ws.on('close', () => {
      this.conns.delete(c);
      clearTimeout(c.heldTimer);
    });
  }

  private send(c: Conn, channel: string, events: unknown[]): void {
    if (this.d.faults.stalled || !c.isOpen()) return;
    c.ws.send(this.envelope(c, channel, events));
  }

  private envelope(c: Conn, channel: string, events: unknown[]): string {
    return JSON.stringify({ channel, client_id: '', timestamp: iso(this.d.faults.now()), sequence_num: c.seq++, events });
  }

  private error(c: Conn, message: string): void {
    if (c.isOpen()) c.ws.send(JSON.stringify({ type: 'error', message }));
  }

  private onMessage(c: Conn, raw: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return this.error(c, 'failure to parse message');
    }
    const channel = msg['channel'] as Channel;
    const productIds = Array.isArray(msg['product_ids']) ? (msg['product_ids'] as unknown[]).map(String) : [];
    if (!CHANNELS.includes(channel)) return this.error(c, `unknown channel ${String(channel)}`);
    if (channel === 'user') {
      const token = typeof msg['jwt'] === 'string' ? msg['jwt'] : '';
      if (!verifyJwt(token, this.d.key, Math.floor(this.d.faults.now() / 1000)).ok) return this.error(c, 'authentication failure');
    }
    if (msg['type'] === 'unsubscribe') {
      const s = c.subs.get(channel);
      for (const p of productIds) s?.delete(p);
      if (s && (productIds.length === 0 || s.size === 0)) c.subs.delete(channel);
    } else if (msg['type'] === 'subscribe') {
      const s = c.subs.get(channel) ?? new Set<string>();
      for (const p of productIds) s.add(p);
      c.subs.set(channel, s);
      this.snapshot(c, channel, productIds);
    } else {
      return this.error(c, 'unknown message type');
    }
    const subscriptions = Object.fromEntries([...c.subs.entries()].map(([ch, s]) => [ch, [...s]]));
    this.send(c, 'subscriptions', [{ subscriptions }]);
  }

  private snapshot(c: Conn, channel: Channel, productIds: string[]): void {
    switch (channel) {
      case 'ticker':
      case 'ticker_batch':
        for (const p of productIds) this.send(c, channel, [{ type: 'snapshot', tickers: [tickerWire(this.view, p)] }]);
        return;
      case 'market_trades':
        for (const p of productIds) {
          const prints = this.d.matching.prints(p, 50);
          if (prints.length > 0) this.send(c, channel, [{ type: 'snapshot', trades: prints.map(tradeWire) }]);
        }
        return;
      case 'level2':
        for (const p of productIds) {
          const { updates, shown } = bookDiff(this.view, p, new Map());
          c.shownBooks.set(p, shown);
          this.send(c, 'l2_data', [{ type: 'snapshot', product_id: p, updates }]);
        }
        return;
      case 'candles':
        for (const p of productIds) this.send(c, channel, [{ type: 'snapshot', candles: candleWire(this.view, p) }]);
        return;
      case 'user': {
        const open = this.d.registry.all().filter(({ order }) => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED');
        const orders = open.map(({ order, meta }) => wsOrderWire(order, meta));
        this.send(c, 'user', [{ type: 'snapshot', orders, positions: { perpetual_futures_positions: [], expiring_futures_positions: [] } }]);
        return;
      }
      case 'heartbeats':
        return;
    }
  }

  private onMarket(productId: string, print: MarketPrint | undefined): void {
    for (const c of this.conns) {
      if (print && c.wants('market_trades', productId)) this.send(c, 'market_trades', [{ type: 'update', trades: [tradeWire(print)] }]);
      if (print && c.wants('candles', productId)) this.send(c, 'candles', [{ type: 'update', candles: candleWire(this.view, productId) }]);
    }
    this.pushBooks(productId);
  }

  private onExecution(e: FakeExecution): void {
    for (const c of this.conns) if (c.wants('user', e.order.symbol)) this.pushUser(c, e);
    this.pushBooks(e.order.symbol);
  }

  private pushBooks(productId: string): void {
    for (const c of this.conns) {
      if (c.wants('level2', productId)) {
        const { updates, shown } = bookDiff(this.view, productId, c.shownBooks.get(productId) ?? new Map<string, string>());
        c.shownBooks.set(productId, shown);
        if (updates.length > 0) this.send(c, 'l2_data', [{ type: 'update', product_id: productId, updates }]);
      }
      for (const ch of ['ticker', 'ticker_batch'] as const) if (c.wants(ch, productId)) this.send(c, ch, [{ type: 'update', tickers: [tickerWire(this.view, productId)] }]);
    }
  }

  /** A user-channel message, through the duplicate/reorder faults. */
  private pushUser(c: Conn, e: FakeExecution): void {
    const meta = this.d.registry.metaOf(e.order.orderId);
    if (!meta || this.d.faults.stalled || !c.isOpen()) return;
    const events = [{ type: 'update', orders: [wsOrderWire(e.order, meta)] }];
    const out = this.d.faults.duplicate ? [this.envelope(c, 'user', events), this.envelope(c, 'user', events)] : [this.envelope(c, 'user', events)];
    if (this.d.faults.reorder && c.held === undefined) {
      // Hold this one back until the next goes out (or a short while passes, so none is lost).
      c.held = out.shift();
      c.heldTimer = setTimeout(() => this.flushHeld(c), 300);
    }
    for (const m of out) c.ws.send(m);
    if (this.d.faults.reorder && out.length > 0) this.flushHeld(c);
  }

  private flushHeld(c: Conn): void {
    clearTimeout(c.heldTimer);
    const h = c.held;
    c.held = undefined;
    if (h !== undefined && c.isOpen()) c.ws.send(h);
  }

  private beat(): void {
    const now = this.d.faults.now();
    for (const c of this.conns) if (c.wants('heartbeats')) this.send(c, 'heartbeats', [{ current_time: new Date(now).toISOString(), heartbeat_counter: String(c.seq) }]);
  }
}
